/**
 * The server-side diff: every rendered object is applied with dryRun=All and the answer compared
 * with the live object (Argo CD's server-side diff). Nothing in the target changes.
 */
import { AppError, toAppError } from '../../shared/errors';
import type { DiffAction, DiffEntry, RenderedObject } from '../../shared/models/promote';
import { conflictInfo } from './conflicts';
import { creationChanges, fieldChanges } from './field-diff';
import { sortForApply } from './order';
import { mapLimit } from './pool';
import { groupKind } from '../kube/resources/names';
import { getLive, serverSideApply } from '../kube/resources/server-side-apply';
import type { TargetOps } from './target';

export const DIFF_CONCURRENCY = 8;

/** Kinds and namespaces that the rendered objects create themselves (CRDs, Namespaces). */
export function createdByBundle(rendered: RenderedObject[]): { kinds: Set<string>; namespaces: Set<string> } {
  const kinds = new Set<string>();
  const namespaces = new Set<string>();
  for (const { object } of rendered) {
    if (object.kind === 'CustomResourceDefinition') {
      const spec = object.spec as { group?: string; names?: { kind?: string } } | undefined;
      if (spec?.group && spec.names?.kind) kinds.add(`${spec.group}/${spec.names.kind}`);
    }
    if (object.kind === 'Namespace' && object.apiVersion === 'v1') namespaces.add(object.metadata.name);
  }
  return { kinds, namespaces };
}

export async function diffOne(ops: TargetOps, item: RenderedObject, bundle: { kinds: Set<string>; namespaces: Set<string> }): Promise<DiffEntry> {
  const { ref, object } = item;
  const pending = bundle.kinds.has(groupKind(ref.apiVersion, ref.kind)) || (ref.namespace !== undefined && bundle.namespaces.has(ref.namespace));
  try {
    const resource = await ops.mapper.resolveKind(ref.apiVersion, ref.kind, ops.signal);
    if (!resource) {
      if (bundle.kinds.has(groupKind(ref.apiVersion, ref.kind))) return { ref, action: 'create', changes: creationChanges(object) };
      throw new AppError('NOT_FOUND', `${ops.client.contextName} does not serve ${ref.kind} (${ref.apiVersion}): its CRD is not installed.`, { fix: 'Install the CRD in the target first.' });
    }
    const live = await getLive(ops.client, ops.mapper, ref, ops);
    let dry;
    try {
      dry = await serverSideApply(ops.client, ops.mapper, object, { dryRun: true, signal: ops.signal, onThrottle: ops.onThrottle });
    } catch (error) {
      // The namespace (or CRD) the object needs comes with the bundle: the dry run cannot see it yet.
      if (!live && pending && error instanceof AppError && error.code === 'NOT_FOUND') return { ref, action: 'create', changes: creationChanges(object) };
      throw error;
    }
    if (!live) return { ref, action: 'create', changes: creationChanges(object) };
    let changes = fieldChanges(live, dry);
    if (changes.length > 0) {
      // A controller may have written between the read and the dry run (a claim bound, an HPA
      // scaled): ask both again once, so only what slipway would change is reported.
      const [again, dryAgain] = [await getLive(ops.client, ops.mapper, ref, ops), await serverSideApply(ops.client, ops.mapper, object, { dryRun: true, signal: ops.signal, onThrottle: ops.onThrottle })];
      if (again) changes = fieldChanges(again, dryAgain);
    }
    return { ref, action: changes.length ? 'change' : 'unchanged', changes };
  } catch (error) {
    const e = toAppError(error);
    if (e.code === 'CONFLICT' && (e.details as { reason?: string } | undefined)?.reason === 'Conflict') return { ref, action: 'conflict', changes: [], conflict: conflictInfo(e) };
    if (e.code === 'CANCELLED') throw e;
    return { ref, action: 'error', changes: [], error: { code: e.code, message: e.message } };
  }
}

/** Diffs every object (bounded concurrency), in apply order. */
export async function diffAll(ops: TargetOps, rendered: RenderedObject[], onProgress?: (done: number, total: number) => void): Promise<DiffEntry[]> {
  const ordered = sortForApply(rendered);
  const bundle = createdByBundle(rendered);
  let done = 0;
  return mapLimit(ordered, DIFF_CONCURRENCY, async (item) => {
    const entry = await diffOne(ops, item, bundle);
    onProgress?.(++done, ordered.length);
    return entry;
  });
}

export function summarize(entries: DiffEntry[]): Record<DiffAction, number> {
  const summary: Record<DiffAction, number> = { create: 0, change: 0, unchanged: 0, conflict: 0, error: 0, delete: 0 };
  for (const e of entries) summary[e.action]++;
  return summary;
}
