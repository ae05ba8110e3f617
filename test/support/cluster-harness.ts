/**
 * Starts and stops real simulated clusters (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok, through kwokctl's binary runtime) for integration tests, e2e tests and
 * benchmarks. Clusters are made by the product's KwokProvider, so tests exercise the same code
 * as `slipway cluster create --provider kwok` (GPU nodes, metrics-server, load knob included).
 *
 * - Each cluster has its own temp work dir and ports, so files running in parallel never collide
 *   (the provider serializes creation machine-wide because kwokctl picks ports by probing).
 * - Cleanup runs on stop(), on process exit and on SIGINT/SIGTERM; clusters left behind by a
 *   killed test run are swept the next time the harness starts (their owner pid is dead).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClusterRequestSchema } from '../../shared/models/clusters';
import { KwokProvider, type KwokProviderOptions } from '../../main/clusters/kwok/kwok-provider';
import { KwokWorkdir } from '../../main/clusters/kwok/kwok-state';
import { ToolLocator } from '../../main/clusters/tool-locator';
import { CONTROL_PLANE_BIN } from './control-plane';
import { until } from './until';

const HARNESS_ROOT = path.join(os.tmpdir(), 'slipway-test-clusters');

export interface TestCluster {
  name: string;
  /** The cluster's own kubeconfig (one context). */
  kubeconfigPath: string;
  contextName: string;
  server: string;
  workdir: string;
  /** The provider that made it (start/stop/kubeconfig through product code). */
  provider: KwokProvider;
  /** Runs kubectl against this cluster; resolves with stdout. */
  kubectl(args: string[], input?: string): Promise<string>;
  apply(manifest: string): Promise<string>;
  /**
   * Creates a namespace and waits for the controller-manager to give it its `default`
   * ServiceAccount: until then the API server refuses pods in it ("serviceaccount default not
   * found"), which a busy CI machine shows as a flaky first apply.
   */
  createNamespace(name: string): Promise<void>;
  /** Last lines of each component's log, for failure messages. */
  logs(lines?: number): string;
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  /** CPU-only simulated nodes (default 0: a bare control plane is enough for most tests). */
  nodes?: number;
  /** Simulated GPU nodes, as `slipway cluster create --gpu-nodes` makes them. */
  gpuNodes?: number;
  gpusPerNode?: number;
  gpuProduct?: string;
  /** Runs metrics-server (our binary) so HPAs get metrics; costs one more process. */
  metricsServer?: boolean;
}

const live = new Set<{ workdir: string; creator?: number }>();
let hooksInstalled = false;

/** Kills every component of every cluster in a work dir (only processes that belong to them). */
function killWorkdir(workdir: string) {
  const state = new KwokWorkdir(workdir);
  for (const name of state.names()) state.killAll(name);
}

