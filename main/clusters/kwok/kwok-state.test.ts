import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, KwokWorkdir } from './kwok-state';

const dirs: string[] = [];
function workdir(): KwokWorkdir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-kwok-state-'));
  dirs.push(dir);
  return new KwokWorkdir(dir);
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function writePid(state: KwokWorkdir, name: string, component: string, pid: number) {
  fs.mkdirSync(path.join(state.clusterDir(name), 'pids'), { recursive: true });
  fs.writeFileSync(path.join(state.clusterDir(name), 'pids', `${component}.pid`), String(pid));
}

describe('kwok work dir', () => {
  it('lists cluster folders and reads what kwokctl and Slipway wrote', () => {
    const state = workdir();
    expect(state.names()).toEqual([]);
    fs.mkdirSync(state.clusterDir('b'), { recursive: true });
    fs.mkdirSync(state.clusterDir('a'), { recursive: true });
    fs.writeFileSync(path.join(state.clusterDir('a'), 'kwok.yaml'), 'components:\n- binary: /x/bin/kube-apiserver\n  name: kube-apiserver\n  version: 1.34.4\n');
    state.writeMeta('a', { nodes: 1, gpuNodes: 2, gpusPerNode: 4, gpuProduct: 'P', gpuMemoryMiB: 1, metricsServer: true, createdAt: 'now' });
    expect(state.names()).toEqual(['a', 'b']);
    expect(state.kubernetesVersion('a')).toBe('v1.34.4');
    expect(state.readMeta('a')?.gpuNodes).toBe(2);
    expect(state.readMeta('b')).toBeNull();
    expect(state.status('b')).toBe('stopped');
  });

  it('never counts or signals a process that does not belong to the cluster (pid reuse)', () => {
    const state = workdir();
    // This test process certainly runs, but its command line names no cluster folder.
    writePid(state, 'c', 'kube-apiserver', process.pid);
    expect(state.pids('c')).toEqual([]);
    expect(state.status('c')).toBe('stopped');
    expect(state.killAll('c')).toBe(0);
    expect(isAlive(process.pid)).toBe(true);
  });

  it.runIf(process.platform === 'linux')('sees and kills the cluster’s own processes', async () => {
    const state = workdir();
    fs.mkdirSync(state.clusterDir('d'), { recursive: true });
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', path.join(state.clusterDir('d'), 'marker')], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    writePid(state, 'd', 'etcd', child.pid!);
    expect(state.status('d')).toBe('running');
    expect(state.killAll('d')).toBe(1);
    await exited;
    expect(state.status('d')).toBe('stopped');
  });

  it.runIf(process.platform === 'linux')('clears pid files of crashed components and strangers, keeping the running ones', async () => {
    const state = workdir();
    fs.mkdirSync(state.clusterDir('e'), { recursive: true });
    const alive = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', path.join(state.clusterDir('e'), 'marker')], { stdio: 'ignore' });
    const crashed = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => crashed.once('exit', resolve));
    writePid(state, 'e', 'etcd', alive.pid!);
    writePid(state, 'e', 'kwok-controller', crashed.pid!);
    writePid(state, 'e', 'kube-scheduler', process.pid); // a stranger now has that pid
    try {
      state.clearStalePidFiles('e');
      expect(fs.readdirSync(path.join(state.clusterDir('e'), 'pids'))).toEqual(['etcd.pid']);
      expect(state.status('e')).toBe('running');
    } finally {
      alive.kill('SIGKILL');
    }
  });

  it('keeps the last log lines of each component', () => {
    const state = workdir();
    fs.mkdirSync(path.join(state.clusterDir('e'), 'logs'), { recursive: true });
    fs.writeFileSync(path.join(state.clusterDir('e'), 'logs', 'etcd.log'), Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n');
    expect(state.lastLogLines('e', 3)).toEqual([{ component: 'etcd', lines: ['line 27', 'line 28', 'line 29'] }]);
  });
});
