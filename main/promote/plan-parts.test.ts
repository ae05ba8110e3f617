import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { AppError } from '../../shared/errors';
import { fits, gpuDemands, placeGpuPods, quotaDemand, tolerates, type NodeInfo } from './capacity';
import { conflictInfo } from './conflicts';
import { creationChanges, fieldChanges } from './field-diff';
import { checkImages } from './image-checks';
import { groupByPhase, phaseOf, sortForApply } from './order';
import { formatQuantity, parseQuantity } from '../../shared/k8s/quantity';
import { readinessOf } from './readiness';

const ref = (apiVersion: string, kind: string, name = 'x') => ({ ref: { apiVersion, kind, name } });

describe('apply order', () => {
  it('puts namespaces, CRDs, RBAC, config, storage, network, workloads, autoscalers in that order, stable within a phase', () => {
    const items = [ref('autoscaling/v2', 'HorizontalPodAutoscaler'), ref('apps/v1', 'Deployment', 'b'), ref('v1', 'Service'), ref('apps/v1', 'Deployment', 'a'), ref('v1', 'PersistentVolumeClaim'), ref('v1', 'ConfigMap'), ref('rbac.authorization.k8s.io/v1', 'Role'), ref('apiextensions.k8s.io/v1', 'CustomResourceDefinition'), ref('v1', 'Namespace'), ref('kubeflow.org/v1', 'PyTorchJob'), ref('example.com/v1', 'Widget')];
    expect(sortForApply(items).map((i) => `${i.ref.kind}${i.ref.name === 'x' ? '' : `/${i.ref.name}`}`)).toEqual([
      'Namespace', 'CustomResourceDefinition', 'Role', 'ConfigMap', 'PersistentVolumeClaim', 'Service', 'Deployment/b', 'Deployment/a', 'PyTorchJob', 'HorizontalPodAutoscaler', 'Widget',
    ]);
    expect(groupByPhase(items).map((g) => g.phase)).toEqual(['namespaces', 'crds', 'rbac', 'config', 'storage', 'network', 'workloads', 'autoscalers', 'other']);
    expect(phaseOf({ apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'LocalQueue' })).toBe('config');
  });

  it('applies namespaces in a phase of their own, before the quotas and limit ranges that live in them', () => {
    const items = [ref('v1', 'ResourceQuota', 'q'), ref('v1', 'LimitRange', 'l'), ref('v1', 'Namespace', 'ns'), ref('v1', 'ConfigMap', 'c')];
    expect(groupByPhase(items).map((g) => `${g.phase}: ${g.items.map((i) => i.ref.kind).join(' ')}`)).toEqual(['namespaces: Namespace', 'policies: ResourceQuota LimitRange', 'config: ConfigMap']);
  });
});

