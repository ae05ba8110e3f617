import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * What kwokctl keeps per cluster under KWOK_WORKDIR (`clusters/<name>/`: kubeconfig.yaml,
 * kwok.yaml, logs/, pids/, pki/) plus Slipway's own `slipway.json` describing how the cluster
 * was asked for. Reading it needs no kwokctl, so listing works even when the tool is missing.
 */
export const clusterMetaSchema = z.object({
  nodes: z.number().int().min(0),
  gpuNodes: z.number().int().min(0),
  gpusPerNode: z.number().int().min(0),
  gpuProduct: z.string(),
  gpuMemoryMiB: z.number().int().min(0),
  kubernetesVersion: z.string().optional(),
  metricsServer: z.boolean(),
  /** Slipway's custom/external metrics API runs with it (absent in clusters made before it existed). */
  metricsAdapter: z.boolean().optional(),
  createdAt: z.string(),
});
export type ClusterMeta = z.infer<typeof clusterMetaSchema>;

const META_FILE = 'slipway.json';

export class KwokWorkdir {
  constructor(readonly root: string) {}

  clusterDir(name: string): string {
    return path.join(this.root, 'clusters', name);
  }

  /** The cluster's own kubeconfig (context `kwok-<name>`, certificates in its pki/). */
  kubeconfigFile(name: string): string {
    return path.join(this.clusterDir(name), 'kubeconfig.yaml');
  }

  exists(name: string): boolean {
    return fs.existsSync(this.clusterDir(name));
  }

  names(): string[] {
    try {
      return fs
        .readdirSync(path.join(this.root, 'clusters'), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort();
    } catch {
      return [];
    }
  }

  writeMeta(name: string, meta: ClusterMeta): void {
    fs.writeFileSync(path.join(this.clusterDir(name), META_FILE), JSON.stringify(meta, null, 2) + '\n');
  }

  /** Slipway's description of the cluster; null for clusters made by kwokctl directly. */
  readMeta(name: string): ClusterMeta | null {
    try {
      const parsed = clusterMetaSchema.safeParse(JSON.parse(fs.readFileSync(path.join(this.clusterDir(name), META_FILE), 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** The Kubernetes version kwokctl recorded for kube-apiserver in kwok.yaml. */
  kubernetesVersion(name: string): string | undefined {
    try {
      const text = fs.readFileSync(this.configFile(name), 'utf8');
      const match = /binary: \S*kube-apiserver[\s\S]*?\n\s+version: (\S+)/.exec(text);
      return match ? `v${match[1]!.replace(/^v/, '')}` : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Pids of the component processes kwokctl started (pids/<component>.pid) that still belong to
   * this cluster: where /proc tells, a pid reused by an unrelated process is left out, so we never
   * signal a stranger.
   */
  pids(name: string): { component: string; pid: number }[] {
    return this.pidFiles(name).filter(({ pid }) => belongsTo(pid, this.clusterDir(name)));
  }

  /**
   * Components whose pid file names a process that is gone (crashed or exited). Meaningful while
   * kwokctl starts a cluster: a new one has no pid files yet, and a stopped one has none left
   * (see {@link clearStalePidFiles}), so every file seen was written by this start.
   */
  deadComponents(name: string): string[] {
    return this.pidFiles(name)
      .filter(({ pid }) => !isAlive(pid))
      .map(({ component }) => component);
  }

  /** The kwok.yaml kwokctl saved for the cluster ('' when there is none yet). */
  savedConfig(name: string): string {
    try {
      return fs.readFileSync(this.configFile(name), 'utf8');
    } catch {
      return '';
    }
  }

  configFile(name: string): string {
    return path.join(this.clusterDir(name), 'kwok.yaml');
  }

  /**
   * Removes the pid files of components that are not running (crashed, or a pid now reused by
   * another program). kwokctl removes only the files of components it stops itself, and takes a
   * stale file whose pid still exists (a zombie, a stranger) for a running component that it
   * then does not start again.
   */
  clearStalePidFiles(name: string): void {
    const dir = path.join(this.clusterDir(name), 'pids');
    for (const { component, pid } of this.pidFiles(name)) {
      if (isAlive(pid) && belongsTo(pid, this.clusterDir(name))) continue;
      fs.rmSync(path.join(dir, `${component}.pid`), { force: true });
    }
  }

  /** Every pids/<component>.pid of the cluster with a valid pid, whether or not it still runs. */
  private pidFiles(name: string): { component: string; pid: number }[] {
    const dir = path.join(this.clusterDir(name), 'pids');
    let files: string[];
    try {
      files = fs.readdirSync(dir);
    } catch {
      return [];
    }
    const result: { component: string; pid: number }[] = [];
    for (const file of files) {
      try {
        const pid = Number(fs.readFileSync(path.join(dir, file), 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0) result.push({ component: file.replace(/\.pid$/, ''), pid });
      } catch {
        // vanished while reading
      }
    }
    return result;
  }

  /** running: every component alive; stopped: none; unknown: some (a crashed component). */
  status(name: string): 'running' | 'stopped' | 'unknown' {
    const pids = this.pids(name);
    const alive = pids.filter((p) => isAlive(p.pid)).length;
    if (pids.length > 0 && alive === pids.length) return 'running';
    if (alive === 0) return 'stopped';
    return 'unknown';
  }

  /** Kills whatever component is still running; returns how many were signalled. */
  killAll(name: string): number {
    let killed = 0;
    for (const { pid } of this.pids(name)) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }
    return killed;
  }

  /**
   * Waits up to `graceMs` for processes seen earlier (`pids(name)` before a stop) to exit, then
   * kills those still running that still belong to the cluster. kwokctl stop/delete signal the
   * components and drop the pid files at once; a component may take a moment to go.
   */
  async reap(name: string, seen: { pid: number }[], graceMs = 10_000): Promise<void> {
    const deadline = Date.now() + graceMs;
    let left = seen.filter((p) => isAlive(p.pid));
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      left = left.filter((p) => isAlive(p.pid));
    }
    for (const { pid } of left) {
      if (!belongsTo(pid, this.clusterDir(name))) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** The last `lines` lines of each component log, for error messages. */
  lastLogLines(name: string, lines = 10): { component: string; lines: string[] }[] {
    const dir = path.join(this.clusterDir(name), 'logs');
    let files: string[];
    try {
      files = fs.readdirSync(dir).sort();
    } catch {
      return [];
    }
    return files.map((file) => {
      let text = '';
      try {
        text = readTail(path.join(dir, file), 64 * 1024);
      } catch {
        // unreadable
      }
      return { component: file.replace(/\.log$/, ''), lines: text.split('\n').filter((l) => l.trim()).slice(-lines) };
    });
  }

  remove(name: string): void {
    fs.rmSync(this.clusterDir(name), { recursive: true, force: true });
  }
}

/** Whether `pid` runs (a zombie — exited, not yet reaped — counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; the state follows the last ")".
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is the best we know
  }
}

/** Every component kwokctl starts names its cluster dir in its command line (binary, data, certs). */
function belongsTo(pid: number, clusterDir: string): boolean {
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch (error) {
    // No /proc (macOS) or the process is gone: trust the pid file as kwokctl itself does.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync('/proc/self');
  }
  return cmdline.includes(clusterDir + path.sep) || cmdline === '';
}

function readTail(file: string, bytes: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const start = Math.max(0, size - bytes);
    const buffer = Buffer.alloc(size - start);
    fs.readSync(fd, buffer, 0, buffer.length, start);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
