/**
 * What a Namespace or a CRD holds that a promotion did not create: deleting either deletes
 * everything in it (a CRD's deletion removes every custom resource of its kind), so rollback
 * deletes one it created only when this list is empty. Anything that cannot be listed counts as
 * held: when in doubt, keep.
 */
import { toAppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { mapLimit } from './pool';
import type { TargetOps } from './target';

interface List {
  items: KubeObject[];
}

interface ResourceList {
  groupVersion: string;
  resources: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

/** Kinds that a namespace fills itself, or that only mirror other objects. */
const IGNORED_KINDS = new Set(['Event', 'Endpoints']);
/** Objects every namespace gets from controllers. */
const NAMESPACE_DEFAULTS = new Set(['ServiceAccount/default', 'ConfigMap/kube-root-ca.crt']);

/**
 * Whether `item` counts against deleting its container: not created by the promotion (`ours`,
 * by uid), not on its way out, and — in a namespace — not a dependent (an owned object goes with
 * its owner, and the owner, in the namespace too, is listed in its own right). A custom resource
 * counts even when owned: its owner may live anywhere.
 */
function isForeign(item: KubeObject, ours: ReadonlySet<string>, dependentsGoWithOwners = true): boolean {
  const meta = item.metadata as Record<string, any>;
  if (ours.has(String(meta.uid))) return false;
  if (meta.deletionTimestamp) return false;
  if (dependentsGoWithOwners && Array.isArray(meta.ownerReferences) && meta.ownerReferences.length > 0) return false;
  return true;
}

/** Up to `max` objects in `namespace` that the promotion did not create (`Kind name`), or the reason it could not tell. */
export async function foreignInNamespace(ops: TargetOps, namespace: string, ours: ReadonlySet<string>, max = 5): Promise<string[]> {
  const { client, signal } = ops;
  const groups = (await client.request<{ groups: { preferredVersion?: { groupVersion: string } }[] }>({ path: '/apis', signal })).body.groups;
  const groupVersions = ['v1', ...groups.map((g) => g.preferredVersion?.groupVersion).filter((gv): gv is string => Boolean(gv))];
  const found: string[] = [];
  await mapLimit(groupVersions, 6, async (gv) => {
    // Metrics APIs list derived readings, not objects anyone created.
    if (/(^|\.)metrics\.k8s\.io\//.test(gv)) return;
    const base = gv === 'v1' ? '/api/v1' : `/apis/${gv}`;
    let resources: ResourceList['resources'];
    try {
      resources = (await client.request<ResourceList>({ path: base, signal, timeoutMs: 15_000 })).body.resources;
    } catch (error) {
      const e = toAppError(error);
      if (e.code === 'CANCELLED') throw e;
      found.push(`(${gv} could not be listed: ${e.message})`);
      return;
    }
    for (const r of resources) {
      if (!r.namespaced || r.name.includes('/') || !r.verbs?.includes('list') || IGNORED_KINDS.has(r.kind)) continue;
      try {
        const items = (await client.request<List>({ path: `${base}/namespaces/${encodeURIComponent(namespace)}/${r.name}`, query: { limit: 100 }, signal })).body.items;
        for (const item of items) {
          if (NAMESPACE_DEFAULTS.has(`${r.kind}/${item.metadata.name}`) || !isForeign(item, ours)) continue;
          found.push(`${r.kind} ${item.metadata.name}`);
        }
      } catch (error) {
        const e = toAppError(error);
        if (e.code === 'CANCELLED') throw e;
        found.push(`(${r.name} could not be listed: ${e.message})`);
      }
    }
  });
  return found.sort().slice(0, max);
}

/** Up to `max` custom resources of the CRD `name` that the promotion did not create, or the reason it could not tell. */
export async function foreignCustomResources(ops: TargetOps, crd: KubeObject, ours: ReadonlySet<string>, max = 5): Promise<string[]> {
  const spec = (crd.spec ?? {}) as { group?: string; names?: { plural?: string; kind?: string }; versions?: { name: string; served?: boolean; storage?: boolean }[] };
  const version = spec.versions?.find((v) => v.storage) ?? spec.versions?.find((v) => v.served);
  if (!spec.group || !spec.names?.plural || !version) return [`(${crd.metadata.name} has no served version to list)`];
  try {
    const items = (await ops.client.request<List>({ path: `/apis/${spec.group}/${version.name}/${spec.names.plural}`, query: { limit: 100 }, signal: ops.signal })).body.items;
    return items
      .filter((item) => isForeign(item, ours, false))
      .map((item) => `${spec.names!.kind ?? 'object'} ${item.metadata.namespace ? `${item.metadata.namespace}/` : ''}${item.metadata.name}`)
      .sort()
      .slice(0, max);
  } catch (error) {
    const e = toAppError(error);
    if (e.code === 'CANCELLED') throw e;
    return [`(its custom resources could not be listed: ${e.message})`];
  }
}
