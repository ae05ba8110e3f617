import { describe, expect, it } from 'vitest';
import type { PodRow, ViewMeta } from '../../../../shared/models/views';
import { ViewStore } from './view-store';

const meta: ViewMeta = { context: 'c', live: { context: 'c', state: 'live', watches: 1 }, problems: [], absent: [] };
const pod = (key: string, phase = 'Running'): PodRow => ({ key, section: 'pod', name: key, namespace: 'd', phase, ready: '1/1', restarts: 0, gpus: 0, containers: ['a'] });

describe('ViewStore', () => {
  it('applies a snapshot then deltas, notifying once per batch', () => {
    const store = new ViewStore<PodRow>();
    let notified = 0;
    store.subscribe(() => notified++);
    expect(store.getSnapshot().loading).toBe(true);
    store.apply({ type: 'snapshot', rows: [pod('a'), pod('b')], meta, at: 1 });
    store.apply({ type: 'delta', upserts: [pod('a', 'Failed'), pod('c')], deletes: ['b'], at: 2 });
    expect(notified).toBe(2);
    const snap = store.getSnapshot();
    expect(snap.rows.map((r) => `${r.key}:${r.phase}`)).toEqual(['a:Failed', 'c:Running']);
    expect(snap).toMatchObject({ loading: false, version: 2, meta });
  });

  it('keeps the same rows array when only meta changed (no table re-render)', () => {
    const store = new ViewStore<PodRow>();
    store.apply({ type: 'snapshot', rows: [pod('a')], meta, at: 1 });
    const before = store.getSnapshot().rows;
    store.apply({ type: 'delta', upserts: [], deletes: [], meta: { ...meta, live: { ...meta.live, state: 'reconnecting' } }, at: 2 });
    expect(store.getSnapshot().rows).toBe(before);
    expect(store.getSnapshot().meta?.live.state).toBe('reconnecting');
  });
});
