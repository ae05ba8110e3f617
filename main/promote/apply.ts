/**
 * The real apply: server-side apply with field manager `slipway`, phase by phase in dependency
 * order, a bounded number of requests in flight, 429 honoured, 409 conflicts reported with the
 * other managers (forced only when asked), then a wait for readiness. Every object is journaled
 * before its request and when it lands (see apply-journal.ts). Deletes nothing unless prune was
 * asked for (see prune.ts), and never a PersistentVolumeClaim.
 */
import { toAppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { AppliedObject, DiffAction, ObjectRef, RenderedObject } from '../../shared/models/promote';
import { formatRef } from '../../shared/models/promote';
import type { ApplyJournal } from './apply-journal';
import { conflictInfo } from './conflicts';
import { groupByPhase } from './order';
import { mapLimit } from './pool';
import { prune, type PruneTarget } from './prune';
import { readinessOf } from './readiness';
import { delay } from '../delay';
import { FIELD_MANAGER, getLive, serverSideApply } from '../kube/resources/server-side-apply';
import type { TargetOps } from './target';

export const APPLY_CONCURRENCY = 4;

export interface ApplyOptions {
  forceConflicts?: boolean;
  /**
   * What the dry run just before predicted per object (by {@link refKey}). Controllers write to
   * objects all the time (status, an HPA's replica count), so "did our apply change it" is the
   * dry run's verdict, not a resourceVersion comparison.
   */
  predicted?: Map<string, DiffAction>;
  /** Objects to prune (checked live: see prune.ts), deleted after the apply. */
  prune?: (PruneTarget & { object: KubeObject })[];
  /** The write-ahead record. */
  journal?: ApplyJournal;
  /** How long to wait for readiness; 0 skips the wait. */
  waitTimeoutMs: number;
  /** Poll interval of the readiness wait. */
  pollMs?: number;
  progress(percent: number, phase: string, message: string): void;
}

export interface ApplyOutput {
  objects: AppliedObject[];
  /** Objects deleted by prune, as they were (for rollback). */
  pruned: { ref: ObjectRef; object: KubeObject; uid: string }[];
}

/** Applies everything; `previous` (live objects before, by ref key) decides created vs configured. */
export async function applyAll(ops: TargetOps, rendered: RenderedObject[], previous: Map<string, KubeObject | null>, options: ApplyOptions): Promise<ApplyOutput> {
  const results = new Map<string, AppliedObject>();
  const phases = groupByPhase(rendered);
  let done = 0;
  for (const { phase, items } of phases) {
    if (ops.signal?.aborted) break;
    await mapLimit(items, APPLY_CONCURRENCY, async ({ ref, object }) => {
      const key = refKey(ref);
      const before = previous.get(key) ?? null;
      options.journal?.willApply(ref);
      try {
        const after = await serverSideApply(ops.client, ops.mapper, object, { force: options.forceConflicts, signal: ops.signal, onThrottle: ops.onThrottle });
        const predicted = options.predicted?.get(key);
        const uid = typeof after.metadata.uid === 'string' ? after.metadata.uid : undefined;
        if (!before && managedByOthers(after)) {
          // Someone created it between the read and the apply: ours to configure, never to delete.
          results.set(key, { ref, outcome: 'configured', message: 'created by someone else just before this apply: rollback leaves it' });
        } else {
          const outcome = !before ? 'created' : predicted === 'unchanged' || (predicted === undefined && after.metadata.resourceVersion === before.metadata.resourceVersion) ? 'unchanged' : 'configured';
          results.set(key, { ref, outcome, ...(uid ? { uid } : {}) });
        }
      } catch (error) {
        const e = toAppError(error);
        // The request may or may not have landed: the journal keeps it pending for rollback.
        if (e.code === 'CANCELLED') throw e;
        if (e.code === 'CONFLICT' && (e.details as { reason?: string } | undefined)?.reason === 'Conflict') {
          const conflict = conflictInfo(e);
          results.set(key, { ref, outcome: 'conflict', conflict, message: `owned by ${conflict.managers.join(', ') || 'another manager'}: ${conflict.fields.join(', ')}` });
        } else results.set(key, { ref, outcome: 'failed', message: e.message });
      }
      options.journal?.didApply(results.get(key)!);
      done++;
      options.progress(10 + Math.round((done / rendered.length) * 60), `apply ${phase}`, `${formatRef(ref)}: ${results.get(key)!.outcome}`);
    });
    if (phase === 'namespaces') await waitForDefaultServiceAccounts(ops, items, rendered, results, options);
    if (phase === 'crds') {
      await waitForCrds(ops, items.filter((i) => i.ref.kind === 'CustomResourceDefinition').map((i) => i.ref), options);
      ops.mapper.invalidate();
    }
  }
  const pruned = options.prune && !ops.signal?.aborted ? await prune(ops, options.prune, options.journal, (message) => options.progress(72, 'prune', message)) : [];
  const objects = rendered.map((r) => results.get(refKey(r.ref)) ?? { ref: r.ref, outcome: 'skipped' as const, message: 'cancelled before it was applied' });
  objects.push(...pruned.map(({ ref, uid }) => ({ ref, outcome: 'pruned' as const, uid })));
  if (options.waitTimeoutMs > 0) await waitForReadiness(ops, objects, options);
  return { objects, pruned };
}

/** Whether managers other than slipway own fields of `object` (the answer to our apply). */
function managedByOthers(object: KubeObject): boolean {
  const managers = (object.metadata.managedFields as { manager?: string }[] | undefined) ?? [];
  return managers.some((m) => m.manager !== FIELD_MANAGER);
}

export function refKey(ref: ObjectRef): string {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return `${group}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

async function waitForCrds(ops: TargetOps, refs: ObjectRef[], options: ApplyOptions): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (const ref of refs) {
    for (;;) {
      const live = await getLive(ops.client, ops.mapper, ref, ops);
      const established = ((live?.status as any)?.conditions ?? []).some((c: Record<string, any>) => c.type === 'Established' && c.status === 'True');
      if (established || Date.now() > deadline) break;
      options.progress(70, 'apply crds', `waiting for ${ref.name} to be established`);
      await delay(options.pollMs ?? 500, ops.signal);
    }
  }
}

/**
 * A namespace gets its `default` ServiceAccount from the controller-manager a moment after it is
 * created, and until then the API server refuses pods in it. Controllers retry, a bare Pod in the
 * bundle would not: so for each namespace just created that such a Pod lands in, wait (bounded;
 * a cluster without that controller just gets the API server's own answer).
 */
async function waitForDefaultServiceAccounts(ops: TargetOps, namespaces: RenderedObject[], rendered: RenderedObject[], results: Map<string, AppliedObject>, options: ApplyOptions): Promise<void> {
  const podNamespaces = new Set(rendered.filter((r) => r.ref.kind === 'Pod' && r.ref.apiVersion === 'v1').map((r) => r.ref.namespace));
  const created = namespaces.filter((n) => results.get(refKey(n.ref))?.outcome === 'created' && podNamespaces.has(n.ref.name));
  const deadline = Date.now() + 30_000;
  for (const { ref } of created) {
    const account: ObjectRef = { apiVersion: 'v1', kind: 'ServiceAccount', namespace: ref.name, name: 'default' };
    // null: not there yet; an error (no right to read it): do not wait on what we cannot see.
    while ((await getLive(ops.client, ops.mapper, account, ops).catch(() => 'unreadable')) === null && Date.now() < deadline) {
      options.progress(12, 'apply namespaces', `waiting for namespace ${ref.name}'s default ServiceAccount`);
      await delay(options.pollMs ?? 500, ops.signal);
    }
  }
}

