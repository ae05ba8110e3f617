import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { isCapturable, sanitize } from './sanitize';

const meta = { uid: 'u', resourceVersion: '12', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'kubectl' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '2', keep: 'me' } };

describe('sanitize', () => {
  it('removes identity, bookkeeping, status and controller annotations but keeps the author\'s', () => {
    const live = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ml', ...meta }, spec: { replicas: 2 }, status: { readyReplicas: 2 } } as unknown as KubeObject;
    expect(sanitize(live)).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ml', annotations: { keep: 'me' } }, spec: { replicas: 2 } });
    expect(live.status).toBeDefined();
  });

  it('removes cluster-assigned fields: Service IPs and node ports, PVC volume, pod node and token volume, Job selector', () => {
    const svc = sanitize({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'ClusterIP', clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.5'], ports: [{ port: 80, nodePort: 30001 }] } } as unknown as KubeObject);
    expect(svc.spec).toEqual({ type: 'ClusterIP', ports: [{ port: 80 }] });
    const headless = sanitize({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'h' }, spec: { clusterIP: 'None' } } as unknown as KubeObject);
    expect(headless.spec).toEqual({ clusterIP: 'None' });
    const pvc = sanitize({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p', annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'volume.kubernetes.io/selected-node': 'n1' } }, spec: { volumeName: 'pvc-123', storageClassName: 'standard' } } as unknown as KubeObject);
    expect(pvc).toEqual({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec: { storageClassName: 'standard' } });
    const pod = sanitize({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1', volumes: [{ name: 'kube-api-access-x1' }, { name: 'data' }], containers: [{ name: 'c', volumeMounts: [{ name: 'kube-api-access-x1' }, { name: 'data' }] }] } } as unknown as KubeObject);
    expect(pod.spec).toEqual({ volumes: [{ name: 'data' }], containers: [{ name: 'c', volumeMounts: [{ name: 'data' }] }] });
    const job = sanitize({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', labels: { 'batch.kubernetes.io/controller-uid': 'u', app: 'x' } }, spec: { selector: { matchLabels: { 'controller-uid': 'u' } }, template: { metadata: { labels: { 'controller-uid': 'u', 'job-name': 'j', app: 'x' } } } } } as unknown as KubeObject);
    expect(job).toEqual({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', labels: { app: 'x' } }, spec: { template: { metadata: { labels: { app: 'x' } } } } });
  });

  it('drops the simulated load `slipway metrics set` annotated, keeping the author’s annotations', () => {
    const deployment = sanitize({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', annotations: { 'slipway.dev/metric.requests_per_second': '600 / replicas', 'slipway.dev/metric-since.requests_per_second': '2026-01-01T00:00:00Z', team: 'ml' } },
    } as unknown as KubeObject);
    expect(deployment.metadata.annotations).toEqual({ team: 'ml' });
  });

  it('keeps out what the cluster or a controller creates', () => {
    const of = (o: object) => isCapturable(o as KubeObject);
    expect(of({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ownerReferences: [{ kind: 'ReplicaSet', controller: true }] } })).toBe(false);
    expect(of({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } })).toBe(false);
    expect(of({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' } })).toBe(false);
    // The laptop's simulated external metrics are not part of the workload.
    expect(of({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'slipway-external-metrics' } })).toBe(false);
    expect(of({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 't' } })).toBe(false);
    expect(of({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'standalone' } })).toBe(true);
    expect(of({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } })).toBe(true);
  });
});
