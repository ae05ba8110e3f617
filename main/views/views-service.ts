import { type KubeObject, uidOf } from '../../shared/k8s/kube-object';
import type { WatchStatus } from '../../shared/models/views-watch';
import type { StatusReport, TrainingJobDetails, ViewBatch, ViewId, ViewMeta, ViewProblem, ViewRow, CephRow, PvRow, PvcRow, StorageClassRow, NodeRow, HpaRow, TrainingJobRow, OverviewSummary, TrainingKind, HpaSample } from '../../shared/models/views';
import { HpaHistoryStore, mergeHistory, rescalesFromEvents } from './hpa-history';
import { toAppError } from '../../shared/errors';
import type { Disposable } from '../../shared/disposable';
import type { WatchService } from '../kube/watch/watch-service';
import type { Informer } from '../kube/watch/informer';
import { displayName } from '../kube/resources/names';
import { VIEWS, metricsApiState, type ViewDefinition, type ViewInputs, type ViewSource } from './definitions';
import { eventView, eventsFor } from './common';
import { podRow } from './pods';
import { primaryPod } from './training';
import { metricsServerManifests } from '../gpu/manifests';
import { applyAddonObjects } from '../gpu/cluster-gpu-setup';

export interface ViewRequest {
  context: string;
  view: ViewId;
  /** Narrows namespaced sources; all namespaces when omitted. */
  namespace?: string;
}

/** Problems and absent kinds of a view's sources, in words the page can show. */
export function sourceProblems(sources: ViewSource[], statuses: (WatchStatus | { phase: 'error'; message: string } | { phase: 'ok' })[]): { problems: ViewProblem[]; absent: string[] } {
  const problems: ViewProblem[] = [];
  const absent: string[] = [];
  sources.forEach((source, i) => {
    const status = statuses[i]!;
    const name = displayName(source.resource);
    if (status.phase === 'forbidden') problems.push({ resource: name, phase: 'forbidden', message: `no permission to list ${name}` });
    else if (status.phase === 'absent') {
      if (source.optional) absent.push(name);
      else problems.push({ resource: name, phase: 'absent', message: `${name} is not served by this cluster` });
    } else if (status.phase === 'reconnecting' && status.error) problems.push({ resource: name, phase: 'reconnecting', message: `cannot read ${name}: ${status.error.message}` });
    else if (status.phase === 'error') problems.push({ resource: name, phase: 'error', message: `cannot read ${name}: ${status.message}` });
  });
  return { problems, absent: [...new Set(absent)] };
}

function watchKey(context: string, source: ViewSource, namespace: string | undefined) {
  return { context, resource: source.resource, namespace: source.scoped ? namespace : undefined, labelSelector: source.labelSelector, fieldSelector: source.fieldSelector };
}

/**
 * Live view models: a view subscribes to the informers its sources need (shared, reference
 * counted), recomputes when they change, and sends only rows that changed, at most once per
 * batch period. Also builds the one-shot {@link StatusReport} of `slipway status`.
 */
export class ViewsService {
  private readonly hpaHistory = new HpaHistoryStore();

  constructor(private readonly watch: WatchService) {}

  watchView(request: ViewRequest, emit: (batch: ViewBatch) => void): Disposable {
    if (request.view !== 'hpa') return new ViewSession(this.watch, request, VIEWS[request.view], emit);
    // Every HPA batch also feeds the backend's history, so the chart survives a reload.
    return new ViewSession(this.watch, request, VIEWS.hpa, (batch) => {
      if (batch.type === 'snapshot') this.hpaHistory.record(request.context, batch.rows as HpaRow[], batch.at);
      else {
        this.hpaHistory.record(request.context, batch.upserts as HpaRow[], batch.at);
        this.hpaHistory.forget(request.context, batch.deletes);
      }
      emit(batch);
    });
  }

  /**
   * One HPA's history: its SuccessfulRescale events from before the watch began (so a scale-up
   * that already happened shows), then what the watch saw.
   */
  async hpaHistoryOf(request: { context: string; namespace: string; name: string; uid: string }): Promise<{ samples: HpaSample[] }> {
    const events = await this.watch.list({ context: request.context, resource: { group: '', plural: 'events' }, namespace: request.namespace, fieldSelector: `involvedObject.kind=HorizontalPodAutoscaler,involvedObject.name=${request.name}` });
    const rescales = rescalesFromEvents(eventsFor(events.items, 'HorizontalPodAutoscaler', request.name, request.namespace, 1_000));
    return { samples: mergeHistory(rescales, this.hpaHistory.watched(request.context, request.uid)) };
  }

