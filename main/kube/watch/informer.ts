import { type KubeObject, uidOf } from '../../../shared/k8s/kube-object';
import type { ResourceRef, WatchStatus } from '../../../shared/models/views-watch';
import { AppError, toAppError } from '../../../shared/errors';
import type { Disposable } from '../../../shared/disposable';
import type { KubeClient } from '../kube-client';
import { Backoff } from './backoff';
import { isForbidden, isGone, isNotServed, retryAfterMs } from './errors';
import { listAll } from './paged-list';
import { displayName } from '../resources/names';
import type { ResolvedResource } from '../resources/resource-mapper';
import { slim } from './slim';
import { runWatch } from './watch-stream';

export type InformerChange =
  | { type: 'upsert'; object: KubeObject }
  | { type: 'delete'; object: KubeObject }
  | { type: 'status'; status: WatchStatus };

/** What an informer needs from its context: a client and discovery. */
export interface InformerSource {
  client(): Promise<KubeClient>;
  /** null when the server does not serve the resource. */
  resolve(ref: ResourceRef): Promise<ResolvedResource | null>;
}

export interface InformerTiming {
  pageSize: number;
  /** Deadline of each LIST page and of watch response headers. */
  requestTimeoutMs: number;
  /** Server-side watch length, drawn per watch from [min, max] so watches do not end together. */
  watchSeconds: [number, number];
  /** No bytes for `watchSeconds + watchdogGraceMs` on a watch means it is stalled. */
  watchdogGraceMs: number;
  /** Re-check a forbidden or absent resource this often (absent ones also on `wake()`). */
  recheckMs: number;
  /** Longest wait honoured from a Retry-After header. */
  maxRetryAfterMs: number;
  backoff(): Backoff;
}

export const DEFAULT_TIMING: InformerTiming = {
  pageSize: 500,
  requestTimeoutMs: 30_000,
  watchSeconds: [30, 45],
  watchdogGraceMs: 15_000,
  recheckMs: 60_000,
  maxRetryAfterMs: 60_000,
  backoff: () => new Backoff(250, 30_000),
};

export interface InformerKey {
  resource: ResourceRef;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * Keeps a cache of one collection equal to the server's: paged LIST, then WATCH with bookmarks
 * from the list's resourceVersion; after any error it reconnects with jittered backoff (or the
 * server's Retry-After), resuming the watch where it left off; a 410 relists and emits deletes
 * for objects that vanished meanwhile. Every request has a deadline and every watch a
 * no-progress watchdog, so nothing can hang silently. Never stops by itself: only `stop()` ends it.
 */
export class Informer {
  /** uid → slimmed object. */
  readonly cache = new Map<string, KubeObject>();
  private currentStatus: WatchStatus = { phase: 'connecting' };
  private readonly listeners = new Set<(change: InformerChange) => void>();
  private readonly abort = new AbortController();
  private wakeUp: (() => void) | undefined;
  /** A wake that came while the loop was checking (not sleeping): the next sleep ends at once. */
  private wakePending = false;
  private resourceVersion = '';
  private hasSynced = false;
  private running = false;
  /** Counters for tests and diagnostics. */
  readonly stats = { lists: 0, relists: 0, watches: 0, errors: 0, watchdogTrips: 0 };

  constructor(
    private readonly source: InformerSource,
    readonly key: InformerKey,
    private readonly timing: InformerTiming = DEFAULT_TIMING,
    private readonly random: () => number = Math.random,
  ) {}

  get status(): WatchStatus {
    return this.currentStatus;
  }

  /** The newest resourceVersion seen (list, event or bookmark). */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  get synced(): boolean {
    return this.hasSynced;
  }

