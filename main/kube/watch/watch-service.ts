import { type KubeObject, uidOf } from '../../../shared/k8s/kube-object';
import type { ContextLiveStatus, ResourceRef, WatchBatch, WatchStatus } from '../../../shared/models/views-watch';
import { AppError } from '../../../shared/errors';
import type { Disposable } from '../../../shared/disposable';
import type { KubeClient } from '../kube-client';
import { ContextWatcher, type ContextWatcherOptions } from './context-watcher';
import { DEFAULT_TIMING, type Informer, type InformerKey, type InformerTiming } from './informer';
import { listAll, type ListResult } from './paged-list';
import { displayName } from '../resources/names';
import { ResourceMapper } from '../resources/resource-mapper';

/** One watch: a collection of one context, optionally narrowed by namespace and selectors. */
export interface WatchKey extends InformerKey {
  context: string;
}

export interface WatchServiceOptions {
  timing?: Partial<InformerTiming>;
  /** Deltas are coalesced and sent at most once per this period per subscriber. */
  batchMs?: number;
  lingerMs?: number;
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
}

/**
 * The watch engine's front door. Watches are reference-counted per context × resource ×
 * namespace (× selectors): many subscribers share one LIST+WATCH. Each subscriber receives one
 * snapshot, then deltas coalesced by uid and sent at most every `batchMs` (100 ms), so a burst of
 * thousands of events costs the renderer ten messages a second. Contexts are isolated: each has
 * its own client, connection pool, discovery and probe.
 */
export class WatchService implements Disposable {
  private readonly contexts = new Map<string, ContextWatcher>();
  private readonly options: ContextWatcherOptions & { batchMs: number };

  constructor(
    readonly clientFor: (context: string) => Promise<KubeClient>,
    options: WatchServiceOptions = {},
  ) {
    this.options = {
      timing: { ...DEFAULT_TIMING, ...options.timing },
      batchMs: options.batchMs ?? 100,
      lingerMs: options.lingerMs ?? 30_000,
      // A cluster whose processes die resets its watches at once; the probe catches the silent
      // cases (sleep, a dropped route) within interval + timeout. /version is tiny and public.
      probeIntervalMs: options.probeIntervalMs ?? 2_000,
      probeTimeoutMs: options.probeTimeoutMs ?? 3_000,
    };
  }

  get batchMs(): number {
    return this.options.batchMs;
  }

  /** Direct access for in-process consumers (view models): the informer and a release. */
  acquire(key: WatchKey): { informer: Informer; release(): void } {
    return this.watcher(key.context).acquire(key);
  }

  /** Subscribes to batches (snapshot, then deltas). Dispose to unsubscribe. */
  subscribe(key: WatchKey, onBatch: (batch: WatchBatch) => void): Disposable {
    const { informer, release } = this.acquire(key);
    const upserts = new Map<string, KubeObject>();
    const deletes = new Set<string>();
    let status: WatchStatus | undefined;
    let snapshotSent = false;
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    const flush = () => {
      timer = undefined;
      if (closed) return;
      const phase = informer.status.phase;
      if (!snapshotSent) {
        if (informer.synced || phase === 'absent' || phase === 'forbidden') {
          snapshotSent = true;
          upserts.clear();
          deletes.clear();
          status = undefined;
          onBatch({ type: 'snapshot', items: [...informer.cache.values()], status: informer.status, resourceVersion: informer.lastResourceVersion || undefined });
        } else if (status) {
          const s = status;
          status = undefined;
          onBatch({ type: 'delta', upserts: [], deletes: [], status: s });
        }
        return;
      }
      if (upserts.size === 0 && deletes.size === 0 && !status) return;
      const batch: WatchBatch = { type: 'delta', upserts: [...upserts.values()], deletes: [...deletes], resourceVersion: informer.lastResourceVersion || undefined };
      if (status) batch.status = status;
      upserts.clear();
      deletes.clear();
      status = undefined;
      onBatch(batch);
    };
    const schedule = (ms = this.options.batchMs) => {
      if (!timer && !closed) timer = setTimeout(flush, ms);
    };
    const sub = informer.on((change) => {
      if (change.type === 'status') status = change.status;
      else if (change.type === 'upsert') {
        deletes.delete(uidOf(change.object));
        upserts.set(uidOf(change.object), change.object);
      } else {
        upserts.delete(uidOf(change.object));
        deletes.add(uidOf(change.object));
      }
      // Before the snapshot, the first sync should show at once, not after a batch period.
      schedule(snapshotSent ? this.options.batchMs : 0);
    });
    schedule(0);
    return {
      dispose: () => {
        if (closed) return;
        closed = true;
        clearTimeout(timer);
        sub.dispose();
        release();
      },
    };
  }

  contextStatus(context: string): ContextLiveStatus {
    return this.contexts.get(context)?.status() ?? { context, state: 'connecting', watches: 0 };
  }

  onContextStatus(context: string, listener: (status: ContextLiveStatus) => void): Disposable {
    return this.watcher(context).onStatus(listener);
  }

  /** A one-shot paged LIST (for the CLI and for checks); resolves CRDs through discovery. */
  async list(key: WatchKey): Promise<ListResult & { served: boolean }> {
    const client = await this.clientFor(key.context);
    const resource = await new ResourceMapper(client, { timeoutMs: 10_000 }).resolveRef(key.resource);
    if (!resource) return { items: [], resourceVersion: '', restarts: 0, pages: 0, served: false };
    const result = await listAll(client, resource, {
      namespace: key.namespace,
      labelSelector: key.labelSelector,
      fieldSelector: key.fieldSelector,
      pageSize: this.options.timing.pageSize,
      timeoutMs: this.options.timing.requestTimeoutMs,
    });
    return { ...result, served: true };
  }

  dispose(): void {
    for (const watcher of this.contexts.values()) watcher.dispose();
    this.contexts.clear();
  }

  private watcher(context: string): ContextWatcher {
    if (!context) throw new AppError('INVALID_ARGUMENT', 'A watch needs a context.');
    let watcher = this.contexts.get(context);
    if (!watcher) {
      watcher = new ContextWatcher(context, () => this.clientFor(context), this.options);
      this.contexts.set(context, watcher);
    }
    return watcher;
  }
}

export function describeRef(ref: ResourceRef): string {
  return displayName(ref);
}
