import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Settings } from '../../shared/models/settings';

/** Every external tool Slipway may run. Keys match `settings.toolPaths`. */
export const TOOLS = {
  docker: 'docker',
  podman: 'podman',
  kind: 'kind',
  k3d: 'k3d',
  kubectl: 'kubectl',
  helm: 'helm',
  kwokctl: 'kwokctl',
  nvidiaSmi: 'nvidia-smi',
  nvidiaCtk: 'nvidia-ctk',
  // The simulated control plane, used by the kwok provider.
  kwok: 'kwok',
  etcd: 'etcd',
  kubeApiserver: 'kube-apiserver',
  kubeControllerManager: 'kube-controller-manager',
  kubeScheduler: 'kube-scheduler',
  metricsServer: 'metrics-server',
} as const;

export type ToolId = keyof typeof TOOLS;

export type ToolSource = 'settings' | 'bundled' | 'path' | 'build-cache';

export interface LocatedTool {
  id: ToolId;
  path: string;
  source: ToolSource;
}

export interface ToolLocatorOptions {
  settings: () => Pick<Settings, 'toolPaths'>;
  /** The PATH to search; the doctor may widen it with the login shell's PATH. */
  searchPath: () => string;
  /** resources/bin/<os>-<arch> of a packaged app. */
  bundledDir?: string;
  /** .cache/k8s/<version>/bin of a checkout (npm run k8s:build). */
  buildCacheDir?: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The build cache of a checkout: `.cache/k8s/<kubernetes version>/bin` (or SLIPWAY_K8S_CACHE). */
export function defaultBuildCacheDir(env: NodeJS.ProcessEnv, kubernetesVersion: string): string {
  return path.join(env.SLIPWAY_K8S_CACHE ?? path.join(repoRoot, '.cache/k8s'), kubernetesVersion, 'bin');
}

export function defaultBundledDir(): string {
  return path.join(repoRoot, 'resources/bin', `${process.platform}-${process.arch}`);
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    if (process.platform === 'win32') return true;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds tools in a fixed order: the path pinned in settings, the app's bundled binaries, PATH,
 * then the control-plane build cache. A pinned path that is not executable is reported as not
 * found rather than silently replaced, so the user learns their setting is wrong.
 */
export class ToolLocator {
  constructor(private readonly options: ToolLocatorOptions) {}

  async find(id: ToolId): Promise<LocatedTool | null> {
    const name = TOOLS[id] + (process.platform === 'win32' ? '.exe' : '');
    const pinned = this.options.settings().toolPaths[id as keyof Settings['toolPaths']];
    if (pinned) return (await isExecutable(pinned)) ? { id, path: pinned, source: 'settings' } : null;
    const candidates: [string, ToolSource][] = [];
    if (this.options.bundledDir) candidates.push([path.join(this.options.bundledDir, name), 'bundled']);
    for (const dir of this.options.searchPath().split(path.delimiter).filter(Boolean)) candidates.push([path.join(dir, name), 'path']);
    if (this.options.buildCacheDir) candidates.push([path.join(this.options.buildCacheDir, name), 'build-cache']);
    for (const [file, source] of candidates) {
      if (await isExecutable(file)) return { id, path: file, source };
    }
    return null;
  }
}
