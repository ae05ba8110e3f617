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

const everywhere = { metricKnobs: true, simulatedLoad: true };

describe('load knobs', () => {
  it('pushes an External average to the maximum and releases it to nothing', () => {
    const [queue] = loadKnobs(row([{ type: 'External', name: 'queue_depth', metricName: 'queue_depth', labels: { queue: 'inference' }, target: '10 (avg)', targetValue: 10, targetType: 'AverageValue' }]), everywhere);
    expect(queue!.label).toBe('queue_depth{queue=inference}');
    // ceil(50 / 10) = 5 = maxReplicas.
    expect([queue!.peak, queue!.idle]).toEqual([50, 0]);
    expect(queue!.explain).toContain('50 gives its maximum 5, 0 its minimum 1');
    expect(queue!.request(50)).toEqual({ metric: 'queue_depth', value: '50', target: { type: 'external', labels: { queue: 'inference' }, replicasOf: 'Deployment.apps/inference-queue' } });
  });

  it('shares a Pods metric among the replicas, set on the workload', () => {
    const [rps] = loadKnobs(row([{ type: 'Pods', name: 'requests_per_second', metricName: 'requests_per_second', target: '100 (avg)', targetValue: 100, targetType: 'AverageValue' }]), everywhere);
    expect([rps!.peak, rps!.idle]).toEqual([500, 50]);
    expect(rps!.request(500)).toEqual({ metric: 'requests_per_second', value: '500 / replicas', target: { type: 'object', group: 'apps', kind: 'Deployment', name: 'inference-queue' } });
  });

  it('sets an Object metric on the object it describes; a Value target doubles for the push', () => {
    const [object] = loadKnobs(
      row([{ type: 'Object', name: 'Service/api rps', metricName: 'rps', describedObject: { apiVersion: 'v1', kind: 'Service', name: 'api' }, target: '40', targetValue: 40, targetType: 'Value' }]),
      everywhere,
    );
    expect([object!.peak, object!.idle]).toEqual([80, 20]);
    expect(object!.request(12.34567).value).toBe('12.346');
    expect(object!.request(80).target).toEqual({ type: 'object', group: '', kind: 'Service', name: 'api' });
  });

  it('drives CPU utilization on simulated pods as a share of their request, set in the pod template', () => {
    const cpu: HpaMetricView = { type: 'Resource', name: 'cpu', target: '60%', targetValue: 60, targetType: 'Utilization' };
    const [knob] = loadKnobs(row([cpu]), everywhere);
    // Twice the target keeps the HPA adding replicas to its maximum; a fifth lets it fall to its minimum.
    expect([knob!.peak, knob!.idle]).toEqual([120, 12]);
    expect(knob!.label).toBe('CPU (% of each pod’s request)');
    expect(knob!.explain).toContain('pods roll');
    expect(knob!.request(120)).toEqual({ metric: 'cpu', value: '120%', target: { type: 'object', group: 'apps', kind: 'Deployment', name: 'inference-queue' } });
    // Real pods use what they use: no CPU knob off simulated nodes, and custom metrics only where the adapter serves them.
    expect(loadKnobs(row([cpu]), { metricKnobs: true, simulatedLoad: false })).toEqual([]);
    const rps: HpaMetricView = { type: 'Pods', name: 'rps', metricName: 'rps', target: '10 (avg)', targetValue: 10, targetType: 'AverageValue' };
    expect(loadKnobs(row([cpu, rps]), { metricKnobs: false, simulatedLoad: true }).map((k) => k.id)).toEqual(['resource/cpu']);
  });

  it('offers nothing for average-value resource targets or metrics without a numeric target', () => {
    expect(loadKnobs(row([{ type: 'Resource', name: 'cpu', target: '500m (avg)', targetValue: 0.5, targetType: 'AverageValue' }]), everywhere)).toEqual([]);
    expect(loadKnobs(row([{ type: 'ContainerResource', name: 'app/cpu', target: '60%', targetValue: 60, targetType: 'Utilization' }]), everywhere)).toEqual([]);
    expect(loadKnobs(row([{ type: 'External', name: 'q', metricName: 'q', target: '?' }]), everywhere)).toEqual([]);
  });

  it('says how long a release takes to show', () => {
    expect(releaseNote(row([], 15))).toContain('15 s scale-down stabilization window');
    expect(releaseNote(row([], 0))).toContain('as soon as');
  });
});
