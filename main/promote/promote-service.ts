import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { TaskProgress } from '../../shared/contract/define';
import type { ApplyRequest, BundleInfo, CaptureResult, PromoteRequest, SampleBundle } from '../../shared/contract/promote';
import { AppError, toAppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { ApplyResult, Bundle, DiffResult, ExportResult, ObjectRef, PlanResult, PromotionRecord, PromotionSummary, PushImagesResult, RenderedObject, RollbackResult } from '../../shared/models/promote';
import { emptyProfile, type PromotionProfile } from '../../shared/models/promote-profile';
import type { KubeClientFactory } from '../kube/client-factory';
import type { KubeClient } from '../kube/kube-client';
import { ResourceMapper } from '../kube/resources/resource-mapper';
import { getLive } from '../kube/resources/server-side-apply';
import { applyAll, refKey } from './apply';
import { RecordJournal } from './apply-journal';
import { CAPTURE_MARKER, loadBundle, type KubectlFinder } from './bundle-loader';
import { captureBundle } from './capture';
import { diffAll, summarize } from './diff';
import { exportManifests, exportOverlay } from './export';
import type { DockerCli } from '../clusters/docker-cli';
import { checkRegistryImages, rewrittenAway, type ImageRewrite, type RegistryCheckOptions } from './image-registry-checks';
import { pushImages } from './image-push';
import type { HistoryStore } from './history-store';
import { sortForApply } from './order';
import { mapLimit } from './pool';
import { preflight } from './preflight';
import type { ProfileStore } from './profile-store';
import { rollback } from './rollback';
import { bundleIdentity, livePruneTargets, pruneCandidates, type PruneTarget } from './prune';
import { maskSecret, maskSecretChanges } from './secrets';
import type { TargetOps } from './target';
import { labelValue, render, type ScopeLookup } from './transforms';
import { writePrivateFile, ensurePrivateDir } from '../fs/private-files';
import { formatRef } from '../../shared/models/promote';

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
  /** The docker CLI `pushImages` tags and pushes with. */
  docker?: DockerCli;
  /** How preflight's registry check finds credentials (default: the user's Docker config). */
  registry?: Omit<RegistryCheckOptions, 'signal'>;
}

interface Prepared {
  bundle: Bundle;
  /** See {@link bundleIdentity}. */
  bundleId: string;
  profile: PromotionProfile;
  client: KubeClient;
  mapper: ResourceMapper;
  rendered: RenderedObject[];
  /** Images the profile rewrites away from a laptop-only registry. */
  imageRewrites: ImageRewrite[];
  /** Whether preflight asks the target registry about them (see {@link PromoteRequest.registryCheck}). */
  registryCheck: boolean;
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

  /**
   * Captures a namespace into a folder (default: `<config dir>/captures/<context>-<ns>-<time>`),
   * 0600 files in a 0700 folder; Secrets only with `includeSecrets`.
   */
  async capture(request: { context: string; namespace: string; selector?: string; out?: string; includeSecrets?: boolean }, io: PromoteIo = quietIo): Promise<CaptureResult> {
    allowManyRequests(io.signal);
    io.progress({ phase: 'connect', percent: 5, message: `connecting to ${request.context}` });
    const client = await this.options.clients.forContext(request.context);
    io.progress({ phase: 'capture', percent: 20, message: `reading ${request.namespace}` });
    const { secretsLeftOut, ...bundle } = await captureBundle(client, { namespace: request.namespace, selector: request.selector, includeSecrets: request.includeSecrets, signal: io.signal });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const dir = path.resolve(request.out ?? path.join(this.options.capturesDir, `${labelValue(request.context)}-${request.namespace}-${stamp}`));
    if (!request.out) ensurePrivateDir(this.options.capturesDir);
    ensurePrivateDir(dir);
    if (fs.readdirSync(dir).some((f) => /\.ya?ml$/.test(f))) throw new AppError('ALREADY_EXISTS', `${dir} already holds manifests.`, { fix: 'Capture into an empty (or new) folder.' });
    const files = sortForApply(bundle.objects.map((o) => ({ ...o, ref: { apiVersion: o.object.apiVersion, kind: o.object.kind, name: o.object.metadata.name, namespace: o.object.metadata.namespace } }))).map((o, i) => {
      const name = `${String(i + 1).padStart(3, '0')}-${o.object.kind.toLowerCase()}-${o.object.metadata.name}.yaml`.replace(/[^A-Za-z0-9._-]/g, '-');
      writePrivateFile(path.join(dir, name), stringify(o.object, { lineWidth: 0 }));
      return name;
    });
    writePrivateFile(path.join(dir, CAPTURE_MARKER), JSON.stringify(bundle.source, null, 1));
    const leftOut = secretsLeftOut.length ? `; ${secretsLeftOut.length} Secret(s) left out (${secretsLeftOut.join(', ')}): include them explicitly to capture their values` : '';
    io.progress({ phase: 'done', percent: 100, message: `${files.length} objects written to ${dir}${leftOut}` });
    return { bundle: bundleInfo(bundle), dir, files, secretsLeftOut };
  }

