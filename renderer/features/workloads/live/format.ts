/** Display helpers for live pages (pure, tested). */
export { formatBytes as bytes } from '../../../../shared/k8s/quantity';

export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  return duration(Math.max(0, Math.round((now - t) / 1000)));
}

export function duration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  return `${Math.floor(h / 24)}d${h % 24 ? `${h % 24}h` : ''}`;
}

export function cores(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '');
}

export type Tone = 'ok' | 'warn' | 'error' | 'info' | 'muted';

export function phaseTone(phase: string): Tone {
  if (['Running', 'Bound', 'Succeeded', 'Available', 'Complete', 'HEALTH_OK', 'Ready'].includes(phase)) return 'ok';
  if (['Failed', 'Lost', 'Error', 'CrashLoopBackOff', 'HEALTH_ERR', 'ImagePullBackOff', 'ErrImagePull'].includes(phase)) return 'error';
  if (['Pending', 'Restarting', 'Suspended', 'HEALTH_WARN', 'Terminating', 'Released'].includes(phase)) return 'warn';
  if (['Created', 'ContainerCreating'].includes(phase)) return 'info';
  return 'muted';
}
