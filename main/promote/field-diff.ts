/**
 * Field-level comparison of a live object with the result of a server-side dry-run apply. Both
 * come from the same server, so defaults are filled in on both sides and cancel out; what is
 * left is the bookkeeping that changes on every write (managedFields, resourceVersion, …) and
 * status, which are removed first. Pure.
 */
import microdiff from 'microdiff';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { FieldChange } from '../../shared/models/promote';

const METADATA_NOISE = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'];

/** A copy without the fields that change on every write. */
export function withoutNoise(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  delete copy.status;
  for (const key of METADATA_NOISE) delete copy.metadata[key];
  return copy;
}

function formatPath(path: (string | number)[]): string {
  return path.map((part) => (typeof part === 'number' ? String(part) : /^[A-Za-z0-9_-]+$/.test(part) ? part : `[${JSON.stringify(part)}]`)).join('.').replace(/\.\[/g, '[');
}

/** What would change if `next` replaced `live`: added, removed and changed leaves, with values. */
export function fieldChanges(live: KubeObject, next: KubeObject): FieldChange[] {
  return microdiff(withoutNoise(live) as Record<string, any>, withoutNoise(next) as Record<string, any>).map((d) => {
    const path = formatPath(d.path);
    if (d.type === 'CREATE') return { path, type: 'added', after: d.value };
    if (d.type === 'REMOVE') return { path, type: 'removed', before: d.oldValue };
    return { path, type: 'changed', before: d.oldValue, after: d.value };
  });
}

/** Every leaf of an object as an "added" change: what a create writes. */
export function creationChanges(object: KubeObject): FieldChange[] {
  return fieldChanges({ apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name } }, object).filter((c) => c.path !== 'metadata.name');
}
