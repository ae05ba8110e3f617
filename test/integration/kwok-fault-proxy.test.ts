import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { KubeClient } from '../../main/kube/kube-client';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { faultTargetOf, startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { tempDir } from '../support/fixtures';

const enabled = requireControlPlane('fault proxy');

/** Collects a watch stream's lines; `ended` settles on end, error or close. */
function follow(stream: IncomingMessage) {
  const lines: string[] = [];
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts.filter(Boolean));
  });
  const ended = new Promise<string>((resolve) => {
    stream.on('end', () => resolve('end'));
    stream.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`));
    stream.on('close', () => resolve('close'));
  });
  return { lines, ended };
}

async function failure(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const eventually = async (check: () => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.runIf(enabled)('fault proxy in front of a real API server', () => {
  const tmp = tempDir('slipway-fault-proxy-');
  let cluster: TestCluster;
  let proxy: FaultProxy;
  let client: KubeClient;

  beforeAll(async () => {
    cluster = await startCluster();
    proxy = await startFaultProxy(faultTargetOf(cluster));
    const kc = new KubeConfig();
    kc.loadFromFile(proxy.writeKubeconfig(path.join(tmp.dir, 'via-proxy.yaml'), 'via-proxy'));
    client = new KubeClient(kc, 'via-proxy');
  });
  afterAll(async () => {
    client?.dispose();
    await proxy?.close();
    await cluster?.stop();
    tmp.cleanup();
  });

  const namespaces = (timeoutMs = 10_000) => client.request<{ items: unknown[] }>({ path: '/api/v1/namespaces', timeoutMs });

  it('passes requests through, verified with the cluster’s own CA, and records them', async () => {
    proxy.clear();
    const res = await namespaces();
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(proxy.requests.at(-1)).toMatchObject({ method: 'GET', url: '/api/v1/namespaces', watch: false, outcome: 'pass' });
  });

  it('answers 429 with Retry-After for the next N requests, then passes again', async () => {
    proxy.inject({ kind: 'status', status: 429, retryAfterSeconds: 2 }, { times: 2 });
    for (let i = 0; i < 2; i++) {
      const error = await failure(namespaces());
      expect(error.details).toMatchObject({ status: 429, reason: 'TooManyRequests', retryAfterSeconds: 2 });
    }
    await expect(namespaces()).resolves.toBeTruthy();
  });

  it('answers 410 Expired only for matching paths', async () => {
    proxy.inject({ kind: 'status', status: 410 }, { match: { path: /\/configmaps$/ } });
    const error = await failure(client.request({ path: '/api/v1/namespaces/default/configmaps' }));
    expect(error.details).toMatchObject({ status: 410, reason: 'Expired' });
    await expect(namespaces()).resolves.toBeTruthy();
    proxy.clear();
  });

  it('ends a watch with an ERROR event carrying 410, as kube-apiserver does for a too-old resourceVersion', async () => {
    proxy.inject({ kind: 'watch-expired' }, { match: { watch: true }, times: 1 });
    const stream = await client.stream({ path: '/api/v1/namespaces', query: { watch: 1, resourceVersion: '1' } });
    const { lines, ended } = follow(stream);
    expect(await ended).toBe('end');
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('delays requests', async () => {
    proxy.inject({ kind: 'delay', ms: 700 });
    const started = Date.now();
    await namespaces();
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    proxy.clear();
  });

  it('stalls an open watch without FIN, and resumes it when cleared', async () => {
    proxy.clear();
    const stream = await client.stream({ path: '/api/v1/namespaces', query: { watch: 1 } });
    const { lines, ended } = follow(stream);
    await eventually(() => lines.length > 0); // the initial ADDED events
    const before = lines.length;
    proxy.inject({ kind: 'stall' }, { match: { watch: true } });
    await cluster.createNamespace('during-stall');
    // Nothing arrives and nothing ends while stalled (a new watch would hang the same way).
    const outcome = await Promise.race([ended, new Promise((r) => setTimeout(() => r('still open'), 1500))]);
    expect(outcome).toBe('still open');
    expect(lines.length).toBe(before);
    // Non-watch requests still pass under a watch-only stall.
    await expect(namespaces()).resolves.toBeTruthy();
    proxy.clear();
    await eventually(() => lines.some((l) => l.includes('during-stall')));
    stream.destroy();
  });

  it('a stalled request times out on the client’s deadline', async () => {
    proxy.inject({ kind: 'stall' });
    const error = await failure(namespaces(800));
    expect(error.code).toBe('TIMEOUT');
    proxy.clear();
  });

  it('drops: open watches break, new connections are reset, and it recovers when cleared', async () => {
    proxy.clear();
    const stream = await client.stream({ path: '/api/v1/namespaces', query: { watch: 1 } });
    const { ended } = follow(stream);
    expect(proxy.openConnections()).toBeGreaterThan(0);
    proxy.inject({ kind: 'drop' });
    expect(await ended).toMatch(/error|close|end/);
    const error = await failure(namespaces());
    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(proxy.requests.some((r) => r.outcome === 'drop')).toBe(true);
    proxy.clear();
    await expect(namespaces()).resolves.toBeTruthy();
  });
});
