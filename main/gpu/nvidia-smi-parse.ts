import type { GpuInfo } from '../../shared/models/gpu';

/** The fields Slipway asks for, in order. */
export const GPU_QUERY_FIELDS = ['index', 'uuid', 'name', 'memory.total', 'driver_version', 'mig.mode.current'] as const;
export const GPU_QUERY_ARGS = [`--query-gpu=${GPU_QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
/** GPU index → the minor number of its /dev/nvidiaN (they differ on some multi-GPU machines). */
export const MINOR_QUERY_ARGS = ['--query-gpu=index,minor_number', '--format=csv,noheader'];

/** Parses {@link MINOR_QUERY_ARGS}' output ("0, 2" per line); lines that do not fit are skipped. */
export function parseMinorNumbers(stdout: string): Map<number, number> {
  const minors = new Map<number, number>();
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(line);
    if (match) minors.set(Number(match[1]), Number(match[2]));
  }
  return minors;
}

function migMode(value: string): GpuInfo['migMode'] {
  const v = value.trim().toLowerCase();
  if (v === 'enabled') return 'enabled';
  if (v === 'disabled') return 'disabled';
  return 'n/a';
}

/**
 * Parses `nvidia-smi --query-gpu=index,uuid,name,memory.total,driver_version,mig.mode.current
 * --format=csv,noheader,nounits`: one line per GPU, fields separated by ", ". A GPU name may
 * itself contain ", ", so the name is whatever lies between the two leading and three trailing
 * fields. Lines that do not fit (warnings, blank lines) are skipped.
 */
export function parseGpuQuery(stdout: string, cuda?: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const parts = raw.split(',').map((p) => p.trim());
    if (parts.length < GPU_QUERY_FIELDS.length) continue;
    const index = Number(parts[0]);
    const memoryMiB = Number(parts[parts.length - 3]);
    if (!Number.isInteger(index) || !/^GPU-/.test(parts[1]!)) continue;
    gpus.push({
      index,
      uuid: parts[1]!,
      name: parts.slice(2, parts.length - 3).join(', '),
      memoryMiB: Number.isFinite(memoryMiB) ? memoryMiB : 0,
      driver: parts[parts.length - 2]!,
      ...(cuda ? { cuda } : {}),
      migMode: migMode(parts[parts.length - 1]!),
    });
  }
  return gpus.sort((a, b) => a.index - b.index);
}

/** The CUDA version from the plain `nvidia-smi` header ("CUDA Version: 12.4"). */
export function parseCudaVersion(header: string): string | undefined {
  return /CUDA Version:\s*([0-9]+\.[0-9]+)/.exec(header)?.[1];
}

/** The driver version from the plain `nvidia-smi` header ("Driver Version: 550.54.15"). */
export function parseDriverVersion(header: string): string | undefined {
  return /Driver Version:\s*([0-9.]+)/.exec(header)?.[1];
}

/** A one-line reason from nvidia-smi's failure output (it prints to stdout and exits non-zero). */
export function nvidiaSmiFailureReason(output: string, exitCode: number): string {
  const text = output.replace(/\s+/g, ' ').trim();
  if (/No devices were found/i.test(text)) return 'nvidia-smi found no NVIDIA GPU on this machine.';
  if (/couldn't communicate with the NVIDIA driver/i.test(text)) {
    return `The NVIDIA driver is not loaded: ${text}`;
  }
  return `nvidia-smi failed (exit code ${exitCode})${text ? `: ${text}` : '.'}`;
}
