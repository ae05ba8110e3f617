/** REST paths and names of resources. Pure: nothing here talks to a server. */
import type { ResolvedResource } from './resource-mapper';

/** The group of an apiVersion: `apps/v1` → `apps`, `v1` → `''` (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The apiVersion objects of a resource carry: `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(resource: Pick<ResolvedResource, 'group' | 'version'>): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/**
 * A collection: `/api/v1/namespaces/ns/pods`, `/apis/group/version/plural`. A namespaced
 * resource without `namespace` is the collection across all namespaces (what watches list).
 */
export function collectionPath(resource: Pick<ResolvedResource, 'group' | 'version' | 'plural' | 'namespaced'>, namespace?: string): string {
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${resource.plural}`;
}

/**
 * One object. A namespaced object without a namespace is in `default`, as kubectl has it; the
 * namespace of a cluster-scoped object is ignored.
 */
export function objectPathOf(resource: Pick<ResolvedResource, 'group' | 'version' | 'plural' | 'namespaced'>, namespace: string | undefined, name: string): string {
  return `${collectionPath(resource, resource.namespaced ? (namespace ?? 'default') : undefined)}/${encodeURIComponent(name)}`;
}
