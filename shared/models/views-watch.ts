/**
 * Wire types of live state: what the watch engine and the view streams send to subscribers.
 * Plain data only; shared by main and renderer.
 */
import type { WireError } from '../errors';
import type { KubeObject } from '../k8s/kube-object';

/** The one object type (shared/k8s/kube-object), re-exported: watch batches carry it. */
export type { KubeObject } from '../k8s/kube-object';

/** Which collection to watch. `version` is discovered when omitted (CRDs). */
export interface ResourceRef {
  /** '' for the core group. */
  group: string;
  version?: string;
  plural: string;
}

/**
 * Where one watch stands.
 * - `connecting`: first LIST in flight.
 * - `synced`: cache equals the server's state as of `resourceVersion`; deltas follow.
 * - `reconnecting`: the last request failed; retrying with backoff (`retryAt`).
 * - `absent`: the server does not serve this resource (a CRD not installed); re-checked when CRDs change.
 * - `forbidden`: RBAC denies list/watch; re-checked now and then.
 */
export type WatchPhase = 'connecting' | 'synced' | 'reconnecting' | 'absent' | 'forbidden' | 'stopped';

export interface WatchStatus {
  phase: WatchPhase;
  /** The last error, for `reconnecting`/`forbidden`. */
  error?: WireError;
  /** Epoch ms of the next attempt while reconnecting. */
  retryAt?: number;
  resourceVersion?: string;
}

/** What a watch subscriber receives: one snapshot, then batched deltas (about every 100 ms). */
export type WatchBatch =
  | { type: 'snapshot'; items: KubeObject[]; status: WatchStatus; resourceVersion?: string }
  | { type: 'delta'; upserts: KubeObject[]; deletes: string[]; status?: WatchStatus; resourceVersion?: string };

/** Health of one context as a whole, derived from its probe and its watches. */
export interface ContextLiveStatus {
  context: string;
  state: 'connecting' | 'live' | 'reconnecting' | 'unavailable';
  version?: string;
  error?: WireError;
  /** Number of active watches on this context. */
  watches: number;
}
