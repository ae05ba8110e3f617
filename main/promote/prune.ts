/**
 * Prune: deleting what an earlier promotion of the same bundle created and this one no longer
 * has. "The same bundle" is its identity (a hash of where it comes from), never its folder name;
 * "created" is what history recorded with a uid, never a label Slipway also puts on objects it
 * only configured. An object is deleted only while its live uid is still the recorded one (a
 * delete precondition, so a replacement made meanwhile is never touched), and never a
 * PersistentVolumeClaim (data), a Namespace or a CRD (they hold other objects).
 */
import { createHash } from 'node:crypto';
import { AppError, toAppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { BundleSource, ObjectRef, PromotionRecord } from '../../shared/models/promote';
import { formatRef } from '../../shared/models/promote';
import type { ApplyJournal } from './apply-journal';
import { refKey } from './apply';
import { mapLimit } from './pool';
import { sanitize } from './sanitize';
import { getLive } from '../kube/resources/server-side-apply';
import { withThrottleRetry } from '../kube/throttle-retry';
import type { TargetOps } from './target';

/** Kinds prune never deletes. */
const NEVER_PRUNED = new Set(['PersistentVolumeClaim', 'Namespace', 'CustomResourceDefinition']);

/** A bundle's identity: 16 hex of a hash of its source (absolute path, or capture context/namespace/selector). */
export function bundleIdentity(source: BundleSource): string {
  const key = source.kind === 'capture' ? ['capture', source.context, source.namespace, source.selector ?? ''] : ['path', source.path];
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
}

export interface PruneTarget {
  ref: ObjectRef;
  uid: string;
}

/**
 * What earlier promotions of the bundle to the target created (with a recorded uid), newest
 * record first, minus what the bundle still renders (`keep`, by ref key) and what was rolled back.
 */
export function pruneCandidates(records: PromotionRecord[], bundleId: string, target: string, keep: Set<string>): PruneTarget[] {
  const out = new Map<string, PruneTarget>();
  for (const record of records) {
    if (record.bundleId !== bundleId || record.target !== target || record.rolledBackAt || record.status === 'blocked') continue;
    for (const o of record.result) {
      const key = refKey(o.ref);
      if (o.outcome !== 'created' || !o.uid || keep.has(key) || out.has(key) || NEVER_PRUNED.has(o.ref.kind)) continue;
      out.set(key, { ref: o.ref, uid: o.uid });
    }
  }
  return [...out.values()];
}

/** The candidates that still exist with the recorded uid, with their live objects. */
export async function livePruneTargets(ops: TargetOps, candidates: PruneTarget[]): Promise<(PruneTarget & { object: KubeObject })[]> {
  const found = await mapLimit(candidates, 8, async (c) => {
    let live: KubeObject | null;
    try {
      live = await getLive(ops.client, ops.mapper, c.ref, ops);
    } catch (error) {
      const e = toAppError(error);
      // A kind the target no longer serves has nothing left to delete.
      if (e.code === 'NOT_FOUND') return null;
      if (e.code === 'CANCELLED') throw e;
      throw new AppError(e.code, `Could not read ${formatRef(c.ref)} to decide whether to prune it: ${e.message}`, { fix: 'Nothing was deleted. Try again when the target answers, or promote without prune.', cause: error });
    }
    return live && live.metadata.uid === c.uid ? { ...c, object: live } : null;
  });
  return found.filter((f): f is PruneTarget & { object: KubeObject } => f !== null);
}

/** Deletes the targets (uid precondition), journaling each before it goes. */
export async function prune(ops: TargetOps, targets: (PruneTarget & { object: KubeObject })[], journal: ApplyJournal | undefined, progress: (message: string) => void): Promise<{ ref: ObjectRef; object: KubeObject; uid: string }[]> {
  const deleted: { ref: ObjectRef; object: KubeObject; uid: string }[] = [];
  for (const t of targets) {
    const object = sanitize(t.object);
    journal?.willPrune(t.ref, object, t.uid);
    const gone = await deleteIfUid(ops, t.ref, t.uid);
    if (gone === 'replaced') {
      journal?.didApply({ ref: t.ref, outcome: 'skipped', message: 'not pruned: it was replaced by an object this bundle did not create' });
      continue;
    }
    journal?.didPrune(t.ref, t.uid);
    progress(`${formatRef(t.ref)} deleted (no longer in the bundle)`);
    deleted.push({ ref: t.ref, object, uid: t.uid });
  }
  return deleted;
}

/**
 * Deletes `ref` only while its uid is `uid` (DeleteOptions.preconditions: the server refuses with
 * 409 otherwise). `absent` when it was already gone, `replaced` when another object holds the name.
 */
export async function deleteIfUid(ops: TargetOps, ref: ObjectRef, uid: string): Promise<'deleted' | 'absent' | 'replaced'> {
  const path = await ops.mapper.objectPath(ref, ops.signal);
  try {
    await withThrottleRetry(
      () => ops.client.request({ method: 'DELETE', path, body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', preconditions: { uid } }, signal: ops.signal }),
      ops.signal,
      ops.onThrottle,
    );
    return 'deleted';
  } catch (error) {
    const e = toAppError(error);
    if (e.code === 'NOT_FOUND') return 'absent';
    if (e.code === 'CONFLICT') return 'replaced';
    throw error;
  }
}
