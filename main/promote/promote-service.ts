import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { TaskProgress } from '../../shared/contract/define';
import type { ApplyRequest, BundleInfo, CaptureResult, PromoteRequest, SampleBundle } from '../../shared/contract/promote';
import { AppError, toAppError } from '../../shared/errors';
import type { ApplyResult, Bundle, DiffResult, ExportResult, KubeObject, PlanResult, PromotionRecord, PromotionSummary, RenderedObject, RollbackResult } from '../../shared/models/promote';
import { emptyProfile, type PromotionProfile } from '../../shared/models/promote-profile';
import type { KubeClientFactory } from '../kube/client-factory';
import type { KubeClient } from '../kube/kube-client';
import { applyAll, refKey } from './apply';
import { CAPTURE_MARKER, loadBundle, type KubectlFinder } from './bundle-loader';
import { captureBundle } from './capture';
import { diffAll, summarize } from './diff';
import { Discovery } from './discovery';
import { exportManifests, exportOverlay } from './export';
import type { HistoryStore } from './history-store';
import { sortForApply } from './order';
import { mapLimit } from './pool';
import { preflight } from './preflight';
import type { ProfileStore } from './profile-store';
import { rollback } from './rollback';
import { getLive, type TargetOps } from './server-apply';
import { staticScope, type ScopeLookup } from './scope';
import { labelValue, render } from './transforms';

export interface PromoteIo {
  progress(update: TaskProgress): void;
  signal: AbortSignal;
}

const quietIo: PromoteIo = { progress() {}, signal: new AbortController().signal };

export interface PromoteServiceOptions {
  clients: KubeClientFactory;
  profiles: ProfileStore;
  history: HistoryStore;
  findKubectl: KubectlFinder;
  /** Where captures land when no folder is given (under the config dir). */
  capturesDir: string;
  /** resources/samples: example bundles. */
  samplesDir?: string;
}

interface Prepared {
  bundle: Bundle;
  profile: PromotionProfile;
  client: KubeClient;
  discovery: Discovery;
  rendered: RenderedObject[];
}

/**
 * Promotion of workload bundles to a target cluster: plan (render + preflight), server-side
 * diff, apply, history, rollback, export and capture. Every step that writes to a target is
 * preceded by the steps that check it, and refuses to write when they found a problem.
 */
export class PromoteService {
  constructor(private readonly options: PromoteServiceOptions) {}

  get profiles(): ProfileStore {
    return this.options.profiles;
  }

