/**
 * Server-side apply and reads of single objects, for everything Slipway writes: GPU add-ons,
 * promotion, object actions. Throttled answers (429) are retried after the server's Retry-After.
 */
import { AppError } from '../../../shared/errors';
import type { KubeObject } from '../../../shared/k8s/kube-object';
import type { KubeClient } from '../kube-client';
import { withThrottleRetry } from '../throttle-retry';
import type { ResourceMapper } from './resource-mapper';

/** The field manager of everything Slipway applies; rollback and conflict checks look for it. */
export const FIELD_MANAGER = 'slipway';

export interface RequestOptions {
  signal?: AbortSignal;
  /** Told how many seconds a throttled request waits before it is sent again. */
  onThrottle?: (seconds: number) => void;
}

export interface ApplyOptions extends RequestOptions {
  /** Ask the server what it would store (dryRun=All), changing nothing. */
  dryRun?: boolean;
  /** Take over fields other managers own: only for Slipway's own add-ons or when the user asks. */
  force?: boolean;
  /** Defaults to {@link FIELD_MANAGER}. */
  fieldManager?: string;
}

/** Server-side apply of one object (PATCH application/apply-patch+yaml); answers what the server stored. */
export async function serverSideApply(client: KubeClient, mapper: ResourceMapper, object: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
  const { signal, onThrottle } = options;
  const path = await mapper.objectPath({ apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name }, signal);
  const res = await withThrottleRetry(
    () =>
      client.request<KubeObject>({
        method: 'PATCH',
        path,
        query: { fieldManager: options.fieldManager ?? FIELD_MANAGER, force: options.force ? true : undefined, dryRun: options.dryRun ? 'All' : undefined },
        // JSON is YAML: the apply-patch+yaml content type takes it as is.
        body: JSON.stringify(object),
        contentType: 'application/apply-patch+yaml',
        signal,
      }),
    signal,
    onThrottle,
  );
  return res.body;
}

/** The live object, or null when it does not exist. A kind the server does not serve is NOT_FOUND (from the mapper). */
export async function getLive(client: KubeClient, mapper: ResourceMapper, ref: { apiVersion: string; kind: string; namespace?: string; name: string }, options: RequestOptions = {}): Promise<KubeObject | null> {
  const { signal, onThrottle } = options;
  const path = await mapper.objectPath(ref, signal);
  try {
    return (await withThrottleRetry(() => client.request<KubeObject>({ path, signal }), signal, onThrottle)).body;
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}