  /** LISTs (paged) everything a set of views needs, once. Failures become problems, never throws for one source. */
  private async collect(context: string, sources: ViewSource[], namespace?: string): Promise<{ inputs: ViewInputs; absent: Set<string>; problems: ViewProblem[] }> {
    const results = await Promise.all(
      sources.map(async (source) => {
        try {
          const result = await this.watch.list(watchKey(context, source, namespace));
          return result.served ? { items: result.items, status: { phase: 'ok' as const } } : { items: [], status: { phase: 'absent' as const } };
        } catch (error) {
          const e = toAppError(error);
          if (e.code === 'FORBIDDEN' || e.code === 'UNAUTHORIZED') return { items: [], status: { phase: 'forbidden' as const, error: e.toWire() } };
          if (e.code === 'EXEC_CONSENT_REQUIRED' || e.code === 'CONTEXT_NOT_FOUND' || e.code === 'KUBECONFIG_INVALID') throw e;
          return { items: [], status: { phase: 'error' as const, message: e.message } };
        }
      }),
    );
    const inputs: ViewInputs = {};
    const absent = new Set<string>();
    sources.forEach((s, i) => {
      inputs[s.id] = results[i]!.items;
      if (results[i]!.status.phase === 'absent') absent.add(s.id);
    });
    const { problems } = sourceProblems(sources, results.map((r) => r.status));
    return { inputs, absent, problems };
  }

  /** What `slipway status` prints: the same view models the pages show. */
  async statusReport(context: string, namespace?: string, now = Date.now()): Promise<StatusReport> {
    const client = await this.watch.clientFor(context);
    const version = await client
      .request<{ gitVersion?: string }>({ path: '/version', timeoutMs: 10_000 })
      .then((r) => r.body.gitVersion)
      .catch(() => undefined);
    const views: ViewId[] = ['overview', 'hpa', 'storage', 'training'];
    const collected = await Promise.all(views.map((v) => this.collect(context, VIEWS[v].sources, namespace)));
    const [overview, hpa, storage, training] = collected.map((c, i) => ({ ...c, result: VIEWS[views[i]!].compute(c.inputs, c.absent, now) }));
    const storageRows = storage!.result.rows;
    const problems = new Map<string, ViewProblem>();
    for (const c of collected) for (const p of c.problems) problems.set(p.message, p);
    return {
      context,
      ...(namespace ? { namespace } : {}),
      ...(version ? { version } : {}),
      nodes: overview!.result.rows as NodeRow[],
      gpus: (overview!.result.meta!.overview as OverviewSummary).gpu,
      hpas: hpa!.result.rows as HpaRow[],
      metricsApi: metricsApiState(hpa!.inputs.apiservices),
      storage: {
        classes: storageRows.filter((r): r is StorageClassRow => r.section === 'class'),
        volumes: storageRows.filter((r): r is PvRow => r.section === 'pv'),
        claims: storageRows.filter((r): r is PvcRow => r.section === 'pvc'),
        ceph: storage!.absent.has('ceph') ? null : storageRows.filter((r): r is CephRow => r.section === 'ceph'),
      },
      trainingJobs: training!.result.rows as TrainingJobRow[],
      problems: [...problems.values()],
    };
  }

  /** Applies the pinned metrics-server; the HPA view's metrics API state updates live after. */
  async installMetricsServer(context: string): Promise<{ installed: true; objects: number }> {
    const client = await this.watch.clientFor(context);
    const objects = metricsServerManifests({ kubeletInsecureTls: context.startsWith('kind-') });
    await applyAddonObjects(client, objects);
    return { installed: true, objects: objects.length };
  }

  /** Pods, events and the primary pod of one training job. */
  async trainingJobDetails(request: { context: string; namespace: string; kind: TrainingKind; name: string; podSelector?: string }): Promise<TrainingJobDetails> {
    const key = (plural: string, extra: { labelSelector?: string; fieldSelector?: string }) => ({ context: request.context, resource: { group: '', plural }, namespace: request.namespace, ...extra });
    const [pods, events] = await Promise.all([
      request.podSelector ? this.watch.list(key('pods', { labelSelector: request.podSelector })).then((r) => r.items) : Promise.resolve([] as KubeObject[]),
      this.watch.list(key('events', {})).then((r) => r.items),
    ]);
    const podNames = new Set(pods.map((p) => p.metadata.name));
    const kind = request.kind === 'SparkSubmit' ? 'Pod' : request.kind;
    const related = events
      .map(eventView)
      .filter((e) => (e.object.kind === kind && e.object.name === request.name) || (e.object.kind === 'Pod' && podNames.has(e.object.name)) || (request.kind === 'TrainJob' && e.object.kind === 'JobSet' && e.object.name === request.name))
      .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
      .slice(0, 100);
    const primary = primaryPod(request.kind, pods);
    return { pods: pods.map(podRow), events: related, ...(primary ? { primaryPod: primary.metadata.name } : {}) };
  }
}