  resolveProfile(request: Pick<PromoteRequest, 'profile' | 'profileSpec'>): PromotionProfile {
    if (request.profileSpec) return request.profileSpec;
    if (request.profile) return this.options.profiles.resolve(request.profile);
    return emptyProfile();
  }

  /** Loads, resolves and renders; the target's resource mapper decides scopes when it answers. */
  private async prepare(request: PromoteRequest, io: PromoteIo): Promise<Prepared> {
    allowManyRequests(io.signal);
    io.progress({ phase: 'load', percent: 2, message: `loading ${request.bundle}` });
    const bundle = await loadBundle(request.bundle, this.options.findKubectl);
    const profile = this.resolveProfile(request);
    const client = await this.options.clients.forContext(request.target);
    const mapper = targetMapper(client);
    const scopes = new Map<string, boolean>();
    try {
      await mapLimit([...new Set(bundle.objects.map(({ object }) => `${object.apiVersion}\n${object.kind}`))], 8, async (key) => {
        const [apiVersion, kind] = key.split('\n') as [string, string];
        const resource = await mapper.resolveKind(apiVersion, kind, io.signal);
        if (resource) scopes.set(key, resource.namespaced);
      });
    } catch (error) {
      // An unreachable target is reported by preflight; render with the static scopes meanwhile.
      if (toAppError(error).code === 'CANCELLED') throw error;
    }
    const scope: ScopeLookup = (apiVersion, kind) => scopes.get(`${apiVersion}\n${kind}`);
    io.progress({ phase: 'render', percent: 8, message: `rendering ${bundle.objects.length} objects with profile ${profile.name}` });
    const rendered = sortForApply(render(bundle, profile, { defaultNamespace: client.defaultNamespace, scope }));
    return { bundle, bundleId: bundleIdentity(bundle.source), profile, client, mapper, rendered, imageRewrites: rewrittenAway(bundle.objects.map((o) => o.object), profile), registryCheck: request.registryCheck !== false };
  }

  /** With prune: what earlier promotions of this bundle to this target created, this one no longer has, and still exists as created. */
  private async pruneTargets(p: Prepared, io: PromoteIo): Promise<(PruneTarget & { object: KubeObject })[]> {
    const keep = new Set(p.rendered.map((r) => refKey(r.ref)));
    const candidates = pruneCandidates(this.options.history.records(), p.bundleId, p.client.contextName, keep);
    return livePruneTargets({ client: p.client, mapper: p.mapper, signal: io.signal }, candidates);
  }

  private async planPrepared(p: Prepared, io: PromoteIo, prune = false): Promise<PlanResult & { pruneTargets: (PruneTarget & { object: KubeObject })[] }> {
    io.progress({ phase: 'preflight', percent: 15, message: `preflight against ${p.client.contextName}` });
    let pruneTargets: (PruneTarget & { object: KubeObject })[] = [];
    let pruneProblem: AppError | undefined;
    if (prune) {
      try {
        pruneTargets = await this.pruneTargets(p, io);
      } catch (error) {
        pruneProblem = toAppError(error);
        if (pruneProblem.code === 'CANCELLED') throw pruneProblem;
      }
    }
    const { checks, version } = await preflight({ client: p.client, mapper: p.mapper, rendered: p.rendered, profile: p.profile, source: p.bundle.source, signal: io.signal, imageRewrites: p.registryCheck ? p.imageRewrites : [], registry: this.options.registry, ...(prune ? { prune: pruneTargets.map((t) => t.ref) } : {}) });
    const reachable = !checks.some((c) => c.id === 'reachable' && c.status === 'fail');
    if (pruneProblem && reachable) checks.push({ id: 'prune', title: 'What prune would delete', status: 'fail', reason: `${pruneProblem.message} ${pruneProblem.fix ?? ''}`.trim() });
    return {
      bundle: { name: p.bundle.name, id: p.bundleId, source: p.bundle.source, objects: p.bundle.objects.length },
      profile: p.profile.name,
      target: { context: p.client.contextName, ...(version ? { version } : {}) },
      rendered: p.rendered.map((r) => ({ ...r, object: maskSecret(r.object) })),
      checks,
      ok: !checks.some((c) => c.status === 'fail'),
      ...(prune ? { willDelete: pruneTargets.map((t) => t.ref) } : {}),
      pruneTargets,
    };
  }

