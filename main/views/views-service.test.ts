import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import type { PodRow, ViewBatch } from '../../shared/models/views';
import { WatchService } from '../kube/watch/watch-service';
import { FakeApi } from '../kube/watch/testing/fake-api';
import { ViewsService } from './views-service';

const pod = (phase: string, restarts = 0) => ({ kind: 'Pod', spec: { containers: [{ name: 'main' }] }, status: { phase, containerStatuses: [{ name: 'main', ready: phase === 'Running', restartCount: restarts }] } });

describe('ViewsService (fake API, fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a snapshot, then only rows that changed, at most once per batch period', async () => {
    const api = new FakeApi();
    api.add('a', pod('Running'));
    api.add('b', pod('Pending'));
    const watch = new WatchService(async () => api.client(), { batchMs: 100, lingerMs: 0, probeIntervalMs: 0 });
    const views = new ViewsService(watch);
    const batches: ViewBatch[] = [];
    const sub = views.watchView({ context: 'c', view: 'pods' }, (b) => batches.push(b));
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toHaveLength(1);
    const snapshot = batches[0]!;
    expect(snapshot.type === 'snapshot' && snapshot.rows.map((r) => `${(r as PodRow).name}:${(r as PodRow).phase}`)).toEqual(['a:Running', 'b:Pending']);
    expect(snapshot.type === 'snapshot' && snapshot.meta).toMatchObject({ context: 'c', problems: [], absent: [] });

    // A burst: 200 updates to one pod, an invisible change, a create and a delete — one message.
    for (let i = 1; i <= 200; i++) api.update('a', { status: pod('Running', i).status });
    api.update('b', { spec: { ...pod('Pending').spec, priority: 5 } });
    api.add('c', pod('Pending'));
    api.remove('c');
    await vi.advanceTimersByTimeAsync(100);
    const deltas = batches.slice(1);
    expect(deltas).toHaveLength(1);
    const delta = deltas[0]!;
    expect(delta.type).toBe('delta');
    if (delta.type !== 'delta') return;
    // Only "a" changed as the table sees it; "b" changed a field no column shows, "c" came and went.
    expect(delta.upserts.map((r) => [(r as PodRow).name, (r as PodRow).restarts])).toEqual([['a', 200]]);
    expect(delta.deletes).toEqual([]);
    api.remove('b');
    await vi.advanceTimersByTimeAsync(100);
    expect(batches.at(-1)).toMatchObject({ type: 'delta', upserts: [], deletes: ['uid-b'] });
    sub.dispose();
    watch.dispose();
  });

  it('a forbidden source becomes a problem in meta; the view still answers', async () => {
    const api = new FakeApi();
    api.faults.list.push({ kind: 'error', error: new AppError('FORBIDDEN', 'pods is forbidden') });
    const watch = new WatchService(async () => api.client(), { batchMs: 100, lingerMs: 0, probeIntervalMs: 0 });
    const batches: ViewBatch[] = [];
    const sub = new ViewsService(watch).watchView({ context: 'c', view: 'pods' }, (b) => batches.push(b));
    await vi.advanceTimersByTimeAsync(0);
    expect(batches[0]).toMatchObject({ type: 'snapshot', rows: [], meta: { problems: [{ resource: 'pods', phase: 'forbidden', message: 'no permission to list pods' }] } });
    sub.dispose();
    watch.dispose();
  });
});
