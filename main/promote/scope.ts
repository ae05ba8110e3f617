/**
 * Which kinds are cluster-scoped, for rendering without a target (export, unit tests). With a
 * target, discovery answers instead; kinds it does not know fall back to this list.
 */
const CLUSTER_SCOPED = new Set([
  'v1/Namespace',
  'v1/Node',
  'v1/PersistentVolume',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/VolumeAttachment',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'apiregistration.k8s.io/APIService',
  'kueue.x-k8s.io/ClusterQueue',
  'kueue.x-k8s.io/ResourceFlavor',
  'snapshot.storage.k8s.io/VolumeSnapshotClass',
]);

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `group/Kind` (core kinds as `v1/Kind`). */
export function groupKind(apiVersion: string, kind: string): string {
  const group = groupOf(apiVersion);
  return `${group || 'v1'}/${kind}`;
}

export function isClusterScopedKind(apiVersion: string, kind: string): boolean {
  return CLUSTER_SCOPED.has(groupKind(apiVersion, kind));
}

/** Answers whether a kind is namespaced; `undefined` when unknown. */
export type ScopeLookup = (apiVersion: string, kind: string) => boolean | undefined;

export const staticScope: ScopeLookup = (apiVersion, kind) => !isClusterScopedKind(apiVersion, kind);
