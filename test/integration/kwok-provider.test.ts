import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { TaskProgress } from '../../shared/contract/define';
import { AppError } from '../../shared/errors';
import { createClusterRequestSchema, type CreateClusterInput } from '../../shared/models/clusters';
import { PORT_OPTIONS, readPorts } from '../../main/clusters/kwok/kwok-ports';
import { ToolLocator } from '../../main/clusters/tool-locator';
import { CONTROL_PLANE_BIN, requireControlPlane } from '../support/control-plane';
import { processesMentioning, testClusterName, testKwokProvider } from '../support/cluster-harness';
import { tempDir, writeKubeconfig } from '../support/fixtures';

const enabled = requireControlPlane('kwok provider');

function request(name: string, extra: Partial<CreateClusterInput> = {}) {
  return createClusterRequestSchema.parse({ provider: 'kwok', name, nodes: 1, gpuNodes: 2, gpusPerNode: 4, addons: { metricsServer: false }, ...extra });
}

function recorder(abortWhen?: (p: TaskProgress) => boolean) {
  const events: TaskProgress[] = [];
  const controller = new AbortController();
  return {
    events,
    io: {
      signal: controller.signal,
      progress(p: TaskProgress) {
        events.push(p);
        if (abortWhen?.(p)) controller.abort();
      },
    },
  };
}

/** Listens on 127.0.0.1:`port` and answers nothing, as another program would. */
async function listenOn(port: number): Promise<{ close(): Promise<void> }> {
  const connections = new Set<net.Socket>();
  // The API server dials the metrics port it still knows until Slipway repoints it: such
  // connections hang here, so closing must end them rather than wait for them.
  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of connections) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The first port kwokctl would probe as free (it walks down from 32766). */
async function occupyNextKwokPort(): Promise<{ port: number; close(): Promise<void> }> {
  for (let port = 32766; port > 30000; port--) {
    const server = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '0.0.0.0', () => resolve(true));
    });
    if (ok) return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
  }
  throw new Error('no free port');
}