  async plan(request: PromoteRequest, io: PromoteIo = quietIo): Promise<PlanResult> {
    const { pruneTargets: _, ...plan } = await this.planPrepared(await this.prepare(request, io), io, request.prune);
    io.progress({ phase: 'done', percent: 100, message: plan.ok ? 'preflight passed' : 'preflight failed' });
    return plan;
  }

  /**
   * Tags and pushes each local image the profile rewrites to another registry (`docker tag`,
   * `docker push`, progress from the push's lines), then checks the target registry again. Needs
   * no target cluster: only the bundle, the profile and Docker.
   */
  async pushImages(request: PromoteRequest, io: PromoteIo = quietIo): Promise<PushImagesResult> {
    const docker = this.options.docker;
    if (!docker) throw new AppError('DOCKER_UNAVAILABLE', 'This Slipway has no Docker client to push with.', { fix: 'Push the images with `docker push` by hand.' });
    io.progress({ phase: 'load', percent: 1, message: `loading ${request.bundle}` });
    const bundle = await loadBundle(request.bundle, this.options.findKubectl);
    const rewrites = rewrittenAway(bundle.objects.map((o) => o.object), this.resolveProfile(request));
    if (rewrites.length === 0) {
      throw new AppError('INVALID_ARGUMENT', 'Nothing to push: the profile rewrites no image away from a local registry.', {
        fix: 'Add an image rewrite to the profile (images.rewrites: from localhost:5001/ to your registry), or push by hand.',
      });
    }
    const pushed = await pushImages(docker, rewrites, io);
    io.progress({ phase: 'check', percent: 100, message: 'checking the target registry again' });
    const findings = await checkRegistryImages(rewrites, { ...this.options.registry, signal: io.signal });
    const checks = findings.map((f) => ({ id: `image:${f.image}`, title: `Image ${f.image}`, status: f.status, reason: f.reason, ...(f.status === 'fail' ? { push: f.rewrite } : {}) }));
    io.progress({ phase: 'done', percent: 100, message: `${pushed.length} image(s) pushed` });
    return { pushed, checks };
  }

  private ops(p: Prepared, io: PromoteIo): TargetOps {
    return { client: p.client, mapper: p.mapper, signal: io.signal, onThrottle: (s) => io.progress({ phase: 'throttled', percent: 50, message: `the API server asked to wait ${s} s` }) };
  }

  private async diffPrepared(p: Prepared, plan: PlanResult, io: PromoteIo, pruneTargets: PruneTarget[] = []): Promise<DiffResult> {
    if (plan.checks.some((c) => c.id === 'reachable' && c.status === 'fail')) {
      const reason = plan.checks.find((c) => c.id === 'reachable')!.reason;
      throw new AppError('CLUSTER_UNREACHABLE', reason, { fix: 'Check the target context with `slipway contexts`.' });
    }
    const entries = await diffAll(this.ops(p, io), p.rendered, (done, total) => io.progress({ phase: 'diff', percent: 30 + Math.round((done / total) * 60), message: `server-side dry run ${done}/${total}` }));
    const masked = entries.map((e) => ({ ...e, changes: maskSecretChanges(e.ref, e.changes) }));
    masked.push(...pruneTargets.map((t) => ({ ref: t.ref, action: 'delete' as const, changes: [] })));
    return { plan, entries: masked, summary: summarize(masked) };
  }

  async diff(request: PromoteRequest, io: PromoteIo = quietIo): Promise<DiffResult> {
    const p = await this.prepare(request, io);
    const { pruneTargets, ...plan } = await this.planPrepared(p, io, request.prune);
    const result = await this.diffPrepared(p, plan, io, pruneTargets);
    io.progress({ phase: 'done', percent: 100, message: Object.entries(result.summary).filter(([, n]) => n).map(([a, n]) => `${n} ${a}`).join(', ') });
    return result;
  }

