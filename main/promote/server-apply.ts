/**
 * The server-side operations of promotion on one target: read the live object, server-side
 * apply (optionally as a dry run) with field manager `slipway`, with 429 answers retried after
 * the delay the server asked for.
 */
import { AppError } from '../../shared/errors';
import type { KubeObject, ObjectRef } from '../../shared/models/promote';
import type { KubeClient } from '../kube/kube-client';
import type { Discovery } from './discovery';

export const FIELD_MANAGER = 'slipway';
const MAX_ATTEMPTS = 6;
const MAX_RETRY_AFTER_S = 30;

/** Waits `ms`, or rejects with CANCELLED when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AppError('CANCELLED', 'The operation was cancelled.'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AppError('CANCELLED', 'The operation was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `call`, retrying throttled answers (429) after their Retry-After (1 s when absent). */
export async function withThrottleRetry<T>(call: () => Promise<T>, signal?: AbortSignal, onRetry?: (seconds: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const details = (error as AppError).details as { status?: number; retryAfterSeconds?: number } | undefined;
      if (!(error instanceof AppError) || details?.status !== 429 || attempt >= MAX_ATTEMPTS) throw error;
      const seconds = Math.min(MAX_RETRY_AFTER_S, Math.max(0, details.retryAfterSeconds ?? 1));
      onRetry?.(seconds);
      await delay(seconds * 1000, signal);
    }
  }
}

export interface TargetOps {
  client: KubeClient;
  discovery: Discovery;
  signal?: AbortSignal;
  onThrottle?: (seconds: number) => void;
}

/** The live object, or null when it does not exist. */
export async function getLive(ops: TargetOps, ref: ObjectRef): Promise<KubeObject | null> {
  const path = await ops.discovery.pathOf(ref, ops.signal);
  try {
    return (await withThrottleRetry(() => ops.client.request<KubeObject>({ path, signal: ops.signal }), ops.signal, ops.onThrottle)).body;
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/** Server-side apply of one object; `dryRun` asks the server what it would store, changing nothing. */
export async function serverSideApply(ops: TargetOps, object: KubeObject, options: { dryRun?: boolean; force?: boolean; fieldManager?: string } = {}): Promise<KubeObject> {
  const ref = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace };
  const path = await ops.discovery.pathOf(ref, ops.signal);
  const res = await withThrottleRetry(
    () =>
      ops.client.request<KubeObject>({
        method: 'PATCH',
        path,
        query: { fieldManager: options.fieldManager ?? FIELD_MANAGER, force: options.force ? true : undefined, dryRun: options.dryRun ? 'All' : undefined },
        // JSON is YAML: the apply-patch+yaml content type takes it as is.
        body: JSON.stringify(object),
        contentType: 'application/apply-patch+yaml',
        signal: ops.signal,
      }),
    ops.signal,
    ops.onThrottle,
  );
  return res.body;
}