/** One subscriber's live view. */
class ViewSession implements Disposable {
  private readonly held: { source: ViewSource; informer: Informer; release(): void; sub: Disposable }[] = [];
  private readonly lastRows = new Map<string, string>();
  private readonly changed = new Map<string, KubeObject | null>();
  private lastMeta = '';
  private snapshotSent = false;
  private dirty = true;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly statusSub: Disposable;

  constructor(
    private readonly watch: WatchService,
    private readonly request: ViewRequest,
    private readonly def: ViewDefinition,
    private readonly emit: (batch: ViewBatch) => void,
  ) {
    for (const source of def.sources) {
      const { informer, release } = watch.acquire(watchKey(request.context, source, request.namespace));
      const sub = informer.on((change) => {
        if (def.rowOf && change.type !== 'status') {
          this.changed.set(uidOf(change.object), change.type === 'upsert' ? change.object : null);
        }
        this.dirty = true;
        this.schedule();
      });
      this.held.push({ source, informer, release, sub });
    }
    this.statusSub = watch.onContextStatus(request.context, () => this.schedule());
    this.schedule(0);
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.statusSub.dispose();
    for (const h of this.held) {
      h.sub.dispose();
      h.release();
    }
  }

  private schedule(ms = this.snapshotSent ? this.watch.batchMs : 0): void {
    if (!this.timer && !this.closed) this.timer = setTimeout(() => this.flush(), ms);
  }

  private meta(): ViewMeta {
    const statuses = this.held.map((h) => h.informer.status);
    const { problems, absent } = sourceProblems(this.def.sources, statuses);
    return { context: this.request.context, live: this.watch.contextStatus(this.request.context), problems, absent };
  }

  private flush(): void {
    this.timer = undefined;
    if (this.closed) return;
    const live = this.watch.contextStatus(this.request.context);
    const waiting = this.held.some((h) => h.informer.status.phase === 'connecting');
    if (!this.snapshotSent && waiting && live.state !== 'unavailable') return; // the next change reschedules
    const absent = new Set(this.held.filter((h) => h.informer.status.phase === 'absent').map((h) => h.source.id));
    const meta = this.meta();
    let upserts: ViewRow[] = [];
    const deletes: string[] = [];
    let extra: ViewResult['meta'];
    if (this.def.rowOf && this.snapshotSent) {
      for (const [uid, object] of this.changed) {
        if (object) {
          const row = this.def.rowOf(object);
          const json = JSON.stringify(row);
          if (this.lastRows.get(row.key) !== json) {
            this.lastRows.set(row.key, json);
            upserts.push(row);
          }
        } else if (this.lastRows.delete(uid)) deletes.push(uid);
      }
      this.changed.clear();
    } else if (this.dirty || !this.snapshotSent) {
      this.changed.clear();
      const inputs: ViewInputs = {};
      for (const h of this.held) inputs[h.source.id] = [...h.informer.cache.values()];
      const result = this.def.compute(inputs, absent);
      extra = result.meta;
      const seen = new Set<string>();
      for (const row of result.rows) {
        seen.add(row.key);
        const json = JSON.stringify(row);
        if (this.lastRows.get(row.key) !== json) {
          this.lastRows.set(row.key, json);
          upserts.push(row);
        }
      }
      for (const key of [...this.lastRows.keys()]) {
        if (!seen.has(key)) {
          this.lastRows.delete(key);
          deletes.push(key);
        }
      }
      if (!this.snapshotSent) upserts = result.rows;
    }
    this.dirty = false;
    const fullMeta: ViewMeta = { ...meta, ...(extra ?? this.lastExtra) };
    if (extra) this.lastExtra = extra;
    const metaJson = JSON.stringify(fullMeta);
    const metaChanged = metaJson !== this.lastMeta;
    this.lastMeta = metaJson;
    if (!this.snapshotSent) {
      this.snapshotSent = true;
      this.emit({ type: 'snapshot', rows: upserts, meta: fullMeta, at: Date.now() });
      return;
    }
    if (upserts.length === 0 && deletes.length === 0 && !metaChanged) return;
    this.emit({ type: 'delta', upserts, deletes, ...(metaChanged ? { meta: fullMeta } : {}), at: Date.now() });
  }

  private lastExtra: ViewResult['meta'];
}

type ViewResult = ReturnType<ViewDefinition['compute']>;
