import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { Bundle } from '../../shared/models/promote';
import { promotionProfileSchema, type PromotionProfileInput } from '../../shared/models/promote-profile';
import { parseManifests } from './bundle-loader';
import { parseProfile } from './profile-store';
import { BUNDLE_LABEL, KUEUE_QUEUE_LABEL, labelValue, render, rewriteImage } from './transforms';

const samples = path.resolve(__dirname, '../../resources/samples');
const profile = (input: Omit<PromotionProfileInput, 'name'> = {}) => promotionProfileSchema.parse({ name: 'test', ...input });
const bundleOf = (...objects: KubeObject[]): Bundle => ({ name: 'b', source: { kind: 'folder', path: '/b' }, objects: objects.map((object) => ({ object, origin: { file: 'x.yaml', line: 1 } })) });
const sample = (file: string): Bundle => ({ name: path.basename(path.dirname(file)), source: { kind: 'file', path: file }, objects: parseManifests(fs.readFileSync(path.join(samples, file), 'utf8'), file) });
const gke = () => parseProfile(fs.readFileSync(path.join(samples, 'profiles/gke.yaml'), 'utf8'), 'gke.yaml');

const gpuJob = (): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'train', namespace: 'ml' },
  spec: {
    template: {
      spec: {
        runtimeClassName: 'nvidia',
        nodeSelector: { 'nvidia.com/gpu.present': 'true', zone: 'a' },
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'nvidia.com/gpu.product', operator: 'In', values: ['RTX-4090'] }] }] } } },
        containers: [{ name: 'trainer', image: 'localhost:5001/ml/trainer:1', resources: { limits: { 'nvidia.com/gpu': 1 } } }],
      },
    },
  },
});

