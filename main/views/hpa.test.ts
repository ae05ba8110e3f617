import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { fixture } from './fixtures/load';
import { hpaRows } from './hpa';
import { metricKnobsServed, metricsApiState } from './definitions';

describe('HPA view', () => {
  const events = fixture<KubeObject[]>('hpa-events.json');

  it('shows every metric type as current vs target, the conditions, last scale time and events', () => {
    const [row] = hpaRows([fixture('hpa-all-metrics.json')], events);
    expect(row).toMatchObject({ name: 'vllm', target: { kind: 'Deployment', name: 'vllm' }, minReplicas: 1, maxReplicas: 8, currentReplicas: 3, desiredReplicas: 5, lastScaleTime: '2025-04-06T10:12:00Z' });
    expect(row!.metrics).toEqual([
      { type: 'Resource', name: 'cpu', target: '60%', targetValue: 60, targetType: 'Utilization', current: '92%', currentValue: 92 },
      { type: 'ContainerResource', name: 'server/memory', target: '8Gi (avg)', targetValue: 8 * 2 ** 30, targetType: 'AverageValue', current: '6871947673600m (avg)', currentValue: 6871947673.6 },
      { type: 'Pods', name: 'vllm_num_requests_waiting', metricName: 'vllm_num_requests_waiting', target: '5 (avg)', targetValue: 5, targetType: 'AverageValue', current: '7500m (avg)', currentValue: 7.5 },
      {
        type: 'Object',
        name: 'Ingress/vllm requests_per_second',
        metricName: 'requests_per_second',
        describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'vllm' },
        target: '2k',
        targetValue: 2000,
        targetType: 'Value',
        current: '3100',
        currentValue: 3100,
      },
      { type: 'External', name: 'queue_messages_ready', metricName: 'queue_messages_ready', labels: { queue: 'prompts' }, target: '30 (avg)', targetValue: 30, targetType: 'AverageValue', current: '42 (avg)', currentValue: 42 },
    ]);
    expect(row!.ableToScale).toMatchObject({ status: 'True', reason: 'SucceededRescale' });
    expect(row!.scalingActive).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
    expect(row!.scalingLimited).toMatchObject({ status: 'False', reason: 'DesiredWithinRange' });
    expect(row!.events.map((e) => e.message)).toEqual([expect.stringContaining('New size: 5'), expect.stringContaining('New size: 3')]);
  });

  it('an HPA whose metrics cannot be fetched: no current value, ScalingActive False with the reason, defaults filled', () => {
    const [row] = hpaRows([fixture('hpa-no-metrics.json')], events);
    expect(row).toMatchObject({ minReplicas: 1, maxReplicas: 4, desiredReplicas: 0 });
    expect(row!.metrics).toEqual([{ type: 'Resource', name: 'cpu', target: '50%', targetValue: 50, targetType: 'Utilization' }]);
    // The controller's defaults: scale up at once, down after 300 s.
    expect(row!.stabilization).toEqual({ upSeconds: 0, downSeconds: 300 });
    expect(row!.scalingActive).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric' });
    expect(row!.scalingLimited).toBeUndefined();
    expect(row!.events[0]).toMatchObject({ type: 'Warning', count: 14 });
  });

  it('tells whether Slipway’s metrics adapter serves the external metrics (so they are knobs)', () => {
    const apiService = (service: string) => ({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.external.metrics.k8s.io', uid: 'x' }, spec: { service: { name: service, namespace: 'kube-system' } } });
    expect(metricKnobsServed([apiService('slipway-metrics-adapter')])).toBe(true);
    expect(metricKnobsServed([apiService('keda-operator-metrics-apiserver')])).toBe(false);
    expect(metricKnobsServed([])).toBe(false);
    expect(metricKnobsServed(undefined)).toBe(false);
  });

  it('tells whether the metrics API is there', () => {
    expect(metricsApiState([])).toBe('missing');
    expect(metricsApiState(undefined)).toBe('unknown');
    expect(metricsApiState([{ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io', uid: 'x' }, status: { conditions: [{ type: 'Available', status: 'True' }] } }])).toBe('available');
    expect(metricsApiState([{ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io', uid: 'x' }, status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] } }])).toBe('missing');
  });
});