async function waitForReadiness(ops: TargetOps, objects: AppliedObject[], options: ApplyOptions): Promise<void> {
  const watched = objects.filter((o) => o.outcome === 'created' || o.outcome === 'configured' || o.outcome === 'unchanged');
  const pending = new Set(watched);
  const deadline = Date.now() + options.waitTimeoutMs;
  while (pending.size > 0) {
    await mapLimit([...pending], APPLY_CONCURRENCY, async (o) => {
      const live = await getLive(ops.client, ops.mapper, o.ref, ops).catch(() => null);
      const readiness = live ? readinessOf(live) : undefined;
      if (!readiness) {
        pending.delete(o);
        return;
      }
      o.ready = readiness;
      if (readiness.ready) pending.delete(o);
    });
    const total = watched.filter((o) => o.ready).length;
    const ready = watched.filter((o) => o.ready?.ready).length;
    options.progress(75 + Math.round((ready / Math.max(1, total)) * 20), 'wait', pending.size ? `ready ${ready}/${total}: ${[...pending].map((o) => `${formatRef(o.ref)} ${o.ready?.message ?? ''}`).join('; ')}` : `all ${total} ready`);
    if (pending.size === 0 || Date.now() >= deadline) break;
    await delay(options.pollMs ?? 1000, ops.signal);
  }
  for (const o of pending) if (o.ready) o.ready = { ready: false, message: `not ready after ${Math.round(options.waitTimeoutMs / 1000)} s: ${o.ready.message}` };
}
