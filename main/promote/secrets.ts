/**
 * Secret values: masked wherever they would be shown (diff, plan, history sent to a page) the
 * way `kubectl diff` masks them, and dropped where nothing needs them. Pure.
 */
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { FieldChange } from '../../shared/models/promote';

/** What a masked value reads as; the same mark as `kubectl diff`. */
export const MASK = '***';

const isSecret = (object: Pick<KubeObject, 'apiVersion' | 'kind'>) => object.kind === 'Secret' && object.apiVersion === 'v1';
const VALUE_FIELDS = ['data', 'stringData'] as const;

/** A copy of a Secret with every value of `data` and `stringData` replaced by {@link MASK}; other objects unchanged. */
export function maskSecret<T extends KubeObject | null>(object: T): T {
  if (!object || !isSecret(object)) return object;
  const copy = structuredClone(object) as KubeObject;
  for (const field of VALUE_FIELDS) {
    const values = copy[field];
    if (values && typeof values === 'object') copy[field] = Object.fromEntries(Object.keys(values).map((k) => [k, MASK]));
  }
  // kubectl keeps the last applied configuration in an annotation: it holds the values too.
  if (copy.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']) copy.metadata.annotations = { ...copy.metadata.annotations, 'kubectl.kubernetes.io/last-applied-configuration': MASK };
  return copy as T;
}

/**
 * Field changes of a Secret with the values masked: a changed value reads `*** (before)` →
 * `*** (after)`, as `kubectl diff` shows it, so the reader sees which keys change and not what
 * they hold.
 */
export function maskSecretChanges(object: Pick<KubeObject, 'apiVersion' | 'kind'>, changes: FieldChange[]): FieldChange[] {
  if (!isSecret(object)) return changes;
  return changes.map((c) => {
    const field = c.path.split(/[.[]/)[0];
    const sensitive = (VALUE_FIELDS as readonly string[]).includes(field ?? '') || c.path.includes('last-applied-configuration');
    if (!sensitive) return c;
    const masked: FieldChange = { path: c.path, type: c.type };
    const mask = (value: unknown, tag: string) => (value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).map((k) => [k, `${MASK} (${tag})`])) : `${MASK} (${tag})`);
    if ('before' in c) masked.before = mask(c.before, 'before');
    if ('after' in c) masked.after = mask(c.after, 'after');
    return masked;
  });
}

/** Names (`namespace/name`) and keys of the Secrets among `objects`. */
export function secretsIn(objects: KubeObject[]): { name: string; namespace?: string; keys: string[] }[] {
  return objects.filter(isSecret).map((o) => ({
    name: o.metadata.name,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    keys: [...new Set(VALUE_FIELDS.flatMap((f) => Object.keys((o[f] as Record<string, unknown> | undefined) ?? {})))].sort(),
  }));
}

export { isSecret };