describe('render', () => {
  it('never mutates the bundle and labels every object with the bundle', () => {
    const job = gpuJob();
    const before = structuredClone(job);
    const [namespace, out] = render(bundleOf(job), gke());
    expect(job).toEqual(before);
    expect(out!.object.metadata.labels![BUNDLE_LABEL]).toBe('b');
    // The namespace the profile adds is shared by every bundle promoted there: no bundle label.
    expect(namespace!.object).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml-prod', labels: { team: 'ml', environment: 'production' }, annotations: { 'slipway.dev/promoted-from': 'laptop' } } });
  });

  it('moves namespaced objects to the profile namespace, adds the Namespace, leaves cluster-scoped ones alone', () => {
    const pc: KubeObject = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'hi', namespace: 'oops' }, value: 10 } as KubeObject;
    const rendered = render(bundleOf(gpuJob(), pc), profile({ namespace: 'ml-prod' }));
    expect(rendered.map((r) => `${r.ref.kind}/${r.ref.namespace ?? ''}/${r.ref.name}`)).toEqual(['Namespace//ml-prod', 'Job/ml-prod/train', 'PriorityClass//hi']);
    expect(rendered[1]!.changes).toContain('namespace ml → ml-prod');
  });

  it('renames a bundled Namespace and follows ServiceAccount subjects of bindings', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml' } };
    const rb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'ml' }, subjects: [{ kind: 'ServiceAccount', name: 'trainer', namespace: 'ml' }, { kind: 'ServiceAccount', name: 'x', namespace: 'elsewhere' }], roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' } } as unknown as KubeObject;
    const rendered = render(bundleOf(ns, rb), profile({ namespace: 'prod' }));
    expect(rendered.filter((r) => r.ref.kind === 'Namespace').map((r) => r.ref.name)).toEqual(['prod']);
    expect((rendered[1]!.object as any).subjects).toEqual([{ kind: 'ServiceAccount', name: 'trainer', namespace: 'prod' }, { kind: 'ServiceAccount', name: 'x', namespace: 'elsewhere' }]);
  });

  it('puts objects without a namespace in the default namespace of the target when the profile names none', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    const rendered = render(bundleOf(cm), profile({ createNamespace: false }), { defaultNamespace: 'team-a' });
    expect(rendered.map((r) => r.ref.namespace)).toEqual(['team-a']);
  });

  it('maps GPU scheduling: runtime class dropped, laptop selectors and affinity out, target selector and toleration in', () => {
    const [, out] = render(bundleOf(gpuJob()), gke());
    const spec = (out!.object.spec as any).template.spec;
    expect(spec.runtimeClassName).toBeUndefined();
    expect(spec.nodeSelector).toEqual({ zone: 'a', 'cloud.google.com/gke-accelerator': 'nvidia-tesla-a100' });
    expect(spec.affinity).toBeUndefined();
    expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }]);
    expect(spec.priorityClassName).toBe('ml-batch');
    expect(spec.containers[0].image).toBe('us-docker.pkg.dev/acme-ml/models/trainer:1');
    expect(spec.containers[0].resources.limits).toEqual({ 'nvidia.com/gpu': 1, cpu: '8' });
    expect(out!.object.metadata.labels![KUEUE_QUEUE_LABEL]).toBe('team-ml');
    expect(out!.changes).toEqual(
      expect.arrayContaining(['template: runtimeClassName nvidia removed', 'template: nodeSelector nvidia.com/gpu.present removed', 'image localhost:5001/ml/trainer:1 → us-docker.pkg.dev/acme-ml/models/trainer:1']),
    );
  });

  it('leaves CPU-only pods alone in the GPU mapping and does not duplicate tolerations on re-render', () => {
    const cpu = gpuJob();
    (cpu.spec as any).template.spec.containers[0].resources = {};
    const [, out] = render(bundleOf(cpu), gke());
    expect((out!.object.spec as any).template.spec.nodeSelector['nvidia.com/gpu.present']).toBe('true');
    const [, gpuOut] = render(bundleOf(gpuJob()), gke());
    const again = render(bundleOf(gpuOut!.object), gke()).find((r) => r.ref.kind === 'Job')!;
    expect((again.object.spec as any).template.spec.tolerations).toHaveLength(1);
  });

  it('renames the GPU resource when the target uses another one', () => {
    const [out] = render(bundleOf(gpuJob()), profile({ gpu: { resourceName: 'nvidia.com/mig-3g.40gb' }, createNamespace: false }));
    expect((out!.object.spec as any).template.spec.containers[0].resources.limits).toEqual({ 'nvidia.com/mig-3g.40gb': 1 });
  });

  it('maps storage classes of claims and StatefulSet volumeClaimTemplates, with * for the rest', () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'd', namespace: 'ml' }, spec: { storageClassName: 'standard' } } as unknown as KubeObject;
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'ml' }, spec: { volumeClaimTemplates: [{ metadata: { name: 'a' }, spec: { storageClassName: 'standard' } }, { metadata: { name: 'b' }, spec: {} }], template: { spec: { containers: [] } } } } as unknown as KubeObject;
    const rendered = render(bundleOf(pvc, sts), profile({ storageClasses: { standard: 'premium-rwo', '*': 'balanced' }, createNamespace: false }));
    expect((rendered[0]!.object.spec as any).storageClassName).toBe('premium-rwo');
    expect((rendered[1]!.object.spec as any).volumeClaimTemplates.map((t: any) => t.spec.storageClassName)).toEqual(['premium-rwo', 'balanced']);
  });

  it('leaves replicas to an HPA that scales the workload, and overrides HPA bounds', () => {
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ml' }, spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'x:1' }] } } } } as unknown as KubeObject;
    const other = { ...structuredClone(deploy), metadata: { name: 'batch', namespace: 'ml' } };
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'ml' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4 } } as unknown as KubeObject;
    const rendered = render(bundleOf(deploy, other, hpa), profile({ replicas: { '*': 5 }, hpa: { web: { minReplicas: 2, maxReplicas: 10 } }, createNamespace: false }));
    expect((rendered[0]!.object.spec as any).replicas).toBeUndefined();
    expect((rendered[1]!.object.spec as any).replicas).toBe(5);
    expect(rendered[2]!.object.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
  });

  it('rejects HPA bounds that cross', () => {
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'ml' }, spec: { minReplicas: 1, maxReplicas: 4 } } as unknown as KubeObject;
    expect(() => render(bundleOf(hpa), profile({ hpa: { '*': { minReplicas: 6 } } }))).toThrow(/minReplicas 6 above maxReplicas 4/);
  });

  it('rewrites every replica spec of a PyTorchJob', () => {
    const rendered = render(sample('pytorchjob/pytorchjob.yaml'), gke());
    const job = rendered.find((r) => r.ref.kind === 'PyTorchJob')!;
    for (const role of ['Master', 'Worker']) {
      const spec = (job.object.spec as any).pytorchReplicaSpecs[role].template.spec;
      expect(spec.containers[0].image).toBe('us-docker.pkg.dev/acme-ml/models/ddp-trainer:0.3.1');
      expect(spec.runtimeClassName).toBeUndefined();
      expect(spec.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-a100' });
    }
    expect(job.object.metadata.labels![KUEUE_QUEUE_LABEL]).toBe('team-ml');
    expect(job.ref.namespace).toBe('ml-prod');
  });

  it('adds labels and annotations of the profile', () => {
    const [, out] = render(sample('dataset/dataset-pvc.yaml'), gke());
    expect(out!.object.metadata.labels).toMatchObject({ team: 'ml', environment: 'production', 'app.kubernetes.io/name': 'dataset' });
    expect(out!.object.metadata.annotations).toEqual({ 'slipway.dev/promoted-from': 'laptop' });
    expect((out!.object.spec as any).storageClassName).toBe('premium-rwo');
  });
});

describe('rewriteImage', () => {
  it('uses the longest matching prefix and pins known digests', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const p = profile({ images: { rewrites: [{ from: 'localhost:5001/', to: 'reg.example.com/' }, { from: 'localhost:5001/ml/', to: 'gcr.io/acme/' }], digests: { 'gcr.io/acme/train:1': digest } } });
    expect(rewriteImage('localhost:5001/ml/train:1', p)).toBe(`gcr.io/acme/train:1@${digest}`);
    expect(rewriteImage('localhost:5001/other:2', p)).toBe('reg.example.com/other:2');
    expect(rewriteImage('python:3.12', p)).toBe('python:3.12');
  });
});

describe('labelValue', () => {
  it('makes a valid label value from any name', () => {
    expect(labelValue('My Bundle/v2!')).toBe('My-Bundle-v2');
    expect(labelValue('x'.repeat(80))).toHaveLength(63);
    expect(labelValue('---')).toBe('bundle');
  });
});
