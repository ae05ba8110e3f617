/**
 * The one static table of resources: kinds every API server serves, answered without a round
 * trip (and offline, for rendering a bundle without a target). Everything else, CRDs above all,
 * comes from discovery through {@link ResourceMapper}.
 */
import type { ResourceRef } from '../../../shared/models/views-watch';
import type { ResolvedResource } from './resource-mapper';
import { groupOf } from './paths';

type Row = [group: string, version: string, plural: string, kind: string, namespaced: boolean];

// Only GA versions served by every supported Kubernetes release: a fast-path answer must be
// what discovery would have said.
const ROWS: Row[] = [
  ['', 'v1', 'pods', 'Pod', true],
  ['', 'v1', 'nodes', 'Node', false],
  ['', 'v1', 'events', 'Event', true],
  ['', 'v1', 'namespaces', 'Namespace', false],
  ['', 'v1', 'persistentvolumes', 'PersistentVolume', false],
  ['', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true],
  ['', 'v1', 'configmaps', 'ConfigMap', true],
  ['', 'v1', 'secrets', 'Secret', true],
  ['', 'v1', 'services', 'Service', true],
  ['', 'v1', 'serviceaccounts', 'ServiceAccount', true],
  ['', 'v1', 'resourcequotas', 'ResourceQuota', true],
  ['', 'v1', 'limitranges', 'LimitRange', true],
  ['apps', 'v1', 'deployments', 'Deployment', true],
  ['apps', 'v1', 'statefulsets', 'StatefulSet', true],
  ['apps', 'v1', 'daemonsets', 'DaemonSet', true],
  ['apps', 'v1', 'replicasets', 'ReplicaSet', true],
  ['batch', 'v1', 'jobs', 'Job', true],
  ['batch', 'v1', 'cronjobs', 'CronJob', true],
  ['autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true],
  ['policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true],
  ['networking.k8s.io', 'v1', 'ingresses', 'Ingress', true],
  ['networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true],
  ['networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false],
  ['storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false],
  ['storage.k8s.io', 'v1', 'csidrivers', 'CSIDriver', false],
  ['storage.k8s.io', 'v1', 'volumeattachments', 'VolumeAttachment', false],
  ['node.k8s.io', 'v1', 'runtimeclasses', 'RuntimeClass', false],
  ['scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false],
  ['rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true],
  ['rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true],
  ['rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false],
  ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false],
  ['admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false],
  ['admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false],
  ['apiregistration.k8s.io', 'v1', 'apiservices', 'APIService', false],
  ['apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false],
];

const BUILTIN: readonly ResolvedResource[] = ROWS.map(([group, version, plural, kind, namespaced]) => ({ group, version, plural, kind, namespaced }));

/**
 * Cluster-scoped kinds of well-known CRDs, `group/Kind`. Never a fast path (the CRD may be
 * missing from a target, which discovery must tell); only a guess of scope when rendering offline.
 */
const CLUSTER_SCOPED_CRDS = new Set(['kueue.x-k8s.io/ClusterQueue', 'kueue.x-k8s.io/ResourceFlavor', 'snapshot.storage.k8s.io/VolumeSnapshotClass']);

/** The built-in resource of exactly this apiVersion and kind, if it is one. */
export function builtinKind(apiVersion: string, kind: string): ResolvedResource | undefined {
  const group = groupOf(apiVersion);
  const version = group ? apiVersion.slice(group.length + 1) : apiVersion;
  return BUILTIN.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/** The built-in resource of a plural ref (at `ref.version` when it names one), if it is one. */
export function builtinRef(ref: ResourceRef): ResolvedResource | undefined {
  const known = BUILTIN.find((r) => r.group === ref.group && r.plural === ref.plural);
  if (!known) return undefined;
  // Other served versions of a built-in (autoscaling/v1 HPAs) keep its plural and scope.
  return ref.version && ref.version !== known.version ? { ...known, version: ref.version } : known;
}

/** Whether a ref names a built-in resource (no CRD can make it appear or vanish). */
export function isBuiltinRef(ref: ResourceRef): boolean {
  return BUILTIN.some((r) => r.group === ref.group && r.plural === ref.plural);
}

/**
 * Whether objects of a kind are namespaced, without asking a server: by group and kind, any
 * version. Kinds it does not know are taken as namespaced (custom resources mostly are).
 */
export function offlineNamespaced(apiVersion: string, kind: string): boolean {
  const group = groupOf(apiVersion);
  const known = BUILTIN.find((r) => r.group === group && r.kind === kind);
  if (known) return known.namespaced;
  return !CLUSTER_SCOPED_CRDS.has(`${group}/${kind}`);
}