  on(listener: (change: InformerChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  start(): void {
    if (this.running || this.abort.signal.aborted) return;
    this.running = true;
    void this.loop();
  }

  /** Re-checks now instead of waiting: a CRD was installed, or the cluster came back. */
  wake(): void {
    // A CRD that turns Established while its kind is being looked up must not wait for the next
    // recheck: remember the wake when nobody sleeps yet.
    if (this.wakeUp) this.wakeUp();
    else this.wakePending = true;
  }

  stop(): void {
    this.abort.abort();
    this.wakeUp?.();
    this.listeners.clear();
    this.currentStatus = { phase: 'stopped' };
  }

  private emit(change: InformerChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private setStatus(status: WatchStatus): void {
    const previous = this.currentStatus;
    this.currentStatus = status;
    if (previous.phase !== status.phase || previous.error?.message !== status.error?.message || previous.retryAt !== status.retryAt) {
      this.emit({ type: 'status', status });
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private async loop(): Promise<void> {
    const backoff = this.timing.backoff();
    let needList = true;
    let resource: ResolvedResource | null = null;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        const client = await this.source.client();
        resource ??= await this.source.resolve(this.key.resource);
        if (signal.aborted) return;
        if (!resource) {
          this.setStatus({ phase: 'absent' });
          this.replaceCache([]);
          await this.sleep(this.timing.recheckMs);
          continue;
        }
        if (needList) {
          await this.relist(client, resource);
          needList = false;
          backoff.reset();
        }
        const [min, max] = this.timing.watchSeconds;
        const timeoutSeconds = Math.round(min + this.random() * (max - min));
        this.stats.watches++;
        const outcome = await runWatch(client, resource, {
          namespace: this.key.namespace,
          labelSelector: this.key.labelSelector,
          fieldSelector: this.key.fieldSelector,
          resourceVersion: this.resourceVersion,
          timeoutSeconds,
          watchdogMs: timeoutSeconds * 1000 + this.timing.watchdogGraceMs,
          headersTimeoutMs: this.timing.requestTimeoutMs,
          signal,
          onOpen: () => {
            if (this.currentStatus.phase !== 'synced') this.setStatus({ phase: 'synced', resourceVersion: this.resourceVersion });
          },
          onEvent: (type, object) => this.onWatchEvent(type, object),
        });
        if (outcome.events > 0) backoff.reset();
        // A clean end (the server's timeoutSeconds): resume from the last resourceVersion.
        if (this.currentStatus.phase !== 'synced') this.setStatus({ phase: 'synced', resourceVersion: this.resourceVersion });
      } catch (error) {
        if (signal.aborted) return;
        const appError = toAppError(error);
        this.stats.errors++;
        if ((appError.details as { watchdog?: boolean } | undefined)?.watchdog) this.stats.watchdogTrips++;
        if (isGone(appError)) {
          // Our resourceVersion is older than the server keeps: rebuild the cache from a LIST.
          needList = true;
          continue;
        }
        if (isNotServed(appError)) {
          // The kind went away (CRD deleted) or never resolved right: rediscover.
          resource = null;
          needList = true;
          continue;
        }
        if (isForbidden(appError)) {
          this.setStatus({ phase: 'forbidden', error: appError.toWire() });
          this.replaceCache([]);
          needList = true;
          await this.sleep(this.timing.recheckMs);
          continue;
        }
        const serverWait = retryAfterMs(appError);
        const delay = serverWait !== undefined ? Math.min(serverWait, this.timing.maxRetryAfterMs) : backoff.next();
        this.setStatus({ phase: 'reconnecting', error: appError.toWire(), retryAt: Date.now() + delay, resourceVersion: this.resourceVersion || undefined });
        // A watch that never synced has nothing to resume from.
        if (!this.hasSynced) needList = true;
        await this.sleep(delay);
      }
    }
  }

  private async relist(client: KubeClient, resource: ResolvedResource): Promise<void> {
    this.stats.lists++;
    if (this.hasSynced) this.stats.relists++;
    const result = await listAll(client, resource, {
      namespace: this.key.namespace,
      labelSelector: this.key.labelSelector,
      fieldSelector: this.key.fieldSelector,
      pageSize: this.timing.pageSize,
      timeoutMs: this.timing.requestTimeoutMs,
      signal: this.abort.signal,
    });
    if (this.abort.signal.aborted) return;
    this.replaceCache(result.items);
    this.resourceVersion = result.resourceVersion;
    this.hasSynced = true;
    this.setStatus({ phase: 'synced', resourceVersion: this.resourceVersion });
  }

  /** Makes the cache equal `items`, emitting deletes for vanished objects and upserts for changed ones. */
  private replaceCache(items: KubeObject[]): void {
    const next = new Map<string, KubeObject>();
    for (const item of items) next.set(uidOf(item), item);
    for (const [uid, old] of this.cache) {
      if (!next.has(uid)) {
        this.cache.delete(uid);
        this.emit({ type: 'delete', object: old });
      }
    }
    for (const [uid, item] of next) {
      const old = this.cache.get(uid);
      this.cache.set(uid, item);
      if (!old || old.metadata.resourceVersion !== item.metadata.resourceVersion) this.emit({ type: 'upsert', object: item });
    }
  }

  private onWatchEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', object: KubeObject): void {
    const rv = object?.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (this.currentStatus.phase !== 'synced') this.setStatus({ phase: 'synced', resourceVersion: this.resourceVersion });
    if (type === 'BOOKMARK') return;
    const uid = object?.metadata?.uid;
    if (!uid) throw new AppError('KUBE_API_ERROR', `A watch event on ${displayName(this.key.resource)} has no uid.`);
    if (type === 'DELETED') {
      const old = this.cache.get(uid);
      this.cache.delete(uid);
      this.emit({ type: 'delete', object: old ?? slim(object) });
      return;
    }
    const slimmed = slim(object);
    this.cache.set(uid, slimmed);
    this.emit({ type: 'upsert', object: slimmed });
  }
}
