import { describe, expect, it } from 'vitest';
import type { HpaMetricView, HpaRow } from '../../../shared/models/views';
import { loadKnobs, releaseNote } from './load-knobs';

function row(metrics: HpaMetricView[], downSeconds = 15): HpaRow {
  return {
    key: 'u',
    section: 'hpa',
    name: 'inference-queue',
    namespace: 'ml',
    target: { kind: 'Deployment', name: 'inference-queue', apiVersion: 'apps/v1' },
    minReplicas: 1,
    maxReplicas: 5,
    currentReplicas: 1,
    desiredReplicas: 1,
    metrics,
    conditions: [],
    events: [],
    stabilization: { upSeconds: 0, downSeconds },
  };
}

describe('load knobs', () => {
  it('pushes an External average to the maximum and releases it to nothing', () => {
    const [queue] = loadKnobs(row([{ type: 'External', name: 'queue_depth', metricName: 'queue_depth', labels: { queue: 'inference' }, target: '10 (avg)', targetValue: 10, targetType: 'AverageValue' }]));
    expect(queue!.label).toBe('queue_depth{queue=inference}');
    // ceil(50 / 10) = 5 = maxReplicas.
    expect([queue!.peak, queue!.idle]).toEqual([50, 0]);
    expect(queue!.explain).toContain('50 gives its maximum 5, 0 its minimum 1');
    expect(queue!.request(50)).toEqual({ metric: 'queue_depth', value: '50', target: { type: 'external', labels: { queue: 'inference' }, replicasOf: 'Deployment.apps/inference-queue' } });
  });

  it('shares a Pods metric among the replicas, set on the workload', () => {
    const [rps] = loadKnobs(row([{ type: 'Pods', name: 'requests_per_second', metricName: 'requests_per_second', target: '100 (avg)', targetValue: 100, targetType: 'AverageValue' }]));
    expect([rps!.peak, rps!.idle]).toEqual([500, 50]);
    expect(rps!.request(500)).toEqual({ metric: 'requests_per_second', value: '500 / replicas', target: { type: 'object', group: 'apps', kind: 'Deployment', name: 'inference-queue' } });
  });

  it('sets an Object metric on the object it describes; a Value target doubles for the push', () => {
    const [object] = loadKnobs(
      row([{ type: 'Object', name: 'Service/api rps', metricName: 'rps', describedObject: { apiVersion: 'v1', kind: 'Service', name: 'api' }, target: '40', targetValue: 40, targetType: 'Value' }]),
    );
    expect([object!.peak, object!.idle]).toEqual([80, 20]);
    expect(object!.request(12.34567).value).toBe('12.346');
    expect(object!.request(80).target).toEqual({ type: 'object', group: '', kind: 'Service', name: 'api' });
  });

  it('offers nothing for resource metrics or metrics without a numeric target', () => {
    expect(loadKnobs(row([{ type: 'Resource', name: 'cpu', target: '60%', targetValue: 60, targetType: 'Utilization' }]))).toEqual([]);
    expect(loadKnobs(row([{ type: 'External', name: 'q', metricName: 'q', target: '?' }]))).toEqual([]);
  });

  it('says how long a release takes to show', () => {
    expect(releaseNote(row([], 15))).toContain('15 s scale-down stabilization window');
    expect(releaseNote(row([], 0))).toContain('as soon as');
  });
});