describe('field diff', () => {
  const live = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', resourceVersion: '5', generation: 2, uid: 'u', managedFields: [{ manager: 'a' }], labels: { a: '1' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'x:1' }] } } }, status: { replicas: 1 } } as unknown as KubeObject;

  it('ignores bookkeeping and status, and reports leaves with before and after', () => {
    const next = structuredClone(live) as any;
    next.metadata.resourceVersion = '9';
    next.metadata.managedFields = [{ manager: 'slipway' }];
    next.status = { replicas: 3 };
    expect(fieldChanges(live, next)).toEqual([]);
    next.spec.template.spec.containers[0].image = 'x:2';
    next.metadata.labels['team/name'] = 'ml';
    delete next.spec.replicas;
    expect(fieldChanges(live, next)).toEqual([
      { path: 'metadata.labels["team/name"]', type: 'added', after: 'ml' },
      { path: 'spec.replicas', type: 'removed', before: 1 },
      { path: 'spec.template.spec.containers.0.image', type: 'changed', before: 'x:1', after: 'x:2' },
    ]);
  });

  it('lists what a create writes', () => {
    expect(creationChanges({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ml' }, data: { k: 'v' } })).toEqual([
      { path: 'metadata.namespace', type: 'added', after: 'ml' },
      { path: 'data', type: 'added', after: { k: 'v' } },
    ]);
  });
});

describe('conflicts', () => {
  it('reads managers and fields from a 409 status', () => {
    const error = new AppError('CONFLICT', 'cloud: Apply failed with 2 conflicts: conflict with "kubectl-edit" using apps/v1: .spec.replicas', {
      details: { status: 409, reason: 'Conflict', kubeDetails: { causes: [{ type: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas' }, { type: 'FieldManagerConflict', message: 'conflict with "hpa-controller" using apps/v1', field: '.spec.template.spec.containers[name="c"].image' }] } },
    });
    expect(conflictInfo(error)).toEqual({ managers: ['kubectl-edit', 'hpa-controller'], fields: ['spec.replicas', 'spec.template.spec.containers[name="c"].image'], message: 'Apply failed with 2 conflicts: conflict with "kubectl-edit" using apps/v1: .spec.replicas' });
  });
});

describe('GPU capacity', () => {
  const node = (name: string, free: number, labels: Record<string, string> = {}, taints: NodeInfo['taints'] = []): NodeInfo => ({ name, free, labels, taints, unschedulable: false, ready: true, released: 0 });
  const job = (perPod: number, parallelism: number, extra: Record<string, unknown> = {}): KubeObject =>
    ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'ml' }, spec: { parallelism, template: { spec: { ...extra, containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': perPod } } }] } } } }) as unknown as KubeObject;

  it('counts GPUs per pod and pods per workload, including PyTorchJob replica specs', () => {
    const pj = { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'p', namespace: 'ml' }, spec: { pytorchReplicaSpecs: { Master: { replicas: 1, template: { spec: { containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': 2 } } }] } } }, Worker: { replicas: 3, template: { spec: { containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': 2 } } }] } } } } } } as unknown as KubeObject;
    expect(gpuDemands([pj, job(1, 2)], 'nvidia.com/gpu').map((d) => [d.workload, d.perPod, d.pods])).toEqual([
      ['PyTorchJob ml/p (Master)', 2, 1],
      ['PyTorchJob ml/p (Worker)', 2, 3],
      ['Job ml/j', 1, 2],
    ]);
  });

  it('honours taints, tolerations and selectors', () => {
    const taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
    expect(tolerates([], [taint])).toBe(false);
    expect(tolerates([{ key: 'nvidia.com/gpu', operator: 'Exists' }], [taint])).toBe(true);
    expect(tolerates([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'other', effect: 'NoSchedule' }], [taint])).toBe(false);
    expect(tolerates([], [{ key: 'x', effect: 'PreferNoSchedule' }])).toBe(true);
    expect(fits({ nodeSelector: { a: '1' }, tolerations: [] }, node('n', 1, { a: '2' }))).toBe(false);
  });

  it('fails when the pods do not fit and says why', () => {
    const selector = { nodeSelector: { 'cloud.google.com/gke-accelerator': 'a100' } };
    const nodes = [node('g1', 4, { 'cloud.google.com/gke-accelerator': 'a100' }), node('g2', 4, { 'cloud.google.com/gke-accelerator': 'a100' }), node('cpu', 0)];
    expect(placeGpuPods(gpuDemands([job(4, 2, selector)], 'nvidia.com/gpu'), nodes)).toEqual({ ok: true, reason: '8 nvidia.com/gpu needed, 8 free on 2 node(s).' });
    const tooMany = placeGpuPods(gpuDemands([job(4, 3, selector)], 'nvidia.com/gpu'), nodes);
    expect(tooMany.ok).toBe(false);
    expect(tooMany.reason).toBe('Job ml/j needs 4 nvidia.com/gpu per pod × 3; nodes matching cloud.google.com/gke-accelerator=a100 have 8 free, and 1 pod(s) would not fit (12 needed in total).');
    const tooBig = placeGpuPods(gpuDemands([job(3, 3, selector)], 'nvidia.com/gpu'), nodes);
    expect(tooBig.ok).toBe(false);
    // Required node affinity narrows the nodes as a selector does.
    const zoned = { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }] } } } };
    const zonedNodes = [node('a1', 8, { zone: 'a' }), node('b1', 2, { zone: 'b' })];
    expect(placeGpuPods(gpuDemands([job(2, 1, zoned)], 'nvidia.com/gpu'), zonedNodes).ok).toBe(true);
    const outOfZone = placeGpuPods(gpuDemands([job(4, 1, zoned)], 'nvidia.com/gpu'), zonedNodes);
    expect(outOfZone).toEqual({ ok: false, reason: 'Job ml/j needs 4 nvidia.com/gpu per pod × 1; nodes matching node affinity zone In (b) have 2 free, and 1 pod(s) would not fit (4 needed in total).' });
    const nowhere = placeGpuPods(gpuDemands([job(1, 1, { nodeSelector: { 'nvidia.com/gpu.present': 'true' } })], 'nvidia.com/gpu'), nodes);
    expect(nowhere.reason).toBe('Job ml/j needs 1 nvidia.com/gpu per pod, but no node matches nvidia.com/gpu.present=true.');
  });

  it('sums quota demand over pods (limits stand in for missing requests) and claims', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { 'nvidia.com/gpu': 1, memory: '2Gi' } } }] } } } } as unknown as KubeObject;
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec: { resources: { requests: { storage: '20Gi' } } } } as unknown as KubeObject;
    const demand = quotaDemand([d, pvc]);
    expect(Object.fromEntries(demand)).toEqual({
      pods: 3,
      'requests.cpu': 1.5,
      cpu: 1.5,
      'requests.memory': 3 * 2 ** 30,
      memory: 3 * 2 ** 30,
      'requests.nvidia.com/gpu': 3,
      'limits.nvidia.com/gpu': 3,
      'limits.memory': 6 * 2 ** 30,
      persistentvolumeclaims: 1,
      'requests.storage': 20 * 2 ** 30,
    });
  });
});