  listSamples(): SampleBundle[] {
    const dir = this.options.samplesDir;
    if (!dir || !fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'profiles')
      .map((e) => {
        const readme = path.join(dir, e.name, 'README.md');
        const description = fs.existsSync(readme) ? (fs.readFileSync(readme, 'utf8').split('\n').find((l) => l.trim() && !l.startsWith('#')) ?? '').trim() : '';
        return { name: e.name, path: path.join(dir, e.name), description };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async loadBundle(bundlePath: string): Promise<BundleInfo> {
    return bundleInfo(await loadBundle(bundlePath, this.options.findKubectl));
  }

  /** Captures a namespace into a folder (default: `<config dir>/captures/<context>-<ns>-<time>`). */
  async capture(request: { context: string; namespace: string; selector?: string; out?: string }, io: PromoteIo = quietIo): Promise<CaptureResult> {
    allowManyRequests(io.signal);
    io.progress({ phase: 'connect', percent: 5, message: `connecting to ${request.context}` });
    const client = await this.options.clients.forContext(request.context);
    io.progress({ phase: 'capture', percent: 20, message: `reading ${request.namespace}` });
    const bundle = await captureBundle(client, { namespace: request.namespace, selector: request.selector, signal: io.signal });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const dir = path.resolve(request.out ?? path.join(this.options.capturesDir, `${labelValue(request.context)}-${request.namespace}-${stamp}`));
    fs.mkdirSync(dir, { recursive: true });
    if (fs.readdirSync(dir).some((f) => /\.ya?ml$/.test(f))) throw new AppError('ALREADY_EXISTS', `${dir} already holds manifests.`, { fix: 'Capture into an empty (or new) folder.' });
    const files = sortForApply(bundle.objects.map((o) => ({ ...o, ref: { apiVersion: o.object.apiVersion, kind: o.object.kind, name: o.object.metadata.name, namespace: o.object.metadata.namespace } }))).map((o, i) => {
      const name = `${String(i + 1).padStart(3, '0')}-${o.object.kind.toLowerCase()}-${o.object.metadata.name}.yaml`.replace(/[^A-Za-z0-9._-]/g, '-');
      fs.writeFileSync(path.join(dir, name), stringify(o.object, { lineWidth: 0 }));
      return name;
    });
    fs.writeFileSync(path.join(dir, CAPTURE_MARKER), JSON.stringify(bundle.source, null, 1));
    io.progress({ phase: 'done', percent: 100, message: `${files.length} objects written to ${dir}` });
    return { bundle: bundleInfo(bundle), dir, files };
  }

  resolveProfile(request: Pick<PromoteRequest, 'profile' | 'profileSpec'>): PromotionProfile {
    if (request.profileSpec) return request.profileSpec;
    if (request.profile) return this.options.profiles.resolve(request.profile);
    return emptyProfile();
  }

  /** Loads, resolves and renders; discovery of the target decides scopes when it answers. */
  private async prepare(request: PromoteRequest, io: PromoteIo): Promise<Prepared> {
    allowManyRequests(io.signal);
    io.progress({ phase: 'load', percent: 2, message: `loading ${request.bundle}` });
    const bundle = await loadBundle(request.bundle, this.options.findKubectl);
    const profile = this.resolveProfile(request);
    const client = await this.options.clients.forContext(request.target);
    const discovery = new Discovery(client);
    const scopes = new Map<string, boolean>();
    try {
      await mapLimit([...new Set(bundle.objects.map(({ object }) => `${object.apiVersion}\n${object.kind}`))], 8, async (key) => {
        const [apiVersion, kind] = key.split('\n') as [string, string];
        const resource = await discovery.resource(apiVersion, kind, io.signal);
        if (resource) scopes.set(key, resource.namespaced);
      });
    } catch (error) {
      // An unreachable target is reported by preflight; render with the static scopes meanwhile.
      if (toAppError(error).code === 'CANCELLED') throw error;
    }
    const scope: ScopeLookup = (apiVersion, kind) => scopes.get(`${apiVersion}\n${kind}`) ?? staticScope(apiVersion, kind);
    io.progress({ phase: 'render', percent: 8, message: `rendering ${bundle.objects.length} objects with profile ${profile.name}` });
    const rendered = sortForApply(render(bundle, profile, { defaultNamespace: client.defaultNamespace, scope }));
    return { bundle, profile, client, discovery, rendered };
  }

  private async planPrepared(p: Prepared, io: PromoteIo): Promise<PlanResult> {
    io.progress({ phase: 'preflight', percent: 15, message: `preflight against ${p.client.contextName}` });
    const { checks, version } = await preflight({ client: p.client, discovery: p.discovery, rendered: p.rendered, profile: p.profile, source: p.bundle.source, signal: io.signal });
    return {
      bundle: { name: p.bundle.name, source: p.bundle.source, objects: p.bundle.objects.length },
      profile: p.profile.name,
      target: { context: p.client.contextName, ...(version ? { version } : {}) },
      rendered: p.rendered,
      checks,
      ok: !checks.some((c) => c.status === 'fail'),
    };
  }

  async plan(request: PromoteRequest, io: PromoteIo = quietIo): Promise<PlanResult> {
    const plan = await this.planPrepared(await this.prepare(request, io), io);
    io.progress({ phase: 'done', percent: 100, message: plan.ok ? 'preflight passed' : 'preflight failed' });
    return plan;
  }

  private ops(p: Prepared, io: PromoteIo): TargetOps {
    return { client: p.client, discovery: p.discovery, signal: io.signal, onThrottle: (s) => io.progress({ phase: 'throttled', percent: 50, message: `the API server asked to wait ${s} s` }) };
  }

  private async diffPrepared(p: Prepared, plan: PlanResult, io: PromoteIo): Promise<DiffResult> {
    if (plan.checks.some((c) => c.id === 'reachable' && c.status === 'fail')) {
      const reason = plan.checks.find((c) => c.id === 'reachable')!.reason;
      throw new AppError('CLUSTER_UNREACHABLE', reason, { fix: 'Check the target context with `slipway contexts`.' });
    }
    const entries = await diffAll(this.ops(p, io), p.rendered, (done, total) => io.progress({ phase: 'diff', percent: 30 + Math.round((done / total) * 60), message: `server-side dry run ${done}/${total}` }));
    return { plan, entries, summary: summarize(entries) };
  }

  async diff(request: PromoteRequest, io: PromoteIo = quietIo): Promise<DiffResult> {
    const p = await this.prepare(request, io);
    const result = await this.diffPrepared(p, await this.planPrepared(p, io), io);
    io.progress({ phase: 'done', percent: 100, message: Object.entries(result.summary).filter(([, n]) => n).map(([a, n]) => `${n} ${a}`).join(', ') });
    return result;
  }

  async apply(request: ApplyRequest, io: PromoteIo = quietIo): Promise<ApplyResult> {
    const p = await this.prepare(request, io);
    const plan = await this.planPrepared(p, io);
    const history = this.options.history;
    const id = history.newId();
    const base: Omit<PromotionRecord, 'status' | 'counts' | 'previous' | 'result'> = {
      id,
      createdAt: new Date().toISOString(),
      bundle: p.bundle.name,
      source: p.bundle.source,
      target: p.client.contextName,
      profile: p.profile.name,
      profileSpec: p.profile,
      rendered: p.rendered.map((r) => r.object),
    };
    const blocked = (reason: string, result: ApplyResult['objects'] = []): ApplyResult => {
      const recordPath = history.save({ ...base, status: 'blocked', counts: {}, previous: [], result });
      io.progress({ phase: 'blocked', percent: 100, message: reason });
      return { id, status: 'blocked', objects: result, checks: plan.checks, recordPath };
    };
    if (!plan.ok) return blocked(`preflight failed: ${plan.checks.filter((c) => c.status === 'fail').map((c) => c.title).join(', ')}; nothing was applied`);
    const diff = await this.diffPrepared(p, plan, io);
    const rejected = diff.entries.filter((e) => e.action === 'error' || (e.action === 'conflict' && !request.forceConflicts));
    if (rejected.length > 0) {
      return blocked(
        `${rejected.length} object(s) would fail; nothing was applied`,
        rejected.map((e) => ({ ref: e.ref, outcome: e.action === 'conflict' ? 'conflict' : 'failed', message: e.conflict ? `owned by ${e.conflict.managers.join(', ')}: ${e.conflict.fields.join(', ')}` : e.error?.message, ...(e.conflict ? { conflict: e.conflict } : {}) })),
      );
    }
    const ops = this.ops(p, io);
    io.progress({ phase: 'record', percent: 9, message: 'recording the live objects before the change' });
    const previousList = await mapLimit(p.rendered, 8, async (r) => ({ ref: r.ref, object: await getLive(ops, r.ref).catch(() => null) }));
    const previous = new Map(previousList.map((x) => [refKey(x.ref), x.object]));
    const recordBefore: PromotionRecord = { ...base, status: 'failed', counts: {}, previous: previousList.map((x) => ({ ref: x.ref, object: x.object ? slim(x.object) : null })), result: [] };
    history.save(recordBefore);
    let output;
    try {
      output = await applyAll(ops, p.rendered, previous, {
        forceConflicts: request.forceConflicts,
        predicted: new Map(diff.entries.map((e) => [refKey(e.ref), e.action])),
        prune: request.prune ? { bundleLabel: labelValue(p.bundle.name) } : undefined,
        waitTimeoutMs: request.waitTimeoutSeconds * 1000,
        progress: (percent, phase, message) => io.progress({ phase, percent, message, log: [message] }),
      });
    } catch (error) {
      history.save({ ...recordBefore, status: 'failed', result: [] });
      throw error;
    }
    const counts: PromotionSummary['counts'] = {};
    for (const o of output.objects) counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
    const failed = output.objects.filter((o) => o.outcome === 'failed' || o.outcome === 'conflict' || o.outcome === 'skipped').length;
    const notReady = output.objects.filter((o) => o.ready && !o.ready.ready).length;
    const status = failed === output.objects.length ? 'failed' : failed > 0 || notReady > 0 ? 'partial' : 'succeeded';
    const record: PromotionRecord = {
      ...recordBefore,
      status,
      counts,
      previous: [...recordBefore.previous, ...output.pruned.map((x) => ({ ref: x.ref, object: x.object }))],
      result: output.objects,
    };
    const recordPath = history.save(record);
    io.progress({ phase: 'done', percent: 100, message: `${status}: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}` });
    return { id, status, objects: output.objects, checks: plan.checks, recordPath };
  }

  listHistory(): PromotionSummary[] {
    return this.options.history.list();
  }

  getHistory(id: string): PromotionRecord {
    return this.options.history.get(id);
  }

  async rollback(id: string, io: PromoteIo = quietIo): Promise<RollbackResult> {
    const record = this.options.history.get(id);
    if (record.rolledBackAt) throw new AppError('INVALID_ARGUMENT', `Promotion ${id} was already rolled back at ${record.rolledBackAt}.`, { fix: 'Promote again, or roll back a later promotion.' });
    if (record.status === 'blocked') throw new AppError('INVALID_ARGUMENT', `Promotion ${id} was blocked and changed nothing.`, { fix: 'There is nothing to roll back.' });
    // A later promotion of the same bundle to the same target rests on this one: undo it first.
    const later = this.options.history.list().filter((h) => h.target === record.target && h.bundle === record.bundle && h.createdAt > record.createdAt && !h.rolledBackAt && h.status !== 'blocked');
    if (later.length > 0) {
      throw new AppError('CONFLICT', `Promotion ${id} was followed by ${later.map((h) => h.id).join(', ')} of the same bundle on ${record.target}.`, { fix: 'Roll back the later promotions first (newest first).' });
    }
    allowManyRequests(io.signal);
    const client = await this.options.clients.forContext(record.target);
    const ops: TargetOps = { client, discovery: new Discovery(client), signal: io.signal };
    io.progress({ phase: 'rollback', percent: 1, message: `rolling back ${id} on ${record.target}` });
    const objects = await rollback(ops, record, (percent, message) => io.progress({ phase: 'rollback', percent, message, log: [message] }));
    const at = new Date().toISOString();
    this.options.history.save({ ...record, rolledBackAt: at, rollback: { at, objects } });
    io.progress({ phase: 'done', percent: 100, message: `${objects.length} object(s) rolled back` });
    return { id, objects };
  }

  /** Renders without a target (static scopes) and writes files for GitOps. */
  async export(request: { bundle: string; profile?: string; profileSpec?: PromotionProfile; out: string; format?: 'manifests' | 'overlay' }): Promise<ExportResult> {
    const bundle = await loadBundle(request.bundle, this.options.findKubectl);
    const profile = this.resolveProfile(request);
    const rendered = render(bundle, profile);
    const out = path.resolve(request.out);
    return request.format === 'overlay' ? exportOverlay(out, bundle, rendered, profile.name) : exportManifests(out, rendered);
  }
}

/** Every concurrent request listens on the task's signal: more than Node's default 10 is expected. */
function allowManyRequests(signal: AbortSignal): void {
  setMaxListeners(256, signal);
}

function bundleInfo(bundle: Bundle): BundleInfo {
  return {
    name: bundle.name,
    source: bundle.source,
    objects: bundle.objects.map(({ object, origin }) => ({ ref: { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}) }, origin })),
  };
}

/** The live object without managedFields: the history keeps what rollback needs, not bookkeeping. */
function slim(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  delete copy.metadata.managedFields;
  return copy;
}

