import type { ResourceRef } from '../../../shared/models/views-watch';

/** A resource as the server serves it, after discovery. */
export interface ResolvedResource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

/** Well-known kinds; CRDs are resolved through discovery at runtime. */
export const BUILTIN: Record<string, ResolvedResource> = {
  pods: { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  nodes: { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false },
  events: { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
  namespaces: { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  persistentvolumes: { group: '', version: 'v1', plural: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false },
  persistentvolumeclaims: { group: '', version: 'v1', plural: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true },
  configmaps: { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  services: { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  'storage.k8s.io/storageclasses': { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', kind: 'StorageClass', namespaced: false },
  'batch/jobs': { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true },
  'apps/deployments': { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  'apps/statefulsets': { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  'autoscaling/horizontalpodautoscalers': { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true },
  'apiregistration.k8s.io/apiservices': { group: 'apiregistration.k8s.io', version: 'v1', plural: 'apiservices', kind: 'APIService', namespaced: false },
  'apiextensions.k8s.io/customresourcedefinitions': { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false },
};

export function resourceId(ref: ResourceRef): string {
  return ref.group ? `${ref.group}/${ref.plural}` : ref.plural;
}

export function builtin(ref: ResourceRef): ResolvedResource | undefined {
  const known = BUILTIN[resourceId(ref)];
  if (!known) return undefined;
  return ref.version && ref.version !== known.version ? { ...known, version: ref.version } : known;
}

/** `/api/v1/namespaces/ns/pods` or `/apis/group/version/plural`. */
export function collectionPath(resource: ResolvedResource, namespace?: string): string {
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${resource.plural}`;
}

export function apiVersionOf(resource: ResolvedResource): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/** A readable name for messages: `pods`, `pytorchjobs.kubeflow.org`. */
export function displayName(ref: ResourceRef): string {
  return ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
}
