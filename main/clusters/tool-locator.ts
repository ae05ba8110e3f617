import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { appRootDir, bundledBinDir } from '../resources-dir';
import type { Settings } from '../../shared/models/settings';
import { mergePathLists } from './login-shell-path';
import { runTool } from './run-tool';
import { VERSION_PROBES } from './tool-versions';

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
  // Slipway's custom and external metrics API (go/metrics-adapter), for HPAs on Pods/Object/External metrics.
  metricsAdapter: 'slipway-metrics-adapter',
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
  /**
   * The login shell's PATH (see login-shell-path.ts), searched after `searchPath`. Asked once, on
   * first use, and only when given: the app passes it, tests usually do not.
   */
  loginShellPath?: () => Promise<string | undefined>;
  /** The environment tools run in (its PATH is replaced by the widened search path). */
  env?: NodeJS.ProcessEnv;
}

/** A tool as the doctor reports it. */
export interface ToolStatus {
  id: ToolId;
  found: boolean;
  path?: string;
  source?: ToolSource;
  version?: string;
  /** Why the version could not be read (the tool exists but did not answer). */
  error?: string;
}


/** The build cache of a checkout: `.cache/k8s/<kubernetes version>/bin` (or SLIPWAY_K8S_CACHE). */
export function defaultBuildCacheDir(env: NodeJS.ProcessEnv, kubernetesVersion: string): string {
  return path.join(env.SLIPWAY_K8S_CACHE ?? path.join(appRootDir(env), '.cache/k8s'), kubernetesVersion, 'bin');
}

export function defaultBundledDir(): string {
  return bundledBinDir();
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
  private loginPath: Promise<string | undefined> | undefined;

  constructor(private readonly options: ToolLocatorOptions) {}

  /** PATH, widened with the login shell's PATH when that was configured. */
  async searchPath(): Promise<string> {
    if (!this.options.loginShellPath) return this.options.searchPath();
    this.loginPath ??= this.options.loginShellPath().catch(() => undefined);
    return mergePathLists(this.options.searchPath(), await this.loginPath);
  }

  /** Whether the login shell added directories that the process PATH lacks. */
  async loginShellAdded(): Promise<string[]> {
    if (!this.options.loginShellPath) return [];
    const own = new Set(this.options.searchPath().split(path.delimiter));
    return (await this.searchPath()).split(path.delimiter).filter((d) => !own.has(d));
  }

  /**
   * The environment for running tools: kind runs `docker`, kubectl runs credential plugins, so
   * they need the widened PATH too.
   */
  async env(): Promise<NodeJS.ProcessEnv> {
    return { ...(this.options.env ?? process.env), PATH: await this.searchPath() };
  }

  /** Finds a tool and asks its version (5 s deadline); never throws. */
  async status(id: ToolId): Promise<ToolStatus> {
    const located = await this.find(id);
    if (!located) return { id, found: false };
    const probe = VERSION_PROBES[id];
    if (!probe) return { id, found: true, path: located.path, source: located.source };
    try {
      const result = await runTool(located.path, probe.args, { env: await this.env(), timeoutMs: 5_000, allowFailure: true });
      // `docker version` prints the client version and exits 1 when the daemon is down: a version
      // on stdout counts whatever the exit code.
      const version = probe.parse(result.stdout);
      return {
        id,
        found: true,
        path: located.path,
        source: located.source,
        ...(version ? { version } : { error: result.tail.slice(-2).join(' ') || `exit code ${result.exitCode}` }),
      };
    } catch (error) {
      return { id, found: true, path: located.path, source: located.source, error: (error as Error).message.split('\n')[0] };
    }
  }

  async find(id: ToolId): Promise<LocatedTool | null> {
    const name = TOOLS[id] + (process.platform === 'win32' ? '.exe' : '');
    const pinned = this.options.settings().toolPaths[id as keyof Settings['toolPaths']];
    if (pinned) return (await isExecutable(pinned)) ? { id, path: pinned, source: 'settings' } : null;
    const candidates: [string, ToolSource][] = [];
    if (this.options.bundledDir) candidates.push([path.join(this.options.bundledDir, name), 'bundled']);
    for (const dir of (await this.searchPath()).split(path.delimiter).filter(Boolean)) candidates.push([path.join(dir, name), 'path']);
    if (this.options.buildCacheDir) candidates.push([path.join(this.options.buildCacheDir, name), 'build-cache']);
    for (const [file, source] of candidates) {
      if (await isExecutable(file)) return { id, path: file, source };
    }
    return null;
  }
}