describe('quantities', () => {
  it('parses and formats', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('16Gi')).toBe(16 * 2 ** 30);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(4)).toBe(4);
    expect(parseQuantity('lots')).toBeNaN();
    expect(formatQuantity('requests.memory', 3 * 2 ** 30)).toBe('3Gi');
    expect(formatQuantity('requests.cpu', 0.25)).toBe('250m');
  });
});

describe('image checks', () => {
  it('fails local-only registries, warns on unpinned images', () => {
    const pod = (...images: string[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } }) as unknown as KubeObject;
    const findings = checkImages([pod('localhost:5001/ml/train:1', 'kind-registry:5000/x:1', 'python', 'repo/app:latest', 'gcr.io/a/b:1.2', `gcr.io/a/b@sha256:${'0'.repeat(64)}`)]);
    expect(Object.fromEntries(findings.map((f) => [f.image, f.status]))).toEqual({
      'localhost:5001/ml/train:1': 'fail',
      'kind-registry:5000/x:1': 'fail',
      python: 'warn',
      'repo/app:latest': 'warn',
      'gcr.io/a/b:1.2': 'ok',
      [`gcr.io/a/b@sha256:${'0'.repeat(64)}`]: 'ok',
    });
    const loaded = pod('gcr.io/a/b:1.2', 'acme/trainer:dev', 'python:3.12');
    (loaded.spec as any).containers[0].imagePullPolicy = 'Never';
    expect(checkImages([loaded], { localCluster: 'kind-laptop' }).map((f) => [f.image, f.status])).toEqual([
      ['acme/trainer:dev', 'warn'],
      ['gcr.io/a/b:1.2', 'fail'],
      ['python:3.12', 'ok'],
    ]);
  });
});

describe('readiness', () => {
  it('judges rollouts, claims and jobs', () => {
    const deploy = (status: object, generation = 2) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', generation }, spec: { replicas: 2 }, status }) as unknown as KubeObject;
    expect(readinessOf(deploy({ observedGeneration: 1 }))).toEqual({ ready: false, message: 'waiting for the controller to see the new spec' });
    expect(readinessOf(deploy({ observedGeneration: 2, updatedReplicas: 2, availableReplicas: 1 }))!.message).toBe('1/2 replicas available');
    expect(readinessOf(deploy({ observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2 }))!.ready).toBe(true);
    expect(readinessOf({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec: { volumeName: 'pv1' }, status: { phase: 'Bound' } } as unknown as KubeObject)).toEqual({ ready: true, message: 'bound to pv1' });
    expect(readinessOf({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: {}, status: {} } as unknown as KubeObject)!.ready).toBe(false);
    expect(readinessOf({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: {}, status: { startTime: 't', active: 1 } } as unknown as KubeObject)).toEqual({ ready: true, message: 'started (1 active)' });
    expect(readinessOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toBeUndefined();
  });
});