async function expectAppError(work: Promise<unknown>, code: string): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe.runIf(enabled)('KwokProvider against the real control plane', () => {
  const tmp = tempDir('slipway-kwok-provider-');
  const disposers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of disposers) await d();
    tmp.cleanup();
  });

  it('creates, lists, stops, starts and deletes a GPU cluster, merging its context beside the others', async () => {
    const { provider, workdir, dispose } = testKwokProvider();
    disposers.push(dispose);
    const kubeconfig = writeKubeconfig(path.join(tmp.dir, 'config'), [{ name: 'prod', server: 'https://prod.example:6443' }]);
    const name = testClusterName('demo');
    const taken = await occupyNextKwokPort();
    const { events, io } = recorder();
    try {
      const summary = await provider.create(request(name), kubeconfig, io);
      expect(summary).toMatchObject({ name, provider: 'kwok', contextName: `kwok-${name}`, status: 'running', simulated: true, nodes: 3, gpuNodes: 2, gpus: 8, kubernetesVersion: 'v1.34.4' });
    } finally {
      await taken.close();
    }
    // Named phases, a percentage that never goes back, and the end.
    const phases = [...new Set(events.map((e) => e.phase))];
    expect(phases).toEqual(expect.arrayContaining(['Finding tools', 'Starting control plane', 'Waiting for the API server', 'Adding nodes', 'Waiting for nodes to be Ready', 'Ready']));
    expect(events.map((e) => e.percent)).toEqual([...events.map((e) => e.percent)].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ phase: 'Ready', percent: 100 });
    expect(events.some((e) => e.log?.some((l) => l.startsWith('Cluster is ready')))).toBe(true);

    // Merged as kind does: context added and made current; the other context untouched.
    const merged = parse(fs.readFileSync(kubeconfig, 'utf8'));
    expect(merged['current-context']).toBe(`kwok-${name}`);
    expect(merged.contexts.map((c: { name: string }) => c.name).sort()).toEqual([`kwok-${name}`, 'prod']);
    const server: string = merged.clusters.find((c: { name: string }) => c.name === `kwok-${name}`).cluster.server;
    // The port we held was skipped: "a port in use → another port".
    expect(new URL(server).port).not.toBe(String(taken.port));
    expect(fs.readFileSync(path.join(workdir, 'clusters', name, 'kwok.yaml'), 'utf8')).not.toContain(`:${taken.port}\n`);
    expect(await provider.kubeconfig(name)).toContain(`name: kwok-${name}`);

    // A name that exists: refused, existing cluster untouched.
    await expectAppError(provider.create(request(name), kubeconfig, recorder().io), 'ALREADY_EXISTS');
    expect((await provider.list()).find((c) => c.name === name)?.status).toBe('running');

    await provider.stop(name);
    expect((await provider.list()).find((c) => c.name === name)?.status).toBe('stopped');
    expect(processesMentioning(path.join(workdir, 'clusters', name))).toEqual([]);
    // It comes back on its ports, unless a parallel test's cluster (another workdir, so nothing
    // reserved them for it) took one: then it moved, said so, and its context followed.
    const { notes } = await provider.start(name, kubeconfig);
    expect((await provider.list()).find((c) => c.name === name)?.status).toBe('running');
    const restartedServer = parse(fs.readFileSync(kubeconfig, 'utf8')).clusters.find((c: { name: string }) => c.name === `kwok-${name}`).cluster.server;
    if (notes.some((n) => n.includes('(kube-apiserver)'))) expect(restartedServer).not.toBe(server);
    else expect(restartedServer).toBe(server);
    for (const note of notes) expect(note).toMatch(/^Port \d+ \(.+\) was in use, so the cluster now uses \d+/);
    // Starting a running cluster changes nothing.
    expect(await provider.start(name, kubeconfig)).toEqual({ notes: [] });

    // A component crashes: the cluster is degraded, and start brings it back whole — its own
    // surviving components' ports are not "taken by something else".
    const portsBefore = readPorts(fs.readFileSync(path.join(workdir, 'clusters', name, 'kwok.yaml'), 'utf8'));
    const controllerPid = Number(fs.readFileSync(path.join(workdir, 'clusters', name, 'pids', 'kwok-controller.pid'), 'utf8'));
    process.kill(controllerPid, 'SIGKILL');
    await expect.poll(async () => (await provider.list()).find((c) => c.name === name)?.status, { timeout: 10_000 }).toBe('unknown');
    const restarted = await provider.start(name, kubeconfig);
    expect((await provider.list()).find((c) => c.name === name)?.status).toBe('running');
    const portsAfter = readPorts(fs.readFileSync(path.join(workdir, 'clusters', name, 'kwok.yaml'), 'utf8'));
    // Only the crashed controller's port was free meanwhile; a parallel test's cluster may have taken that one.
    for (const option of PORT_OPTIONS.filter((o) => o !== 'kwokControllerPort')) expect(portsAfter[option]).toBe(portsBefore[option]);
    expect(restarted.notes.filter((n) => !n.startsWith(`Port ${portsBefore.kwokControllerPort} (kwok) was in use`))).toEqual([]);

    await provider.delete(name, kubeconfig, recorder().io);
    expect(await provider.list()).toEqual([]);
    expect(processesMentioning(path.join(workdir, 'clusters', name))).toEqual([]);
    const after = parse(fs.readFileSync(kubeconfig, 'utf8'));
    expect(after.contexts.map((c: { name: string }) => c.name)).toEqual(['prod']);
    await expectAppError(provider.delete(name, kubeconfig, recorder().io), 'NOT_FOUND');
  });

  it('a stopped cluster keeps its ports from new clusters, and moves off ports another program took', async () => {
    const { provider, workdir, dispose } = testKwokProvider();
    disposers.push(dispose);
    const kubeconfig = path.join(tmp.dir, 'moving-config');
    const name = testClusterName('moving');
    await provider.create(request(name, { nodes: 1, gpuNodes: 1, addons: { metricsServer: true } }), kubeconfig, recorder().io);
    const savedConfig = path.join(workdir, 'clusters', name, 'kwok.yaml');
    const before = readPorts(fs.readFileSync(savedConfig, 'utf8'));
    expect(Object.keys(before).sort()).toEqual([...PORT_OPTIONS].sort());
    await provider.stop(name);

    // kwokctl alone would hand the freed ports to the next cluster; Slipway keeps them for this one.
    const other = testClusterName('other');
    await provider.create(request(other, { gpuNodes: 0 }), kubeconfig, recorder().io);
    const otherPorts = Object.values(readPorts(fs.readFileSync(path.join(workdir, 'clusters', other, 'kwok.yaml'), 'utf8')));
    expect(otherPorts).toHaveLength(6);
    expect(otherPorts.filter((p) => Object.values(before).includes(p))).toEqual([]);
    await provider.delete(other, kubeconfig, recorder().io);

    // Another program takes the API server's and metrics-server's ports while the cluster is stopped.
    const squatters = await Promise.all([before.kubeApiserverPort!, before.metricsServerPort!].map(listenOn));
    try {
      const { notes } = await provider.start(name, kubeconfig);
      const after = readPorts(fs.readFileSync(savedConfig, 'utf8'));
      expect(after.kubeApiserverPort).not.toBe(before.kubeApiserverPort);
      expect(after.metricsServerPort).not.toBe(before.metricsServerPort);
      expect(notes).toEqual(
        expect.arrayContaining([
          `Port ${before.kubeApiserverPort} (kube-apiserver) was in use, so the cluster now uses ${after.kubeApiserverPort}; context kwok-${name} now points at https://127.0.0.1:${after.kubeApiserverPort}.`,
          `Port ${before.metricsServerPort} (metrics-server) was in use, so the cluster now uses ${after.metricsServerPort}.`,
        ]),
      );
      // Every other port stayed, unless a parallel test's cluster took it too (then a note says so).
      for (const option of PORT_OPTIONS) {
        const note = notes.find((n) => n.startsWith(`Port ${before[option]} (`));
        if (note) expect(note).toContain(`now uses ${after[option]}`);
        else expect(after[option]).toBe(before[option]);
      }
      expect((await provider.list()).find((c) => c.name === name)?.status).toBe('running');

      // The user's context follows, and works; so does the metrics API behind the moved metrics-server.
      const kubectl = (...args: string[]) => execFileSync(path.join(CONTROL_PLANE_BIN, 'kubectl'), ['--kubeconfig', kubeconfig, '--context', `kwok-${name}`, ...args], { encoding: 'utf8' });
      expect(kubectl('config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}')).toBe(`https://127.0.0.1:${after.kubeApiserverPort}`);
      expect(kubectl('get', 'nodes', '-o', 'name').trim().split('\n')).toHaveLength(2);
      expect(kubectl('get', 'apiservice', 'v1beta1.metrics.k8s.io', '-o', 'jsonpath={.spec.service.port}')).toBe(String(after.metricsServerPort));
      await expect.poll(() => kubectl('get', 'apiservice', 'v1beta1.metrics.k8s.io', '-o', 'jsonpath={.status.conditions[0].status}'), { timeout: 60_000, interval: 1_000 }).toBe('True');
    } finally {
      await Promise.all(squatters.map((s) => s.close()));
      await provider.delete(name, kubeconfig, recorder().io);
    }
  });

  it('says how to get kwokctl or a missing binary, and creates nothing', async () => {
    const noKwokctl = testKwokProvider({ locator: new ToolLocator({ settings: () => ({ toolPaths: {} }), searchPath: () => '' }) });
    disposers.push(noKwokctl.dispose);
    const e1 = await expectAppError(noKwokctl.provider.create(request('x'), path.join(tmp.dir, 'k1'), recorder().io), 'TOOL_NOT_FOUND');
    expect(e1.message).toContain('kwokctl');
    expect(e1.fix).toContain('npm run k8s:build');

    // Everything but kube-scheduler, as a user with a partial install would have.
    const partial = path.join(tmp.dir, 'partial-bin');
    fs.mkdirSync(partial);
    for (const bin of fs.readdirSync(CONTROL_PLANE_BIN).filter((b) => b !== 'kube-scheduler')) fs.symlinkSync(path.join(CONTROL_PLANE_BIN, bin), path.join(partial, bin));
    const noScheduler = testKwokProvider({ locator: new ToolLocator({ settings: () => ({ toolPaths: {} }), searchPath: () => partial }) });
    disposers.push(noScheduler.dispose);
    const e2 = await expectAppError(noScheduler.provider.create(request('y'), path.join(tmp.dir, 'k2'), recorder().io), 'TOOL_NOT_FOUND');
    expect(e2.message).toContain('kube-scheduler');
    expect(e2.details).toEqual({ missing: ['kube-scheduler'] });
    expect(await noScheduler.provider.list()).toEqual([]);
    expect(fs.existsSync(path.join(tmp.dir, 'k2'))).toBe(false);
  });

  it('cancelled mid-creation: nothing left running, no folder, no context', async () => {
    const { provider, workdir, dispose } = testKwokProvider();
    disposers.push(dispose);
    const kubeconfig = path.join(tmp.dir, 'cancel-config');
    const name = testClusterName('cancel');
    const { events, io } = recorder((p) => p.log?.some((l) => l.startsWith('Cluster is starting')) ?? false);
    await expectAppError(provider.create(request(name), kubeconfig, io), 'CANCELLED');
    expect(events.some((e) => e.phase === 'Starting control plane')).toBe(true);
    expect(await provider.list()).toEqual([]);
    expect(processesMentioning(workdir)).toEqual([]);
    expect(fs.existsSync(kubeconfig) ? fs.readFileSync(kubeconfig, 'utf8') : '').not.toContain(`kwok-${name}`);
  });

  it('a component that fails to start: its last log lines in the error, nothing left running', async () => {
    // A kube-apiserver that dies at once, as one with a bad flag or a broken install does.
    const broken = path.join(tmp.dir, 'broken-bin');
    fs.mkdirSync(broken);
    fs.writeFileSync(
      path.join(broken, 'kube-apiserver'),
      [
        '#!/bin/sh',
        // kwokctl asks for the version before it starts anything: answer like the real binary.
        'if [ "$1" = "--version" ] || [ "$1" = "version" ]; then echo "Kubernetes v1.34.4"; exit 0; fi',
        'echo "I1128 starting kube-apiserver"',
        'echo "E1128 run.go:72] \\"command failed\\" err=\\"simulated: failed to load TLS key\\"" >&2',
        'exit 1',
      ].join('\n') + '\n',
      { mode: 0o755 },
    );
    const { provider, workdir, dispose } = testKwokProvider({
      locator: new ToolLocator({ settings: () => ({ toolPaths: {} }), searchPath: () => '', bundledDir: broken, buildCacheDir: CONTROL_PLANE_BIN }),
      readyTimeout: '20s',
    });
    disposers.push(dispose);
    const kubeconfig = path.join(tmp.dir, 'failed-config');
    const name = testClusterName('fail');
    const error = await expectAppError(provider.create(request(name), kubeconfig, recorder().io), 'TOOL_FAILED');
    expect(error.message).toContain('simulated: failed to load TLS key');
    expect(error.message).toContain('kube-apiserver:');
    expect((error.details as { logs: { component: string }[] }).logs.map((l) => l.component)).toContain('kube-apiserver');
    expect(await provider.list()).toEqual([]);
    expect(processesMentioning(workdir)).toEqual([]);
    expect(fs.existsSync(kubeconfig) ? fs.readFileSync(kubeconfig, 'utf8') : '').not.toContain(`kwok-${name}`);
  }, 120_000);
});
