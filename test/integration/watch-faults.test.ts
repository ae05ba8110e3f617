/**
 * The watch engine against a real kube-apiserver through the fault proxy: a server gone for 20 s
 * mid-watch, 410 Gone, 429 with Retry-After, and a stalled connection. After each, the cache must
 * equal a fresh LIST (taken straight from the server, not through the proxy) and subscribers must
 * have seen the deletes made during the outage. Real time throughout, bounded by the faults.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { faultTargetOf, startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { tempDir, testServices } from '../support/fixtures';
import type { Services } from '../../main/services';
import { WatchService } from '../../main/kube/watch/watch-service';
import { Backoff } from '../../main/kube/watch/backoff';
import { type KubeObject, uidOf } from '../../shared/k8s/kube-object';
import type { WatchBatch } from '../../shared/models/views-watch';

const enabled = requireControlPlane('watch faults');
const NS = 'faults';

describe.runIf(enabled)('watch engine under faults (real API server + fault proxy)', () => {
  const tmp = tempDir();
  let cluster: TestCluster;
  let proxy: FaultProxy;
  let proxyB: FaultProxy;
  let services: Services;
  let watch: WatchService;

  beforeAll(async () => {
    cluster = await startCluster();
    await cluster.createNamespace(NS);
    // The controller-manager adds kube-root-ca.crt to every new namespace; let it land first so the
    // set of configmaps changes only when a test changes it.
    for (const deadline = Date.now() + 30_000; ; ) {
      if ((await cluster.kubectl(['get', 'configmap', 'kube-root-ca.crt', '-n', NS, '-o', 'name']).catch(() => '')).includes('kube-root-ca.crt')) break;
      if (Date.now() > deadline) throw new Error(`kube-root-ca.crt never appeared in ${NS}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    proxy = await startFaultProxy(faultTargetOf(cluster));
    proxyB = await startFaultProxy(faultTargetOf(cluster));
    const a = proxy.writeKubeconfig(path.join(tmp.dir, 'a.yaml'), 'ctx-a');
    const b = proxyB.writeKubeconfig(path.join(tmp.dir, 'b.yaml'), 'ctx-b');
    services = testServices({ ...process.env, KUBECONFIG: [a, b].join(path.delimiter), HOME: tmp.dir }, path.join(tmp.dir, 'config'));
    watch = new WatchService((c) => services.clients.forContext(c), {
      timing: { requestTimeoutMs: 5_000, watchSeconds: [4, 6], watchdogGraceMs: 2_000, backoff: () => new Backoff(200, 2_000) },
      batchMs: 100,
      lingerMs: 0,
      probeIntervalMs: 1_000,
      probeTimeoutMs: 1_000,
    });
  });

  // A failed test must not leave its fault behind for the next one.
  afterEach(() => {
    proxy?.clear();
    proxyB?.clear();
  });

  afterAll(async () => {
    watch?.dispose();
    services?.dispose();
    await proxy?.close();
    await proxyB?.close();
    await cluster?.stop();
    tmp.cleanup();
  });

  /** name → resourceVersion of the configmaps, straight from the server. */
  const freshList = async (): Promise<Record<string, string>> => {
    const list = JSON.parse(await cluster.kubectl(['get', 'configmaps', '-n', NS, '-o', 'json'])) as { items: KubeObject[] };
    return asMap(list.items);
  };
  const asMap = (objects: Iterable<KubeObject>) => Object.fromEntries([...objects].map((o) => [o.metadata.name, o.metadata.resourceVersion!] as const).sort(([a], [b]) => a.localeCompare(b)));
  const create = (...names: string[]) => cluster.apply(names.map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${n}, namespace: ${NS} }\ndata: { v: "1" }\n`).join('---\n'));
  const remove = (...names: string[]) => cluster.kubectl(['delete', 'configmap', '-n', NS, ...names]);

  /** A subscriber that folds snapshot + deltas into a mirror, like the renderer store. */
  function subscriber(context: string) {
    const mirror = new Map<string, KubeObject>();
    const deletes: string[] = [];
    const statuses: { phase: string; at: number }[] = [];
    const sub = watch.subscribe({ context, resource: { group: '', plural: 'configmaps' }, namespace: NS }, (batch: WatchBatch) => {
      if (batch.type === 'snapshot') {
        mirror.clear();
        for (const item of batch.items) mirror.set(uidOf(item), item);
        statuses.push({ phase: batch.status.phase, at: Date.now() });
        return;
      }
      for (const uid of batch.deletes) {
        deletes.push(mirror.get(uid)?.metadata.name ?? uid);
        mirror.delete(uid);
      }
      for (const o of batch.upserts) mirror.set(uidOf(o), o);
      if (batch.status) statuses.push({ phase: batch.status.phase, at: Date.now() });
    });
    return { mirror, deletes, statuses, sub };
  }

  const converged = async (s: ReturnType<typeof subscriber>, informerContext = 'ctx-a', timeout = 30_000) => {
    await expect.poll(async () => JSON.stringify(asMap(s.mirror.values())) === JSON.stringify(await freshList()) || `${JSON.stringify(asMap(s.mirror.values()))} vs ${JSON.stringify(await freshList())}`, { timeout, interval: 250 }).toBe(true);
    const { informer, release } = watch.acquire({ context: informerContext, resource: { group: '', plural: 'configmaps' }, namespace: NS });
    // Another writer (the root-CA publisher of a new namespace) may land between two reads: poll.
    await expect.poll(async () => JSON.stringify(asMap(informer.cache.values())) === JSON.stringify(await freshList()), { timeout, interval: 250 }).toBe(true);
    release();
  };

  it('server gone for 20 s mid-watch: reconnecting within 2 s, recovers alone, deletes made meanwhile are seen; the other cluster never stalls', async () => {
    await create('keep', 'doomed-1', 'doomed-2', 'changed');
    const a = subscriber('ctx-a');
    const b = subscriber('ctx-b');
    await converged(a);
    await converged(b, 'ctx-b');

    const lastKnown = Object.keys(asMap(a.mirror.values()));
    const cut = Date.now();
    proxy.inject({ kind: 'drop' });
    await expect.poll(() => watch.contextStatus('ctx-a').state, { timeout: 2_000, interval: 50 }).toBe('reconnecting');
    const reconnectingAfterMs = Date.now() - cut;
    // While A is gone: deletes, an update and a create, made directly on the server.
    await remove('doomed-1', 'doomed-2');
    await cluster.kubectl(['patch', 'configmap', 'changed', '-n', NS, '--type=merge', '-p', '{"data":{"v":"2"}}']);
    await create('born-in-outage');
    // The other context is isolated: it sees every change promptly.
    await expect.poll(async () => JSON.stringify(asMap(b.mirror.values())) === JSON.stringify(await freshList()), { timeout: 3_000, interval: 50 }).toBe(true);
    expect(Object.keys(asMap(b.mirror.values()))).toEqual(expect.arrayContaining(['born-in-outage', 'changed', 'keep']));
    expect(b.deletes.sort()).toEqual(['doomed-1', 'doomed-2']);
    expect(watch.contextStatus('ctx-b').state).toBe('live');
    // Still gone at 20 s; A shows its last known state meanwhile.
    await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - cut))));
    expect(watch.contextStatus('ctx-a').state).toBe('reconnecting');
    expect(Object.keys(asMap(a.mirror.values()))).toEqual(lastKnown);
    proxy.clear();
    await converged(a, 'ctx-a', 20_000);
    expect(a.deletes.sort()).toEqual(['doomed-1', 'doomed-2']);
    await expect.poll(() => watch.contextStatus('ctx-a').state, { timeout: 5_000 }).toBe('live');
    expect(reconnectingAfterMs).toBeLessThan(2_000);
    a.sub.dispose();
    b.sub.dispose();
  });

  it('410 Gone on the watch relists and emits deletes for objects that vanished', async () => {
    const a = subscriber('ctx-a');
    await converged(a);
    const before = proxy.requests.length;
    // The next watch gets an ERROR 410 event; while it reconnects, objects go away.
    proxy.inject({ kind: 'watch-expired' }, { match: { watch: true }, times: 1 });
    await remove('keep');
    proxy.dropConnections();
    await create('after-410');
    await converged(a);
    expect(a.deletes).toContain('keep');
    const after = proxy.requests.slice(before);
    const expired = after.findIndex((r) => r.outcome === 'watch-expired');
    expect(expired).toBeGreaterThanOrEqual(0);
    // …followed by a fresh paged LIST (limit=500, no resourceVersion to resume from).
    expect(after.slice(expired + 1).some((r) => !r.watch && /\/configmaps\?.*limit=500/.test(r.url))).toBe(true);
    a.sub.dispose();
  });

  it('429 Too Many Requests: waits the Retry-After the server asked for, then converges', async () => {
    const a = subscriber('ctx-a');
    await converged(a);
    const before = proxy.requests.length;
    proxy.inject({ kind: 'status', status: 429, retryAfterSeconds: 2 }, { match: { path: /\/configmaps$/ }, times: 2 });
    proxy.dropConnections();
    await create('after-429');
    await remove('after-410');
    await converged(a, 'ctx-a', 20_000);
    const hits = proxy.requests.slice(before).filter((r) => /\/configmaps/.test(r.url) && !r.url.startsWith('/version'));
    const throttled = hits.filter((r) => r.outcome === 'status');
    expect(throttled).toHaveLength(2);
    // Each retry came no sooner than the 2 s the server asked for.
    const next = hits[hits.indexOf(throttled[0]!) + 1]!;
    expect(next.at - throttled[0]!.at).toBeGreaterThanOrEqual(1_900);
    expect(a.deletes).toContain('after-410');
    a.sub.dispose();
  });

  it('a stalled connection (no FIN) trips the no-progress watchdog, then recovers', async () => {
    const a = subscriber('ctx-a');
    await converged(a);
    const { informer, release } = watch.acquire({ context: 'ctx-a', resource: { group: '', plural: 'configmaps' }, namespace: NS });
    const trips = informer.stats.watchdogTrips;
    proxy.inject({ kind: 'stall' }, { match: { watch: true } });
    await remove('after-429');
    await create('during-stall');
    // watchSeconds ≤ 6 + grace 2: the stalled watch is abandoned within ~8 s.
    await expect.poll(() => informer.stats.watchdogTrips, { timeout: 15_000, interval: 200 }).toBeGreaterThan(trips);
    proxy.clear();
    await converged(a, 'ctx-a', 20_000);
    expect(a.deletes).toContain('after-429');
    release();
    a.sub.dispose();
  });
});
