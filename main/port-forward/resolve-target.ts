import { AppError } from '../../shared/errors';
import type { RemotePort } from './port-spec';

/** The fields of a Pod that forwarding reads. */
export interface PodLike {
  metadata: { name: string; creationTimestamp?: string; deletionTimestamp?: string };
  spec?: { containers?: { name: string; ports?: { name?: string; containerPort: number; protocol?: string }[] }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

/** The fields of a Service that forwarding reads. */
export interface ServiceLike {
  metadata: { name: string };
  spec?: { selector?: Record<string, string>; ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string }[] };
}

/** Running, Ready and not being deleted: a pod that can take a connection now. */
export function isPodReady(pod: PodLike): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  if (pod.status?.phase !== 'Running') return false;
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The container port a pod exposes under `port`: numbers pass through, names are looked up. */
export function podPortFor(pod: PodLike, port: RemotePort): number {
  if (typeof port === 'number') return port;
  const ports = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  const match = ports.find((p) => p.name === port && (p.protocol ?? 'TCP') === 'TCP');
  if (!match) {
    const named = ports.filter((p) => p.name).map((p) => `${p.name}=${p.containerPort}`);
    throw new AppError('INVALID_ARGUMENT', `Pod ${pod.metadata.name} has no TCP port named "${port}".`, {
      fix: named.length ? `Its named ports: ${named.join(', ')}.` : 'It declares no named ports: give the port number.',
    });
  }
  return match.containerPort;
}

/** The Service port `port` names (by number or name) and the target port it sends to. */
export function servicePortFor(service: ServiceLike, port: RemotePort): { port: number; targetPort: RemotePort } {
  const ports = service.spec?.ports ?? [];
  const match = ports.find((p) => (typeof port === 'number' ? p.port === port : p.name === port) && (p.protocol ?? 'TCP') === 'TCP');
  if (!match) {
    const list = ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port)));
    throw new AppError('INVALID_ARGUMENT', `Service ${service.metadata.name} has no TCP port ${typeof port === 'number' ? port : `named "${port}"`}.`, {
      fix: list.length ? `Its ports: ${list.join(', ')}.` : 'It has no ports.',
    });
  }
  // An omitted targetPort means the same number; a named one is resolved per pod.
  return { port: match.port, targetPort: match.targetPort ?? match.port };
}

/** The label selector of a Service as a query string; a Service without one has no pods to pick. */
export function serviceSelector(service: ServiceLike): string {
  const selector = service.spec?.selector ?? {};
  const entries = Object.entries(selector);
  if (entries.length === 0) {
    throw new AppError('INVALID_ARGUMENT', `Service ${service.metadata.name} has no selector, so it has no pods to forward to.`, { fix: 'Forward to one of its backing pods directly: pod/NAME.' });
  }
  return entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/**
 * The pod a Service forward uses: the oldest ready pod (the one least likely to be replaced
 * next), ties broken by name so the choice is stable. Undefined when none is ready.
 */
export function pickReadyPod(pods: PodLike[]): PodLike | undefined {
  return pods
    .filter(isPodReady)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name))[0];
}
