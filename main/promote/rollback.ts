/**
 * Rollback of one recorded promotion: what it changed goes back to the recorded previous state,
 * what it created is deleted, what prune deleted is created again. It deletes only what the
 * promotion created, and only while the live uid is the recorded one; never a
 * PersistentVolumeClaim (data); a Namespace or CRD only when it holds nothing the promotion did
 * not create. Objects the record holds as `pending` (the apply stopped before their answer) are
 * judged from the live object.
 */
import { toAppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { AppliedObject, ObjectRef, PromotionRecord, RollbackResult } from '../../shared/models/promote';
import { formatRef } from '../../shared/models/promote';
import { refKey } from './apply';
import { withoutNoise } from './field-diff';
import { foreignCustomResources, foreignInNamespace } from './holdings';
import { PHASES, phaseOf } from './order';
import { deleteIfUid } from './prune';
import { delay } from '../delay';
import { FIELD_MANAGER, getLive } from '../kube/resources/server-side-apply';
import { withThrottleRetry } from '../kube/throttle-retry';
import type { TargetOps } from './target';

type RollbackEntry = RollbackResult['objects'][number];

const MAX_CONFLICT_RETRIES = 6;

export async function rollback(ops: TargetOps, record: PromotionRecord, progress: (percent: number, message: string) => void): Promise<RollbackEntry[]> {
  const previous = new Map(record.previous.map((p) => [refKey(p.ref), p.object]));
  // Reverse dependency order: autoscalers and workloads before what they use, namespaces last.
  const touched = record.result
    .filter((o) => o.outcome === 'created' || o.outcome === 'configured' || o.outcome === 'pruned' || o.outcome === 'pending')
    .sort((a, b) => PHASES.indexOf(phaseOf(b.ref)) - PHASES.indexOf(phaseOf(a.ref)));
  const ours = new Set(record.result.filter((o) => o.outcome === 'created' && o.uid).map((o) => o.uid!));
  const out: RollbackEntry[] = [];
  let done = 0;
  for (const item of touched) {
    const ref = item.ref;
    try {
      out.push(await undo(ops, record, item, previous.get(refKey(ref)) ?? null, ours));
    } catch (error) {
      const e = toAppError(error);
      if (e.code === 'CANCELLED') throw e;
      out.push({ ref, action: 'failed', message: e.message });
    }
    progress(Math.round((++done / Math.max(1, touched.length)) * 100), `${formatRef(ref)}: ${out[out.length - 1]!.action}`);
  }
  return out;
}

async function undo(ops: TargetOps, record: PromotionRecord, item: AppliedObject, before: KubeObject | null, ours: Set<string>): Promise<RollbackEntry> {
  const ref = item.ref;
  if (item.outcome === 'pruned') {
    if (!before) return { ref, action: 'failed', message: 'the record has no copy of it' };
    return (await create(ops, before)) ? { ref, action: 'restored', message: 'created again (prune had deleted it)' } : { ref, action: 'kept', message: 'it exists again (created by someone else since)' };
  }
  if (before) {
    // Configured, or pending over an existing object (it may have landed): back to the record.
    await restore(ops, before);
    return { ref, action: 'restored' };
  }
  if (item.outcome === 'created') {
    if (!item.uid) return { ref, action: 'kept', message: 'the record has no uid for it (made by an older Slipway): delete it by hand if it is yours' };
    return removeCreated(ops, ref, item.uid, ours);
  }
  if (item.outcome === 'pending') {
    const live = await getLive(ops.client, ops.mapper, ref, ops);
    if (!live) return { ref, action: 'kept', message: 'never created: the apply stopped before it landed' };
    if (!createdBy(live, record)) return { ref, action: 'kept', message: 'it exists but was not created by this promotion' };
    const uid = String(live.metadata.uid);
    ours.add(uid);
    return removeCreated(ops, ref, uid, ours);
  }
  return { ref, action: 'kept', message: 'the record has no earlier state for it' };
}

/** Deletes an object the promotion created, unless it is a claim, a container holding others' objects, or replaced. */
async function removeCreated(ops: TargetOps, ref: ObjectRef, uid: string, ours: ReadonlySet<string>): Promise<RollbackEntry> {
  if (ref.kind === 'PersistentVolumeClaim') return { ref, action: 'kept', message: 'claims are never deleted (they hold data)' };
  if (ref.kind === 'Namespace' && ref.apiVersion === 'v1') {
    if (await holdsClaims(ops, ref.name)) return { ref, action: 'kept', message: 'it holds PersistentVolumeClaims, which are never deleted' };
    const foreign = await foreignInNamespace(ops, ref.name, ours);
    if (foreign.length) return { ref, action: 'kept', message: `it holds objects this promotion did not create: ${foreign.join(', ')}` };
  }
  if (ref.kind === 'CustomResourceDefinition') {
    const live = await getLive(ops.client, ops.mapper, ref, ops);
    if (live && live.metadata.uid === uid) {
      const foreign = await foreignCustomResources(ops, live, ours);
      if (foreign.length) return { ref, action: 'kept', message: `deleting it would delete custom resources this promotion did not create: ${foreign.join(', ')}` };
    }
  }
  const result = await deleteIfUid(ops, ref, uid);
  if (result === 'replaced') return { ref, action: 'kept', message: 'it was replaced by an object this promotion did not create (another uid)' };
  return { ref, action: 'deleted', ...(result === 'absent' ? { message: 'it was already gone' } : {}) };
}

/**
 * Whether a live object that did not exist before was made by this promotion's apply: created
 * at or after the record was started, with slipway's apply among its managers.
 */
function createdBy(live: KubeObject, record: PromotionRecord): boolean {
  const created = Date.parse(String(live.metadata.creationTimestamp ?? ''));
  // creationTimestamp has whole seconds.
  const started = Math.floor(Date.parse(record.createdAt) / 1000) * 1000;
  const managers = (live.metadata.managedFields as { manager?: string; operation?: string }[] | undefined) ?? [];
  return created >= started && managers.some((m) => m.manager === FIELD_MANAGER && m.operation === 'Apply');
}

async function holdsClaims(ops: TargetOps, namespace: string): Promise<boolean> {
  const res = await ops.client.request<{ items: unknown[] }>({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/persistentvolumeclaims`, query: { limit: 1 }, signal: ops.signal });
  return res.body.items.length > 0;
}

/** Replaces the live object with the recorded one (a PUT at the current resourceVersion). */
async function restore(ops: TargetOps, before: KubeObject): Promise<void> {
  const ref = { apiVersion: before.apiVersion, kind: before.kind, name: before.metadata.name, namespace: before.metadata.namespace };
  const path = await ops.mapper.objectPath(ref, ops.signal);
  for (let attempt = 0; ; attempt++) {
    const live = await getLive(ops.client, ops.mapper, ref, ops);
    if (!live) {
      await create(ops, before);
      return;
    }
    const body = withoutNoise(before);
    body.metadata.resourceVersion = live.metadata.resourceVersion as string;
    try {
      await withThrottleRetry(() => ops.client.request({ method: 'PUT', path, body, signal: ops.signal }), ops.signal);
      return;
    } catch (error) {
      // Someone wrote in between (a controller mid-rollout updates status several times a
      // second): read again and retry, a few times, with a growing pause.
      if (toAppError(error).code !== 'CONFLICT' || attempt >= MAX_CONFLICT_RETRIES) throw error;
      await delay(50 * 2 ** attempt, ops.signal);
    }
  }
}

/** Creates the recorded object again; false when one of that name exists already. */
async function create(ops: TargetOps, before: KubeObject): Promise<boolean> {
  const ref = { apiVersion: before.apiVersion, kind: before.kind, namespace: before.metadata.namespace };
  const path = await ops.mapper.objectPath(ref, ops.signal);
  const body = withoutNoise(before);
  try {
    await withThrottleRetry(() => ops.client.request({ method: 'POST', path, body, signal: ops.signal }), ops.signal);
    return true;
  } catch (error) {
    const e = toAppError(error);
    if (e.code === 'ALREADY_EXISTS' || (e.code === 'CONFLICT' && /already exists/.test(e.message))) return false;
    throw error;
  }
}