  async apply(request: ApplyRequest, io: PromoteIo = quietIo): Promise<ApplyResult> {
    const p = await this.prepare(request, io);
    const { pruneTargets, ...plan } = await this.planPrepared(p, io, request.prune);
    const history = this.options.history;
    const id = history.newId();
    const base: Omit<PromotionRecord, 'status' | 'counts' | 'previous' | 'result'> = {
      id,
      createdAt: new Date().toISOString(),
      bundle: p.bundle.name,
      bundleId: p.bundleId,
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
    const previousList = await mapLimit(p.rendered, 8, async (r) => ({ ref: r.ref, object: await readBefore(ops, r.ref) })).catch((error: unknown) => {
      const e = toAppError(error);
      if (e.code !== 'CANCELLED') history.save({ ...base, status: 'blocked', counts: {}, previous: [], result: [] });
      throw e;
    });
    const previous = new Map(previousList.map((x) => [refKey(x.ref), x.object]));
    // Written ahead: from here on a crash leaves a record that says what was under way.
    const journal = new RecordJournal(history, {
      ...base,
      status: 'interrupted',
      counts: {},
      previous: previousList.map((x) => ({ ref: x.ref, object: x.object ? slim(x.object) : null })),
      result: p.rendered.map((r) => ({ ref: r.ref, outcome: 'skipped', message: 'not applied yet' })),
    });
    let output;
    try {
      output = await applyAll(ops, p.rendered, previous, {
        forceConflicts: request.forceConflicts,
        predicted: new Map(diff.entries.map((e) => [refKey(e.ref), e.action])),
        prune: request.prune ? pruneTargets : undefined,
        journal,
        waitTimeoutMs: request.waitTimeoutSeconds * 1000,
        progress: (percent, phase, message) => io.progress({ phase, percent, message, log: [message] }),
      });
    } catch (error) {
      // Everything that landed (and what was in flight) is in the journal: rollback undoes it.
      journal.finish(toAppError(error).code === 'CANCELLED' ? 'interrupted' : 'failed');
      throw error;
    }
    const failed = output.objects.filter((o) => o.outcome === 'failed' || o.outcome === 'conflict' || o.outcome === 'skipped').length;
    const notReady = output.objects.filter((o) => o.ready && !o.ready.ready).length;
    const status = ops.signal?.aborted ? 'interrupted' : failed === output.objects.length ? 'failed' : failed > 0 || notReady > 0 ? 'partial' : 'succeeded';
    const record = journal.finish(status, output.objects);
    const recordPath = history.pathOf(id);
    io.progress({ phase: 'done', percent: 100, message: `${status}: ${Object.entries(record.counts).map(([k, n]) => `${n} ${k}`).join(', ')}` });
    return { id, status, objects: output.objects, checks: plan.checks, recordPath };
  }

  listHistory(): PromotionSummary[] {
    return this.options.history.list();
  }

  /** The whole record, for pages and `--json`: Secret values masked (only rollback reads them, from disk). */
  getHistory(id: string): PromotionRecord {
    const record = this.options.history.get(id);
    return { ...record, rendered: record.rendered.map(maskSecret), previous: record.previous.map((p) => ({ ...p, object: maskSecret(p.object) })) };
  }

  async rollback(id: string, io: PromoteIo = quietIo): Promise<RollbackResult> {
    const record = this.options.history.get(id);
    if (record.rolledBackAt) throw new AppError('INVALID_ARGUMENT', `Promotion ${id} was already rolled back at ${record.rolledBackAt}.`, { fix: 'Promote again, or roll back a later promotion.' });
    if (record.status === 'blocked') throw new AppError('INVALID_ARGUMENT', `Promotion ${id} was blocked and changed nothing.`, { fix: 'There is nothing to roll back.' });
    // A later promotion of the same bundle to the same target rests on this one: undo it first.
    const sameBundle = (h: PromotionSummary) => (record.bundleId && h.bundleId ? h.bundleId === record.bundleId : h.bundle === record.bundle);
    const later = this.options.history.list().filter((h) => h.target === record.target && sameBundle(h) && h.createdAt > record.createdAt && !h.rolledBackAt && h.status !== 'blocked');
    if (later.length > 0) {
      throw new AppError('CONFLICT', `Promotion ${id} was followed by ${later.map((h) => h.id).join(', ')} of the same bundle on ${record.target}.`, { fix: 'Roll back the later promotions first (newest first).' });
    }
    allowManyRequests(io.signal);
    const client = await this.options.clients.forContext(record.target);
    const ops: TargetOps = { client, mapper: targetMapper(client), signal: io.signal };
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

/** One mapper per promotion run: what the target serves is asked once per group-version. */
function targetMapper(client: KubeClient): ResourceMapper {
  return new ResourceMapper(client, { timeoutMs: 15_000 });
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

/**
 * The live object before the apply, null when absent. Any other answer (403, 5xx, a timeout)
 * stops the apply: taking an unreadable object for an absent one would record it as created, and
 * rollback would delete what the promotion never made.
 */
async function readBefore(ops: TargetOps, ref: ObjectRef): Promise<KubeObject | null> {
  try {
    // A kind the target does not serve yet (its CRD comes with the bundle) has no objects.
    if (!(await ops.mapper.resolveKind(ref.apiVersion, ref.kind, ops.signal))) return null;
    return await getLive(ops.client, ops.mapper, ref, ops);
  } catch (error) {
    const e = toAppError(error);
    if (e.code === 'CANCELLED') throw e;
    throw new AppError(e.code, `Could not read the live ${formatRef(ref)} before applying: ${e.message}`, {
      fix: 'Nothing was applied. Check access to the target (get on that kind) and promote again.',
      details: { ref, cause: e.toWire() },
      cause: error,
    });
  }
}

/** The live object without managedFields: the history keeps what rollback needs, not bookkeeping. */
function slim(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  delete copy.metadata.managedFields;
  return copy;
}

