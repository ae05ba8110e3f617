/**
 * Preflight for Secrets: a bundle that carries Secrets from the source cluster (a laptop token on
 * its way to production) is a warning that names them and their keys, with the two ways out —
 * leave them out, or map them to Secrets that already exist in the target (the profile's
 * `secrets` field). A mapping to a Secret the target does not have fails.
 */
import { toAppError } from '../../shared/errors';
import type { PreflightCheck, RenderedObject } from '../../shared/models/promote';
import { formatRef } from '../../shared/models/promote';
import type { PromotionProfile } from '../../shared/models/promote-profile';
import type { KubeClient } from '../kube/kube-client';
import { podTemplates } from './pod-templates';
import { secretRefs } from './secret-mapping';
import { secretsIn } from './secrets';

export async function checkSecrets(input: { client: KubeClient; rendered: RenderedObject[]; profile: PromotionProfile; signal?: AbortSignal }): Promise<PreflightCheck[]> {
  const { client, rendered, profile, signal } = input;
  const checks: PreflightCheck[] = [];
  const carried = secretsIn(rendered.map((r) => r.object));
  if (carried.length > 0) {
    const named = carried.map((s) => `${s.namespace ? `${s.namespace}/` : ''}${s.name} (${s.keys.join(', ') || 'no keys'})`).join(', ');
    const example = carried[0]!.name;
    checks.push({
      id: 'secrets',
      title: 'Secrets in the bundle',
      status: 'warn',
      reason: `The bundle carries ${carried.length} Secret(s) whose values would be written to ${client.contextName}: ${named}. Leave them out (profile secrets: {${example}: null}) or map them to Secrets the target already has (secrets: {${example}: <target secret>}).`,
      objects: carried.map((s) => `Secret ${s.namespace ? `${s.namespace}/` : ''}${s.name}`),
    });
  }
  // References the profile pointed at the target's own Secrets must find them there.
  const mappedTo = new Set(Object.values(profile.secrets).filter((v): v is string => typeof v === 'string'));
  const wanted = new Map<string, string[]>();
  for (const r of rendered) {
    for (const t of podTemplates(structuredClone(r.object))) {
      for (const ref of secretRefs(t.spec)) {
        if (!mappedTo.has(ref.name) || !r.ref.namespace) continue;
        const key = `${r.ref.namespace}/${ref.name}`;
        wanted.set(key, [...new Set([...(wanted.get(key) ?? []), formatRef(r.ref)])]);
      }
    }
  }
  for (const [key, objects] of wanted) {
    const [namespace, name] = key.split('/') as [string, string];
    const id = `secret:${key}`;
    try {
      await client.request({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`, signal, timeoutMs: 15_000 });
      checks.push({ id, title: `Secret ${key} in the target`, status: 'ok', reason: `${key} exists in the target; the profile maps the bundle's Secret to it.`, objects });
    } catch (error) {
      const e = toAppError(error);
      if (e.code === 'CANCELLED') throw e;
      checks.push({
        id,
        title: `Secret ${key} in the target`,
        status: 'fail',
        reason: e.code === 'NOT_FOUND' ? `The profile maps a Secret to ${key}, which does not exist in the target: the pods would not start. Create it there first.` : `Could not check ${key}: ${e.message}`,
        objects,
      });
    }
  }
  return checks;
}
