import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors';
import type { KubeObject } from '../../../shared/k8s/kube-object';
import type { WatchBatch } from '../../../shared/models/views-watch';
import { Backoff } from './backoff';
import { DEFAULT_TIMING, Informer, type InformerTiming } from './informer';
import { listAll } from './paged-list';
import { builtinRef } from '../resources/builtin';
import { slim } from './slim';
import { FakeApi } from './testing/fake-api';
import { WatchService } from './watch-service';

const CONFIGMAPS = builtinRef({ group: '', plural: 'configmaps' })!;
const timing: InformerTiming = { ...DEFAULT_TIMING, pageSize: 2, watchSeconds: [30, 30], watchdogGraceMs: 5_000, backoff: () => new Backoff(100, 2_000, () => 1) };

function informerOn(api: FakeApi, t = timing) {
  const informer = new Informer({ client: async () => api.client(), resolve: async () => CONFIGMAPS }, { resource: { group: '', plural: 'configmaps' } }, t, () => 0);
  const phases: string[] = [];
  informer.on((c) => c.type === 'status' && phases.push(c.status.phase));
  return { informer, phases, names: () => [...informer.cache.values()].map((o) => o.metadata.name).sort() };
}

describe('watch engine (fake API, fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('backoff grows, is capped, and resets', () => {
    const b = new Backoff(100, 1_000, () => 1);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
    const jittered = new Backoff(100, 1_000, () => 0);
    expect([jittered.next(), jittered.next()]).toEqual([100, 100]);
  });

  it('slims managedFields and the last-applied annotation', () => {
    const o = slim({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', uid: 'u', managedFields: [{}], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'x' } } } as KubeObject);
    expect(o.metadata).toEqual({ name: 'a', uid: 'u', annotations: { keep: 'x' } });
  });

  it('pages a LIST with limit + continue and restarts when the continue token expires (410)', async () => {
    const api = new FakeApi();
    for (const n of ['a', 'b', 'c', 'd', 'e']) api.add(n);
    api.continueExpiredBefore = Number(api.resourceVersion) + 1; // every token issued now is already expired…
    const first = listAll(api.client(), CONFIGMAPS, { pageSize: 2, maxRestarts: 1 });
    await expect(first).rejects.toMatchObject({ details: { status: 410 } });
    api.continueExpiredBefore = 0;
    let expireOnce = true;
    const realRequest = api.client().request.bind(api.client());
    const flaky = api.client() as unknown as { request: typeof realRequest };
    const client = { ...flaky, contextName: 'fake', request: async (req: Parameters<typeof realRequest>[0]) => {
      if (req.query?.continue && expireOnce) {
        expireOnce = false;
        throw new AppError('KUBE_API_ERROR', 'continue expired', { details: { status: 410 } });
      }
      return realRequest(req);
    } };
    const result = await listAll(client as never, CONFIGMAPS, { pageSize: 2 });
    expect(result.items.map((i) => i.metadata.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(result.restarts).toBe(1);
    expect(result.items[0]).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
    expect(result.items[0]!.metadata.managedFields).toBeUndefined();
  });

  it('resumes the watch from the last resourceVersion after a dropped connection, with backoff', async () => {
    const api = new FakeApi();
    api.add('a');
    const { informer, phases, names } = informerOn(api);
    informer.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(names()).toEqual(['a']);
    api.add('b');
    await vi.advanceTimersByTimeAsync(0);
    expect(names()).toEqual(['a', 'b']);
    const lastRv = api.resourceVersion;
    api.faults.watch.push({ kind: 'error', error: new AppError('CLUSTER_UNREACHABLE', 'connection refused') });
    api.dropWatches();
    api.add('c'); // happens while we are away
    await vi.advanceTimersByTimeAsync(0);
    expect(phases).toContain('reconnecting');
    expect(informer.status.retryAt).toBeDefined();
    await vi.advanceTimersByTimeAsync(100 + 200);
    expect(names()).toEqual(['a', 'b', 'c']);
    expect(api.calls.list).toBe(1); // no relist needed
    expect(api.calls.watchFrom.slice(-1)[0]).toBe(lastRv);
    expect(informer.status.phase).toBe('synced');
    informer.stop();
  });

  it('410 on the watch relists and emits deletes for objects that vanished meanwhile', async () => {
    const api = new FakeApi();
    for (const n of ['a', 'b', 'c']) api.add(n);
    const { informer, names } = informerOn(api);
    const deleted: string[] = [];
    informer.on((c) => c.type === 'delete' && deleted.push(c.object.metadata.name));
    informer.start();
    await vi.advanceTimersByTimeAsync(0);
    api.dropWatches();
    api.faults.watch.push({ kind: 'error', error: new AppError('CLUSTER_UNREACHABLE', 'gone') });
    api.remove('b');
    api.add('d');
    api.compactedBelow = Number(api.resourceVersion); // history of the outage is gone: 410
    await vi.advanceTimersByTimeAsync(5_000);
    expect(names()).toEqual(['a', 'c', 'd']);
    expect(deleted).toEqual(['b']);
    expect(informer.stats.relists).toBe(1);
    informer.stop();
  });

  it('honours Retry-After on 429 instead of its own backoff', async () => {
    const api = new FakeApi();
    api.add('a');
    api.faults.list.push({ kind: 'error', error: new AppError('UNAVAILABLE', 'throttled', { details: { status: 429, retryAfterSeconds: 7 } }) });
    const { informer, names } = informerOn(api);
    informer.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(informer.status.phase).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(6_900);
    expect(api.calls.list).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(api.calls.list).toBe(2);
    expect(names()).toEqual(['a']);
    informer.stop();
  });

  it('a stalled watch trips the no-progress watchdog and reconnects; bookmarks keep it alive', async () => {
    const api = new FakeApi();
    api.add('a');
    const { informer } = informerOn(api);
    informer.start();
    await vi.advanceTimersByTimeAsync(0);
    // Bookmarks count as progress.
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(20_000);
      api.bookmark();
    }
    expect(informer.stats.watchdogTrips).toBe(0);
    api.faults.watch.push({ kind: 'stall' });
    api.dropWatches();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.calls.watch).toBe(2);
    await vi.advanceTimersByTimeAsync(35_000);
    expect(informer.stats.watchdogTrips).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.calls.watch).toBe(3);
    informer.stop();
  });

  it('forbidden and not-served resources become statuses, never crashes', async () => {
    const api = new FakeApi();
    api.faults.list.push({ kind: 'error', error: new AppError('FORBIDDEN', 'configmaps is forbidden') });
    const { informer } = informerOn(api);
    informer.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(informer.status).toMatchObject({ phase: 'forbidden', error: { code: 'FORBIDDEN' } });
    informer.stop();
    const absent = new Informer({ client: async () => api.client(), resolve: async () => null }, { resource: { group: 'ray.io', plural: 'rayjobs' } }, timing);
    absent.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(absent.status.phase).toBe('absent');
    absent.stop();
  });

  it('a wake while the kind is being looked up is not lost: the informer looks again at once', async () => {
    const api = new FakeApi();
    api.add('x');
    let served = false;
    let lookups = 0;
    const late = new Informer(
      {
        client: async () => api.client(),
        // The CRD becomes Established (and the wake comes) while this lookup is still answering "not served".
        resolve: async () => {
          lookups++;
          const answer = served ? CONFIGMAPS : null;
          if (lookups === 1) {
            served = true;
            late.wake();
          }
          return answer;
        },
      },
      { resource: { group: '', plural: 'configmaps' } },
      timing,
    );
    late.start();
    await vi.advanceTimersByTimeAsync(0);
    // Well before the 60 s recheck.
    await vi.advanceTimersByTimeAsync(10);
    expect(lookups).toBe(2);
    expect(late.status.phase).not.toBe('absent');
    late.stop();
  });

  it('subscribers share one informer, get a snapshot then deltas coalesced per batch; the last one stops it', async () => {
    const api = new FakeApi();
    api.add('a');
    const service = new WatchService(async () => api.client(), { timing, batchMs: 100, lingerMs: 0, probeIntervalMs: 0 });
    const key = { context: 'c1', resource: { group: '', plural: 'configmaps' } };
    const one: WatchBatch[] = [];
    const two: WatchBatch[] = [];
    const s1 = service.subscribe(key, (b) => one.push(b));
    await vi.advanceTimersByTimeAsync(0);
    const s2 = service.subscribe(key, (b) => two.push(b));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.calls.list).toBe(1);
    expect(one[0]).toMatchObject({ type: 'snapshot', status: { phase: 'synced' } });
    expect(two[0]).toMatchObject({ type: 'snapshot' });
    expect(two[0]!.type === 'snapshot' && two[0]!.items.map((i) => i.metadata.name)).toEqual(['a']);
    // 50 changes inside one batch period: one message, last state wins, add+delete cancels out.
    for (let i = 0; i < 50; i++) api.update('a', { data: { i: String(i) } });
    api.add('tmp');
    api.remove('tmp');
    await vi.advanceTimersByTimeAsync(100);
    const deltas = one.filter((b) => b.type === 'delta');
    expect(deltas).toHaveLength(1);
    const delta = deltas[0]!;
    expect(delta.type === 'delta' && delta.upserts.map((u) => [u.metadata.name, (u as { data?: { i: string } }).data?.i])).toEqual([['a', '49']]);
    expect(delta.type === 'delta' && delta.deletes).toEqual(['uid-tmp']);
    expect(delta.resourceVersion).toBe(api.resourceVersion);
    s1.dispose();
    expect(service.acquire(key).informer.status.phase).toBe('synced'); // still held by s2 (and this acquire)
    s2.dispose();
    service.dispose();
  });
});
