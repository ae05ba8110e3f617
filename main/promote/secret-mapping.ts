/**
 * The profile's `secrets` map applied to rendered objects (pure): a Secret mapped to `null` is
 * left out; a Secret mapped to a name is left out too and every pod template reference to it
 * (volumes, projected volumes, env, envFrom, imagePullSecrets) points at the target's Secret of
 * that name instead.
 */
import type { RenderedObject } from '../../shared/models/promote';
import type { PromotionProfile } from '../../shared/models/promote-profile';
import { containersOf, isObject, podTemplates } from './pod-templates';
import { isSecret } from './secrets';

/** The profile's decision for one Secret name: undefined keeps it as it is. */
function decision(profile: PromotionProfile, name: string): string | null | undefined {
  if (name in profile.secrets) return profile.secrets[name];
  return '*' in profile.secrets ? profile.secrets['*'] : undefined;
}

/** Every place a pod spec names a Secret, as getter/setter pairs. */
export function secretRefs(spec: Record<string, any>): { name: string; set(name: string): void; where: string }[] {
  const refs: { name: string; set(name: string): void; where: string }[] = [];
  const at = (holder: Record<string, any>, key: string, where: string) => {
    if (typeof holder[key] === 'string') refs.push({ name: holder[key], set: (n) => (holder[key] = n), where });
  };
  for (const v of Array.isArray(spec.volumes) ? spec.volumes.filter(isObject) : []) {
    if (isObject(v.secret)) at(v.secret, 'secretName', `volume ${v.name}`);
    for (const source of isObject(v.projected) && Array.isArray(v.projected.sources) ? v.projected.sources.filter(isObject) : []) if (isObject(source.secret)) at(source.secret, 'name', `volume ${v.name}`);
  }
  for (const p of Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets.filter(isObject) : []) at(p, 'name', 'imagePullSecrets');
  for (const c of containersOf(spec)) {
    for (const e of Array.isArray(c.env) ? c.env.filter(isObject) : []) if (isObject(e.valueFrom) && isObject(e.valueFrom.secretKeyRef)) at(e.valueFrom.secretKeyRef, 'name', `container ${c.name} env ${e.name}`);
    for (const e of Array.isArray(c.envFrom) ? c.envFrom.filter(isObject) : []) if (isObject(e.secretRef)) at(e.secretRef, 'name', `container ${c.name} envFrom`);
  }
  return refs;
}

/** Applies the map; returns what was left out (`namespace/name` → why) for preflight to report. */
export function mapSecrets(rendered: RenderedObject[], profile: PromotionProfile): { rendered: RenderedObject[]; leftOut: { ref: RenderedObject['ref']; mappedTo: string | null }[] } {
  if (Object.keys(profile.secrets).length === 0) return { rendered, leftOut: [] };
  const leftOut: { ref: RenderedObject['ref']; mappedTo: string | null }[] = [];
  const kept = rendered.filter((r) => {
    if (!isSecret(r.object)) return true;
    const to = decision(profile, r.ref.name);
    if (to === undefined) return true;
    leftOut.push({ ref: r.ref, mappedTo: to });
    return false;
  });
  for (const r of kept) {
    for (const template of podTemplates(r.object)) {
      for (const ref of secretRefs(template.spec)) {
        const to = decision(profile, ref.name);
        if (typeof to === 'string' && to !== ref.name) {
          r.changes.push(`${template.where} ${ref.where}: Secret ${ref.name} → ${to} (the target's)`);
          ref.set(to);
        }
      }
    }
  }
  return { rendered: kept, leftOut };
}

