import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { fixture } from './fixtures/load';
import { hpaRows } from './hpa';
import { kedaScalers } from './keda';
import { VIEWS } from './definitions';

const keda = fixture<{ scaledObjects: KubeObject[]; scaledJobs: KubeObject[]; kedaHpa: KubeObject }>('keda.json');

describe('KEDA scalers', () => {
  const [batch, embeddings, orders] = kedaScalers(keda.scaledObjects, keda.scaledJobs);

  it('shows a ScaledObject with its triggers (no credentials), KEDA’s conditions and the HPA it owns', () => {
    expect(orders).toMatchObject({
      kind: 'ScaledObject',
      name: 'orders',
      namespace: 'ml',
      target: { kind: 'Deployment', name: 'orders-worker' },
      minReplicas: 0,
      maxReplicas: 20,
      paused: false,
      hpaName: 'keda-hpa-orders',
      lastActiveTime: '2026-12-04T10:12:00Z',
      externalMetricNames: ['s0-rabbitmq-orders', 's1-cron-Europe-Berlin-08xx1-5-018xx1-5'],
    });
    expect(orders!.triggers).toEqual([
      // The host URL carries a user and password: left out.
      { type: 'rabbitmq', detail: 'queueName=orders, mode=QueueLength, value=5' },
      { type: 'cron', name: 'business-hours', detail: 'timezone=Europe/Berlin, start=0 8 * * 1-5, end=0 18 * * 1-5, desiredReplicas=2' },
    ]);
    expect(orders!.active).toMatchObject({ status: 'True', reason: 'ScalerActive' });
    expect(orders!.ready).toMatchObject({ status: 'True' });
    expect(orders!.fallback).toMatchObject({ status: 'False' });
  });

  it('reads a pause from the annotation and the condition, with KEDA’s defaults for the range', () => {
    expect(embeddings).toMatchObject({ name: 'embeddings', target: { kind: 'StatefulSet', name: 'embeddings' }, paused: true, pausedReplicas: 3, minReplicas: 0, maxReplicas: 100 });
    expect(embeddings!.triggers).toEqual([{ type: 'prometheus', metricType: 'AverageValue', detail: 'serverAddress=http://prometheus.monitoring:9090, query=sum(rate(http_requests_total{app="embeddings"}[1m])), threshold=100' }]);
    expect(embeddings!.active).toMatchObject({ status: 'False', reason: 'ScalerNotActive' });
  });

  it('shows a ScaledJob with no HPA, and why it is not ready', () => {
    expect(batch).toMatchObject({ kind: 'ScaledJob', name: 'batch-embed', target: { kind: 'Job', name: 'batch-embed' }, maxReplicas: 10, paused: false, externalMetricNames: [] });
    expect(batch!.minReplicas).toBeUndefined();
    expect(batch!.hpaName).toBeUndefined();
    expect(batch!.triggers).toEqual([{ type: 'kafka', detail: 'bootstrapServers=kafka.ml:9092, consumerGroup=embed, topic=documents, lagThreshold=50, sasl=plaintext' }]);
    expect(batch!.ready).toMatchObject({ status: 'False', message: 'error parsing kafka metadata: no bootstrapServers given' });
  });

  it('marks the HPA KEDA made as owned by its ScaledObject', () => {
    const [row] = hpaRows([keda.kedaHpa], []);
    expect(row!.ownedBy).toBe('orders');
    expect(row!.metrics[0]).toMatchObject({ type: 'External', metricName: 's0-rabbitmq-orders', current: '4500m (avg)', target: '5 (avg)' });
    expect(hpaRows([fixture('hpa-no-metrics.json')], [])[0]!.ownedBy).toBeUndefined();
  });

  it('lists scalers in the Autoscalers view only where KEDA’s CRDs are installed', () => {
    const inputs = { hpas: [keda.kedaHpa], scaledobjects: keda.scaledObjects, scaledjobs: keda.scaledJobs };
    expect(VIEWS.hpa.compute(inputs, new Set()).meta!.hpa!.scalers!.map((s) => s.name)).toEqual(['batch-embed', 'embeddings', 'orders']);
    expect(VIEWS.hpa.compute({ hpas: [] }, new Set(['scaledobjects', 'scaledjobs'])).meta!.hpa!.scalers).toBeUndefined();
  });
});
