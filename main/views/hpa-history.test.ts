import { describe, expect, it } from 'vitest';
import type { EventView, HpaRow } from '../../shared/models/views';
import { HpaHistoryStore, mergeHistory, rescalesFromEvents } from './hpa-history';

/** Events as the HPA controller writes them (k8s.io/kubernetes pkg/controller/podautoscaler). */
function rescale(size: number, at: string, reason = 'cpu resource utilization (percentage of request) above target'): EventView {
  return { key: `e-${size}-${at}`, type: 'Normal', reason: 'SuccessfulRescale', message: `New size: ${size}; reason: ${reason}`, count: 1, lastSeen: at, object: { kind: 'HorizontalPodAutoscaler', name: 'web', namespace: 'ml' } };
}

function row(current: number, desired: number, cpu?: number): HpaRow {
  return {
    key: 'uid-1',
    section: 'hpa',
    name: 'web',
    namespace: 'ml',
    target: { kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 5,
    currentReplicas: current,
    desiredReplicas: desired,
    metrics: [{ type: 'Resource', name: 'cpu', target: '50%', targetValue: 50, ...(cpu === undefined ? {} : { current: `${cpu}%`, currentValue: cpu }) }],
    conditions: [],
    events: [],
    stabilization: { upSeconds: 0, downSeconds: 300 },
  } as HpaRow;
}

describe('HPA history', () => {
  it('reads the sizes of SuccessfulRescale events, oldest first, and ignores other events', () => {
    const samples = rescalesFromEvents([
      rescale(1, '2026-12-02T10:05:00Z', 'All metrics below target'),
      rescale(3, '2026-12-02T10:00:00Z'),
      { ...rescale(9, '2026-12-02T10:01:00Z'), reason: 'FailedGetResourceMetric', message: 'failed to get cpu utilization' },
      { ...rescale(4, '2026-12-02T10:02:00Z'), lastSeen: undefined },
    ]);
    expect(samples.map((s) => [new Date(s.t).toISOString(), s.desired, s.source])).toEqual([
      ['2026-12-02T10:00:00.000Z', 3, 'event'],
      ['2026-12-02T10:05:00.000Z', 1, 'event'],
    ]);
  });

  it('keeps a sample per change, and one a minute at rest', () => {
    const store = new HpaHistoryStore(60_000);
    store.record('kind-a', [row(1, 1, 10)], 0);
    store.record('kind-a', [row(1, 1, 10)], 10_000);
    store.record('kind-a', [row(1, 2, 180)], 20_000);
    store.record('kind-a', [row(2, 2, 90)], 35_000);
    store.record('kind-a', [row(2, 2, 90)], 96_000);
    expect(store.watched('kind-a', 'uid-1').map((s) => [s.t, s.current, s.desired, s.metrics['Resource cpu']])).toEqual([
      [0, 1, 1, 10],
      [20_000, 1, 2, 180],
      [35_000, 2, 2, 90],
      [96_000, 2, 2, 90],
    ]);
    expect(store.watched('kind-b', 'uid-1')).toEqual([]);
    store.forget('kind-a', ['uid-1']);
    expect(store.watched('kind-a', 'uid-1')).toEqual([]);
  });

  it('puts events from before the watch ahead of the watched samples, and drops those inside it', () => {
    const events = rescalesFromEvents([rescale(3, '1970-01-01T00:00:10Z'), rescale(4, '1970-01-01T00:01:10Z')]);
    const store = new HpaHistoryStore();
    store.record('c', [row(3, 4, 200)], 60_000);
    const merged = mergeHistory(events, store.watched('c', 'uid-1'));
    expect(merged.map((s) => [s.t, s.desired, s.source])).toEqual([
      [10_000, 3, 'event'],
      [60_000, 4, 'watch'],
    ]);
  });
});
