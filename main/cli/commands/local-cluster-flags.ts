import { AppError } from '../../../shared/errors';
import type { OptionSpec } from '../command';
import type { CliContext } from '../command';

/** Flags of kind and k3d clusters, shared by `cluster create` and `cluster config`. */
export const LOCAL_CLUSTER_OPTIONS: OptionSpec = {
  workers: { type: 'string' },
  gpus: { type: 'string' },
  'gpu-sharing': { type: 'string' },
  image: { type: 'string' },
  'kubernetes-version': { type: 'string' },
  port: { type: 'string', multiple: true },
  'no-device-plugin': { type: 'boolean' },
  'verify-gpu': { type: 'boolean' },
};

export const LOCAL_CLUSTER_USAGE =
  '[--workers N] [--gpus all|none|split|0,1/2 (k3d: all|none|N)] [--gpu-sharing N] [--image IMAGE] [--kubernetes-version vX.Y.Z] [--port HOST:CONTAINER]... [--no-device-plugin] [--verify-gpu]';

function whole(raw: unknown, flag: string): number {
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new AppError('INVALID_ARGUMENT', `--${flag} must be a whole number, not "${String(raw)}".`, { fix: `For example --${flag} 2.` });
  return Number(raw);
}

/** `8080:80` → {host: 8080, container: 80}. */
export function parsePort(raw: string): { host: number; container: number } {
  const match = /^(\d{1,5}):(\d{1,5})$/.exec(raw);
  const host = Number(match?.[1]);
  const container = Number(match?.[2]);
  if (!match || host < 1 || host > 65535 || container < 1 || container > 65535) {
    throw new AppError('INVALID_ARGUMENT', `--port takes HOST:CONTAINER, not "${raw}".`, { fix: 'For example --port 80:80 --port 443:443 for an ingress controller.' });
  }
  return { host, container };
}

/** Adds the kind/k3d flags given on the command line to a create request. */
export function applyLocalClusterFlags(ctx: CliContext, input: Record<string, unknown>): void {
  const f = ctx.flags;
  if (f.workers !== undefined) input.nodes = whole(f.workers, 'workers');
  if (f.gpus !== undefined) input.gpus = f.gpus;
  if (f['gpu-sharing'] !== undefined) input.gpuSharing = whole(f['gpu-sharing'], 'gpu-sharing');
  if (f.image !== undefined) input.image = f.image;
  if (f['kubernetes-version'] !== undefined) input.kubernetesVersion = f['kubernetes-version'];
  if (Array.isArray(f.port)) input.ports = f.port.map(parsePort);
  const addons = { ...((input.addons as Record<string, unknown> | undefined) ?? {}) };
  if (f['no-device-plugin']) addons.devicePlugin = false;
  if (f['verify-gpu']) addons.verifyGpu = true;
  if (Object.keys(addons).length) input.addons = addons;
}