function cleanupSync() {
  for (const record of live) {
    // A kwokctl still creating would start components after we swept: stop it first.
    if (record.creator) {
      try {
        process.kill(record.creator, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    killWorkdir(record.workdir);
    fs.rmSync(record.workdir, { recursive: true, force: true });
  }
  live.clear();
}

function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', cleanupSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanupSync();
      process.kill(process.pid, signal);
    });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes clusters whose owning test process died without cleaning up. */
export function sweepStaleClusters(): void {
  fs.mkdirSync(HARNESS_ROOT, { recursive: true });
  for (const entry of fs.readdirSync(HARNESS_ROOT)) {
    if (entry.startsWith('.')) continue;
    const workdir = path.join(HARNESS_ROOT, entry);
    const ownerFile = path.join(workdir, 'owner.pid');
    const owner = Number(fs.existsSync(ownerFile) ? fs.readFileSync(ownerFile, 'utf8') : NaN);
    if (Number.isInteger(owner) && isAlive(owner)) continue;
    killWorkdir(workdir);
    fs.rmSync(workdir, { recursive: true, force: true });
  }
}

let counter = 0;

/** A locator that finds only the build cache (`npm run k8s:build`), never whatever is on PATH. */
export function buildCacheLocator(): ToolLocator {
  return new ToolLocator({ settings: () => ({ toolPaths: {} }), searchPath: () => '', buildCacheDir: CONTROL_PLANE_BIN });
}

/** Unique cluster names per test process. */
export function testClusterName(prefix = 't'): string {
  return `${prefix}${process.pid}-${++counter}`;
}

/**
 * A KwokProvider on a fresh temp work dir for tests that drive the provider themselves. Whatever
 * it leaves running is killed by `dispose()`, on exit and on SIGINT/SIGTERM, and swept by the
 * next run if this process is killed.
 */
export function testKwokProvider(
  overrides: Partial<KwokProviderOptions> = {},
  workdirPrefix = `p${process.pid}-`,
): { provider: KwokProvider; workdir: string; dispose(): Promise<void> } {
  installExitHooks();
  sweepStaleClusters();
  const workdir = fs.mkdtempSync(path.join(HARNESS_ROOT, workdirPrefix));
  fs.writeFileSync(path.join(workdir, 'owner.pid'), String(process.pid));
  const record: { workdir: string; creator?: number } = { workdir };
  live.add(record);
  const provider = new KwokProvider({
    locator: buildCacheLocator(),
    workdir,
    onSpawn: (child) => {
      record.creator = child.pid;
      child.once('exit', () => (record.creator = undefined));
    },
    ...overrides,
  });
  return {
    provider,
    workdir,
    async dispose() {
      live.delete(record);
      killWorkdir(workdir);
      fs.rmSync(workdir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a simulated cluster through the product's {@link KwokProvider} (the same code path as
 * `slipway cluster create --provider kwok`), in its own temp KWOK_WORKDIR with its own ports.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<TestCluster> {
  const name = testClusterName();
  const owned = testKwokProvider({}, `${name}-`);
  const { provider, workdir } = owned;
  const kubeconfigPath = path.join(workdir, 'clusters', name, 'kubeconfig.yaml');
  // Keep the user's ~/.kube/config out of it: the harness's clusters live in their own files.
  const mergedKubeconfig = path.join(workdir, 'merged-kubeconfig.yaml');
  const logs = (lines = 20) => {
    const dir = path.join(workdir, 'clusters', name, 'logs');
    if (!fs.existsSync(dir)) return '(no logs)';
    return fs
      .readdirSync(dir)
      .map((f) => `--- ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8').split('\n').slice(-lines).join('\n')}`)
      .join('\n');
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const io = { progress: () => {}, signal: new AbortController().signal };
    await provider.delete(name, mergedKubeconfig, io).catch(() => undefined);
    await owned.dispose();
  };
  const request = createClusterRequestSchema.parse({
    provider: 'kwok',
    name,
    nodes: options.nodes ?? 0,
    gpuNodes: options.gpuNodes ?? 0,
    ...(options.gpusPerNode ? { gpusPerNode: options.gpusPerNode } : {}),
    ...(options.gpuProduct ? { gpuProduct: options.gpuProduct } : {}),
    addons: { metricsServer: Boolean(options.metricsServer) },
  });
  try {
    await provider.create(request, mergedKubeconfig, { progress: () => {}, signal: new AbortController().signal });
  } catch (error) {
    const detail = logs(15);
    await stop();
    throw new Error(`creating simulated cluster ${name} failed: ${(error as Error).message}\n${detail}`);
  }
  const server = /server:\s*(\S+)/.exec(fs.readFileSync(kubeconfigPath, 'utf8'))?.[1] ?? '';
  const kubectl = async (kubectlArgs: string[], input?: string) => {
    const child = execFile(path.join(CONTROL_PLANE_BIN, 'kubectl'), ['--kubeconfig', kubeconfigPath, ...kubectlArgs], { maxBuffer: 64 * 1024 * 1024 });
    const out = new Promise<string>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (d) => (stdout += d));
      child.stderr?.on('data', (d) => (stderr += d));
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`kubectl ${kubectlArgs.join(' ')} exited ${code}: ${stderr}`))));
    });
    child.stdin?.end(input ?? '');
    return out;
  };
  return {
    name,
    kubeconfigPath,
    contextName: `kwok-${name}`,
    server,
    workdir,
    provider,
    kubectl,
    apply: (manifest) => kubectl(['apply', '--server-side', '-f', '-'], manifest),
    async createNamespace(namespace) {
      await kubectl(['create', 'namespace', namespace]);
      const found = () => kubectl(['-n', namespace, 'get', 'serviceaccount', 'default', '-o', 'name']).then(() => true, () => false);
      await until(`the default ServiceAccount of namespace ${namespace}`, found, Boolean);
    },
    logs,
    stop,
  };
}

/** Pids of live processes whose command line names `dir` (Linux /proc); proves "nothing left running". */
export function processesMentioning(dir: string): number[] {
  if (!fs.existsSync('/proc/self')) return [];
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && cmdline.includes(dir)) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}
