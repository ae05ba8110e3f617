import type { KubeObject } from '../../../shared/k8s/kube-object';
import type { ContextLiveStatus, ResourceRef } from '../../../shared/models/views-watch';
import { toAppError, type WireError } from '../../../shared/errors';
import type { Disposable } from '../../../shared/disposable';
import type { KubeClient } from '../kube-client';
import { isBuiltinRef } from '../resources/builtin';
import { ResourceMapper } from '../resources/resource-mapper';
import { Informer, type InformerKey, type InformerTiming } from './informer';

export interface ContextWatcherOptions {
  timing: InformerTiming;
  /** How long an informer nobody uses stays alive (page switches must not relist). */
  lingerMs: number;
  /** Reachability probe period; 0 disables it. */
  probeIntervalMs: number;
  probeTimeoutMs: number;
}

interface Entry {
  informer: Informer;
  refs: number;
  linger?: NodeJS.Timeout;
}

export function informerKeyId(key: InformerKey): string {
  return JSON.stringify([key.resource.group, key.resource.version ?? '', key.resource.plural, key.namespace ?? '', key.labelSelector ?? '', key.fieldSelector ?? '']);
}

const CRDS: ResourceRef = { group: 'apiextensions.k8s.io', plural: 'customresourcedefinitions' };

/**
 * Everything live about one context: its client, resource mapper, a reachability probe and the
 * informers, reference-counted. Nothing here awaits another context, so one slow or dead cluster
 * never blocks another.
 */
export class ContextWatcher implements Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly mapper: ResourceMapper;
  private crdWatch: { informer: Informer; sub: Disposable } | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private probeFailed: WireError | undefined;
  private clientError: WireError | undefined;
  private version: string | undefined;
  private readonly statusListeners = new Set<(status: ContextLiveStatus) => void>();
  private lastStatusJson = '';
  private disposed = false;

  constructor(
    readonly context: string,
    private readonly getClient: () => Promise<KubeClient>,
    private readonly options: ContextWatcherOptions,
  ) {
    this.mapper = new ResourceMapper(() => this.client(), { timeoutMs: 10_000 });
  }

  /** Takes a reference on the informer for `key`, starting it if needed. */
  acquire(key: InformerKey): { informer: Informer; release(): void } {
    const id = informerKeyId(key);
    let entry = this.entries.get(id);
    if (!entry) {
      const informer = new Informer({ client: () => this.client(), resolve: (ref) => this.mapper.resolveRef(ref) }, key, this.options.timing);
      entry = { informer, refs: 0 };
      this.entries.set(id, entry);
      informer.on((change) => change.type === 'status' && this.statusChanged());
      informer.start();
      // Only kinds a CRD may bring (or take away) need to hear about CRD changes.
      if (!isBuiltinRef(key.resource)) this.ensureCrdWatch();
      this.ensureProbe();
      this.statusChanged();
    }
    clearTimeout(entry.linger);
    entry.linger = undefined;
    entry.refs++;
    const held = entry;
    let released = false;
    return {
      informer: held.informer,
      release: () => {
        if (released) return;
        released = true;
        held.refs--;
        if (held.refs > 0) return;
        const drop = () => {
          if (held.refs > 0 || this.entries.get(id) !== held) return;
          held.informer.stop();
          this.entries.delete(id);
          this.statusChanged();
          if (this.entries.size === 0) this.idle();
        };
        if (this.options.lingerMs <= 0) drop();
        else held.linger = setTimeout(drop, this.options.lingerMs);
      },
    };
  }

  get activeWatches(): number {
    return this.entries.size;
  }

  status(): ContextLiveStatus {
    const phases = [...this.entries.values()].map((e) => e.informer.status);
    const failing = phases.find((s) => s.phase === 'reconnecting');
    let state: ContextLiveStatus['state'];
    let error: WireError | undefined;
    if (this.clientError) {
      state = 'unavailable';
      error = this.clientError;
    } else if (this.probeFailed || failing) {
      state = 'reconnecting';
      error = this.probeFailed ?? failing?.error;
    } else if (phases.some((s) => s.phase === 'connecting')) state = 'connecting';
    else state = 'live';
    return { context: this.context, state, version: this.version, error, watches: this.entries.size };
  }

  onStatus(listener: (status: ContextLiveStatus) => void): Disposable {
    this.statusListeners.add(listener);
    return { dispose: () => this.statusListeners.delete(listener) };
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.entries.values()) {
      clearTimeout(entry.linger);
      entry.informer.stop();
    }
    this.entries.clear();
    this.idle();
    this.statusListeners.clear();
  }

  private async client(): Promise<KubeClient> {
    try {
      const client = await this.getClient();
      if (this.clientError) {
        this.clientError = undefined;
        this.statusChanged();
      }
      return client;
    } catch (error) {
      this.clientError = toAppError(error).toWire();
      this.statusChanged();
      throw error;
    }
  }

  private statusChanged(): void {
    if (this.disposed) return;
    const status = this.status();
    const json = JSON.stringify(status);
    if (json === this.lastStatusJson) return;
    this.lastStatusJson = json;
    for (const listener of this.statusListeners) listener(status);
  }

  /** CRDs appearing or changing may make absent kinds available: rediscover and wake them. */
  private ensureCrdWatch(): void {
    if (this.crdWatch) return;
    const informer = new Informer({ client: () => this.client(), resolve: (ref) => this.mapper.resolveRef(ref) }, { resource: CRDS }, this.options.timing);
    const sub = informer.on((change) => {
      if (change.type === 'status') return;
      const crd = change.object as KubeObject & { spec?: { group?: string; names?: { plural?: string } } };
      const group = crd.spec?.group;
      this.mapper.invalidate(group);
      for (const entry of this.entries.values()) {
        if (entry.informer.key.resource.group === group && entry.informer.status.phase !== 'synced') entry.informer.wake();
      }
    });
    informer.start();
    this.crdWatch = { informer, sub };
  }

  private ensureProbe(): void {
    if (this.probeTimer || this.options.probeIntervalMs <= 0) return;
    const tick = async () => {
      try {
        const client = await this.client();
        const res = await client.request<{ gitVersion?: string }>({ path: '/version', timeoutMs: this.options.probeTimeoutMs });
        this.version = res.body.gitVersion ?? this.version;
        if (this.probeFailed) {
          this.probeFailed = undefined;
          // The cluster is back: retry now rather than when each backoff expires.
          for (const entry of this.entries.values()) entry.informer.wake();
          this.crdWatch?.informer.wake();
        }
      } catch (error) {
        this.probeFailed = toAppError(error).toWire();
      }
      this.statusChanged();
      if (this.probeTimer) this.probeTimer = setTimeout(tick, this.options.probeIntervalMs);
    };
    this.probeTimer = setTimeout(tick, 0);
  }

  private idle(): void {
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.crdWatch?.sub.dispose();
    this.crdWatch?.informer.stop();
    this.crdWatch = undefined;
  }
}
