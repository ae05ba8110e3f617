/**
 * Rollback of one recorded promotion: what it changed goes back to the recorded previous state,
 * what it created is deleted, what prune deleted is created again. PersistentVolumeClaims are
 * never deleted (they hold data), and a Namespace it created is deleted only when it holds none.
 */
import { toAppError } from '../../shared/errors';
import type { KubeObject, ObjectRef, PromotionRecord, RollbackResult } from '../../shared/models/promote';
import { formatRef } from '../../shared/models/promote';
import { refKey } from './apply';
import { withoutNoise } from './field-diff';
import { PHASES, phaseOf } from './order';
import { getLive, withThrottleRetry, type TargetOps } from './server-apply';

type RollbackEntry = RollbackResult['objects'][number];

const MAX_CONFLICT_RETRIES = 6;

export async function rollback(ops: TargetOps, record: PromotionRecord, progress: (percent: number, message: string) => void): Promise<RollbackEntry[]> {
  const previous = new Map(record.previous.map((p) => [refKey(p.ref), p.object]));
  // Reverse dependency order: autoscalers and workloads before what they use.
  const touched = record.result
    .filter((o) => o.outcome === 'created' || o.outcome === 'configured' || o.outcome === 'pruned')
    .sort((a, b) => PHASES.indexOf(phaseOf(b.ref)) - PHASES.indexOf(phaseOf(a.ref)));
  const out: RollbackEntry[] = [];
  let done = 0;
  for (const item of touched) {
    const ref = item.ref;
    try {
      const before = previous.get(refKey(ref)) ?? null;
      if (item.outcome === 'created') {
        if (ref.kind === 'PersistentVolumeClaim') out.push({ ref, action: 'kept', message: 'claims are never deleted (they hold data)' });
        else if (ref.kind === 'Namespace' && (await holdsClaims(ops, ref.name))) out.push({ ref, action: 'kept', message: 'it holds PersistentVolumeClaims, which are never deleted' });
        else {
          await remove(ops, ref);
          out.push({ ref, action: 'deleted' });
        }
      } else if (item.outcome === 'pruned' && before) {
        await create(ops, before);
        out.push({ ref, action: 'restored', message: 'created again (prune had deleted it)' });
      } else if (before) {
        await restore(ops, before);
        out.push({ ref, action: 'restored' });
      }
    } catch (error) {
      const e = toAppError(error);
      if (e.code === 'CANCELLED') throw e;
      out.push({ ref, action: 'failed', message: e.message });
    }
    progress(Math.round((++done / Math.max(1, touched.length)) * 100), `${formatRef(ref)}: ${out[out.length - 1]!.action}`);
  }
  return out;
}

async function holdsClaims(ops: TargetOps, namespace: string): Promise<boolean> {
  const res = await ops.client.request<{ items: unknown[] }>({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/persistentvolumeclaims`, query: { limit: 1 }, signal: ops.signal });
  return res.body.items.length > 0;
}

async function remove(ops: TargetOps, ref: ObjectRef): Promise<void> {
  const path = await ops.discovery.pathOf(ref, ops.signal);
  try {
    await withThrottleRetry(() => ops.client.request({ method: 'DELETE', path, query: { propagationPolicy: 'Background' }, signal: ops.signal }), ops.signal);
  } catch (error) {
    if (toAppError(error).code !== 'NOT_FOUND') throw error;
  }
}

/** Replaces the live object with the recorded one (a PUT at the current resourceVersion). */
async function restore(ops: TargetOps, before: KubeObject): Promise<void> {
  const ref = { apiVersion: before.apiVersion, kind: before.kind, name: before.metadata.name, namespace: before.metadata.namespace };
  const path = await ops.discovery.pathOf(ref, ops.signal);
  for (let attempt = 0; ; attempt++) {
    const live = await getLive(ops, ref);
    if (!live) return create(ops, before);
    const body = withoutNoise(before);
    body.metadata.resourceVersion = live.metadata.resourceVersion as string;
    try {
      await withThrottleRetry(() => ops.client.request({ method: 'PUT', path, body, signal: ops.signal }), ops.signal);
      return;
    } catch (error) {
      // Someone wrote in between (a controller mid-rollout updates status several times a
      // second): read again and retry, a few times, with a growing pause.
      if (toAppError(error).code !== 'CONFLICT' || attempt >= MAX_CONFLICT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

async function create(ops: TargetOps, before: KubeObject): Promise<void> {
  const ref = { apiVersion: before.apiVersion, kind: before.kind, namespace: before.metadata.namespace };
  const path = await ops.discovery.pathOf(ref, ops.signal);
  const body = withoutNoise(before);
  await withThrottleRetry(() => ops.client.request({ method: 'POST', path, body, signal: ops.signal }), ops.signal);
}
