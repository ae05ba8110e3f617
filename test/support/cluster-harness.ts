/**
 * Starts and stops real simulated clusters (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok, through kwokctl's binary runtime) for integration tests, e2e tests and
 * benchmarks.
 *
 * - Each cluster has its own temp work dir and ports, so files running in parallel never collide
 *   (creation is serialized with a lock because kwokctl picks ports by probing).
 * - Cleanup runs on stop(), on process exit and on SIGINT/SIGTERM; clusters left behind by a
 *   killed test run are swept the next time the harness starts (their owner pid is dead).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CONTROL_PLANE_BIN } from './control-plane';

const run = promisify(execFile);
const HARNESS_ROOT = path.join(os.tmpdir(), 'slipway-test-clusters');
const LOCK_DIR = path.join(HARNESS_ROOT, '.create.lock');

export interface TestCluster {
  name: string;
  /** The cluster's own kubeconfig (one context). */
  kubeconfigPath: string;
  contextName: string;
  server: string;
  workdir: string;
  /** Runs kubectl against this cluster; resolves with stdout. */
  kubectl(args: string[], input?: string): Promise<string>;
  apply(manifest: string): Promise<string>;
  /** Last lines of each component's log, for failure messages. */
  logs(lines?: number): string;
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  /** Enables kwokctl's metrics-server (with our binary) for HPA tests. */
  metricsServer?: boolean;
  /** Extra kwokctl flags. */
  extraArgs?: string[];
}

const live = new Set<{ workdir: string; name: string; creator?: number }>();
let hooksInstalled = false;

function killClusterProcesses(workdir: string, name: string) {
  const pidDir = path.join(workdir, 'clusters', name, 'pids');
  let files: string[] = [];
  try {
    files = fs.readdirSync(pidDir);
  } catch {
    return;
  }
  for (const file of files) {
    const pid = Number(fs.readFileSync(path.join(pidDir, file), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

function cleanupSync() {
  for (const cluster of live) {
    // A kwokctl still creating would start components after we swept: stop it first.
    if (cluster.creator) {
      try {
        process.kill(cluster.creator, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    killClusterProcesses(cluster.workdir, cluster.name);
    fs.rmSync(cluster.workdir, { recursive: true, force: true });
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
    const clustersDir = path.join(workdir, 'clusters');
    for (const name of fs.existsSync(clustersDir) ? fs.readdirSync(clustersDir) : []) killClusterProcesses(workdir, name);
    fs.rmSync(workdir, { recursive: true, force: true });
  }
}

async function withCreateLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = Number(fs.existsSync(path.join(LOCK_DIR, 'pid')) ? fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8') : NaN);
      if (Number.isInteger(holder) && !isAlive(holder)) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for the cluster-creation lock');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

let counter = 0;

export async function startCluster(options: StartClusterOptions = {}): Promise<TestCluster> {
  installExitHooks();
  sweepStaleClusters();
  const name = `t${process.pid}-${++counter}`;
  const workdir = fs.mkdtempSync(path.join(HARNESS_ROOT, `${name}-`));
  fs.writeFileSync(path.join(workdir, 'owner.pid'), String(process.pid));
  const record: { workdir: string; name: string; creator?: number } = { workdir, name };
  live.add(record);
  const env = { ...process.env, KWOK_WORKDIR: workdir };
  const kubeconfigPath = path.join(workdir, 'clusters', name, 'kubeconfig.yaml');
  const bin = (b: string) => path.join(CONTROL_PLANE_BIN, b);
  const args = [
    'create', 'cluster', '--name', name, '--runtime', 'binary',
    '--kube-apiserver-binary', bin('kube-apiserver'),
    '--kube-controller-manager-binary', bin('kube-controller-manager'),
    '--kube-scheduler-binary', bin('kube-scheduler'),
    '--kwok-controller-binary', bin('kwok'),
    '--etcd-binary', bin('etcd'),
    // Keep the user's ~/.kube/config out of it: the harness's clusters live in their own files.
    '--kubeconfig', path.join(workdir, 'merged-kubeconfig.yaml'),
    '--wait', '2m',
    ...(options.metricsServer ? ['--enable', 'metrics-server', '--metrics-server-binary', bin('metrics-server')] : []),
    ...(options.extraArgs ?? []),
  ];
  const logs = (lines = 20) => {
    const dir = path.join(workdir, 'clusters', name, 'logs');
    if (!fs.existsSync(dir)) return '(no logs)';
    return fs
      .readdirSync(dir)
      .map((f) => `--- ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8').split('\n').slice(-lines).join('\n')}`)
      .join('\n');
  };
  const stop = async () => {
    if (!live.has(record)) return;
    live.delete(record);
    await run(bin('kwokctl'), ['delete', 'cluster', '--name', name, '--kubeconfig', path.join(workdir, 'merged-kubeconfig.yaml')], { env }).catch(() => undefined);
    killClusterProcesses(workdir, name);
    fs.rmSync(workdir, { recursive: true, force: true });
  };
  try {
    await withCreateLock(() => {
      const creating = run(bin('kwokctl'), args, { env, maxBuffer: 16 * 1024 * 1024 });
      record.creator = creating.child.pid;
      return creating.finally(() => (record.creator = undefined));
    });
  } catch (error) {
    const detail = logs(15);
    await stop();
    throw new Error(`kwokctl create cluster failed: ${(error as Error).message}\n${detail}`);
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
    kubectl,
    apply: (manifest) => kubectl(['apply', '--server-side', '-f', '-'], manifest),
    logs,
    stop,
  };
}
