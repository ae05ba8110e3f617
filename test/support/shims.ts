/**
 * A private bin folder holding only the chosen CLI shims (test/support/bin) and `node`, and the
 * environment that selects their behaviour. Used as the whole PATH, so no real docker, kind or
 * nvidia-smi of the machine leaks into a test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SHIM_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bin');

export type ShimTool = 'kind' | 'k3d' | 'docker' | 'nvidia-smi' | 'nvidia-ctk';

export interface ShimOptions {
  tools: ShimTool[];
  /** nvidia-smi fixture folder (one-gpu, eight-gpus, mig, driver-error). */
  nvidiaSmi?: string;
  dockerDown?: boolean;
  /** Docker's default runtime as `docker info` reports it (default runc). */
  dockerRuntime?: 'nvidia' | 'runc';
  /** Contents of the NVIDIA container runtime config.toml; null = the file does not exist. */
  runtimeConfig?: string | null;
  /** A simulated API server's kubeconfig that kind/k3d "create" points at. */
  backingKubeconfig?: string;
  kubectl?: string;
  env?: Record<string, string>;
}

export interface ShimSetup {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Every recorded call, in order; `parent` marks calls a shim made itself (kind → docker). */
  calls(): { tool: string; args: string[]; stdin?: string; parent?: string }[];
  /** Only the calls Slipway made, as argv arrays. */
  commands(): string[][];
  cleanup(): void;
}

export const VOLUME_MOUNTS_ON = 'accept-nvidia-visible-devices-as-volume-mounts = true\n\n[nvidia-container-runtime]\nruntimes = ["runc"]\n';

export function makeShims(options: ShimOptions): ShimSetup {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-shims-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  for (const tool of options.tools) fs.symlinkSync(path.join(SHIM_DIR, tool), path.join(bin, tool));
  const log = path.join(dir, 'calls.jsonl');
  const runtimeConfig = path.join(dir, 'nvidia-container-runtime-config.toml');
  if (options.runtimeConfig !== null) fs.writeFileSync(runtimeConfig, options.runtimeConfig ?? VOLUME_MOUNTS_ON);
  const env: NodeJS.ProcessEnv = {
    PATH: bin,
    HOME: dir,
    KUBECONFIG: path.join(dir, 'kubeconfig'),
    SLIPWAY_CONFIG_DIR: path.join(dir, 'config'),
    SLIPWAY_SHIM_LOG: log,
    SLIPWAY_SHIM_STATE: path.join(dir, 'state'),
    SLIPWAY_NVIDIA_RUNTIME_CONFIG: runtimeConfig,
    ...(options.nvidiaSmi ? { SLIPWAY_SHIM_NVIDIA_SMI: options.nvidiaSmi } : {}),
    ...(options.dockerDown ? { SLIPWAY_SHIM_DOCKER: 'down' } : {}),
    ...(options.dockerRuntime ? { SLIPWAY_SHIM_DOCKER_DEFAULT_RUNTIME: options.dockerRuntime } : {}),
    ...(options.backingKubeconfig ? { SLIPWAY_SHIM_KIND_BACKING_KUBECONFIG: options.backingKubeconfig, SLIPWAY_SHIM_K3D_BACKING_KUBECONFIG: options.backingKubeconfig } : {}),
    ...(options.kubectl ? { SLIPWAY_SHIM_KUBECTL: options.kubectl } : {}),
    // The control-plane build cache would otherwise supply kubectl/kwokctl from this checkout.
    ...options.env,
  };
  const calls = () =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { tool: string; args: string[]; stdin?: string; parent?: string })
      : [];
  return {
    dir,
    env,
    calls,
    commands: () => calls().filter((c) => !c.parent).map((c) => [c.tool, ...c.args]),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
