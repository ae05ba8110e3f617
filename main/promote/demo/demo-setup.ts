/**
 * What the demo (and the promotion tests) put into its two simulated clusters besides nodes:
 * the laptop looks like kind with GPU passthrough, the cloud like GKE with an A100 node pool.
 */
import type { KubeObject } from '../../../shared/k8s/kube-object';

/**
 * A CRD reduced to a structural schema that keeps any spec and status: enough for the API server
 * to serve the kind as its operator's CRD does, with a status subresource.
 */
export function structuralCrd(crd: { group: string; version: string; kind: string; plural: string }): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${crd.plural}.${crd.group}` },
    spec: {
      group: crd.group,
      scope: 'Namespaced',
      names: { kind: crd.kind, listKind: `${crd.kind}List`, plural: crd.plural, singular: crd.kind.toLowerCase() },
      versions: [
        {
          name: crd.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
        },
      ],
    },
  };
}

/** The Kubeflow Training Operator's PyTorchJob CRD, reduced to a structural schema. */
export const PYTORCHJOB_CRD: KubeObject = structuralCrd({ group: 'kubeflow.org', version: 'v1', kind: 'PyTorchJob', plural: 'pytorchjobs' });

/** Static volumes standing in for a provisioner (simulated clusters have none). */
export function volumes(storageClassName: string, count: number, prefix: string): KubeObject[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `${prefix}-${i}` },
    spec: { storageClassName, capacity: { storage: '100Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/tmp/${prefix}-${i}` } },
  }));
}

export function laptopObjects(): KubeObject[] {
  return [
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'Immediate' },
    { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'nvidia' }, handler: 'nvidia' },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml' } },
    PYTORCHJOB_CRD,
    ...volumes('standard', 2, 'laptop-pv'),
  ];
}

export const GKE_ACCELERATOR_LABEL = 'cloud.google.com/gke-accelerator';
export const GKE_GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

export function cloudObjects(quota: { gpus: number; pods: number; cpu: number } = { gpus: 16, pods: 60, cpu: 128 }): KubeObject[] {
  return [
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'premium-rwo' }, provisioner: 'pd.csi.storage.gke.io', volumeBindingMode: 'Immediate' },
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'ml-batch' }, value: 1000 },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml-prod' } },
    { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'ml-quota', namespace: 'ml-prod' }, spec: { hard: { 'requests.nvidia.com/gpu': String(quota.gpus), pods: String(quota.pods), 'requests.cpu': String(quota.cpu) } } },
    PYTORCHJOB_CRD,
    ...volumes('premium-rwo', 3, 'cloud-pv'),
  ];
}

/** A GPU node of the simulated cloud as GKE labels and taints it (a patch applied over the node). */
export function gkeGpuNodePatch(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { [GKE_ACCELERATOR_LABEL]: 'nvidia-tesla-a100' } }, spec: { taints: [GKE_GPU_TAINT] } };
}
