/**
 * Preflight: what would fail in the target, checked before anything is written. Every check is
 * ok, warn or fail with its reason. An unreachable target (or rejected credentials) is one
 * failed check and the others are not attempted.
 */
import { toAppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { BundleSource, ObjectRef, PreflightCheck, RenderedObject } from '../../shared/models/promote';
import { formatRef } from '../../shared/models/promote';
import type { PromotionProfile } from '../../shared/models/promote-profile';
import type { KubeClient } from '../kube/kube-client';
import { refKey } from './apply';
import { gpuDemands, nodeInfos, placeGpuPods, quotaDemand, quotaVerdict } from './capacity';
import { asTheyWillRun, listRunningPods, readReplaced, type ReplacedState } from './replaced';
import { rolloutSurge, type Surge } from './rollout-surge';
import { createdByBundle } from './diff';
import { checkImages } from './image-checks';
import { checkRegistryImages, type ImageRewrite, type RegistryCheckOptions, type RegistryFinding } from './image-registry-checks';
import { checkSecrets } from './preflight-secrets';
import { podTemplates } from './pod-templates';
import { mapLimit } from './pool';
import type { ResourceMapper } from '../kube/resources/resource-mapper';
import { groupKind } from '../kube/resources/names';
import { groupOf } from '../kube/resources/paths';

interface List<T> {
  items: T[];
}

export interface PreflightInput {
  client: KubeClient;
  mapper: ResourceMapper;
  rendered: RenderedObject[];
  profile: PromotionProfile;
  /** Where the bundle came from: images of a capture from a kind or k3d cluster may exist only there. */
  source?: BundleSource;
  /** With prune: what it would delete (its kinds need list and delete too). */
  prune?: ObjectRef[];
  signal?: AbortSignal;
  /** Images rewritten away from a laptop-only registry: checked in the target registry. */
  imageRewrites?: ImageRewrite[];
  /** How the registry check finds credentials (tests point it at a temporary Docker config). */
  registry?: Omit<RegistryCheckOptions, 'signal'>;
}

export async function version(client: KubeClient, signal?: AbortSignal): Promise<string> {
  const res = await client.request<{ gitVersion?: string }>({ path: '/version', timeoutMs: 10_000, signal });
  return res.body.gitVersion ?? 'unknown';
}

/** Runs every check; never throws for a target problem (that is a failed check). */
export async function preflight(input: PreflightInput): Promise<{ checks: PreflightCheck[]; version?: string }> {
  const { client, signal } = input;
  let serverVersion: string;
  try {
    serverVersion = await version(client, signal);
  } catch (error) {
    const e = toAppError(error);
    if (e.code === 'CANCELLED') throw e;
    return { checks: [{ id: 'reachable', title: `Target ${client.contextName} reachable`, status: 'fail', reason: `${e.message}${e.fix ? ` ${e.fix}` : ''}` }] };
  }
  const checks: PreflightCheck[] = [{ id: 'reachable', title: `Target ${client.contextName} reachable`, status: 'ok', reason: `Kubernetes ${serverVersion} at ${client.server.host}.` }];
  // Read once, and only when a GPU or quota check needs it.
  let pending: Promise<ReplacedState> | undefined;
  const replaced = () => (pending ??= readReplaced(input));
  const [groups, registryFindings] = await Promise.all([
    Promise.all([
      checkKinds(input),
      checkNamespaces(input),
      checkRbac(input),
      checkStorageClasses(input),
      checkNamed(input, 'RuntimeClass', '/apis/node.k8s.io/v1/runtimeclasses', (spec) => spec.runtimeClassName),
      checkNamed(input, 'PriorityClass', '/apis/scheduling.k8s.io/v1/priorityclasses', (spec) => spec.priorityClassName),
      checkGpus(input, replaced),
      checkQuotas(input, replaced),
      checkMetricsApi(input),
      guarded('secrets', 'Secrets', () => checkSecrets(input)),
    ]),
    checkRegistryImages(input.imageRewrites ?? [], { ...input.registry, signal }),
  ]);
  checks.push(...groups.flat());
  const inRegistry = new Map<string, RegistryFinding>(registryFindings.map((f) => [f.image, f]));
  for (const finding of checkImages(input.rendered.map((r) => r.object), { localCluster: input.source?.kind === 'capture' && /^(kind|k3d)-/.test(input.source.context) ? input.source.context : undefined })) {
    // What the target registry said supersedes the static guess, but never hides a static fail.
    const registry = inRegistry.get(finding.image);
    const chosen = registry && finding.status !== 'fail' ? registry : finding;
    checks.push({
      id: `image:${finding.image}`,
      title: `Image ${finding.image}`,
      status: chosen.status,
      reason: registry && chosen !== registry ? `${finding.reason} ${registry.reason}` : chosen.reason,
      ...(registry?.status === 'fail' ? { push: registry.rewrite } : {}),
    });
  }
  return { checks, version: serverVersion };
}

/** Runs one check body; a target error becomes a failed check rather than an exception. */
async function guarded(id: string, title: string, body: () => Promise<PreflightCheck[]>): Promise<PreflightCheck[]> {
  try {
    return await body();
  } catch (error) {
    const e = toAppError(error);
    if (e.code === 'CANCELLED') throw e;
    return [{ id, title, status: 'fail', reason: `Could not check: ${e.message}` }];
  }
}

async function exists(client: KubeClient, path: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.request({ path, signal, timeoutMs: 15_000 });
    return true;
  } catch (error) {
    if (toAppError(error).code === 'NOT_FOUND') return false;
    throw error;
  }
}

function checkKinds({ mapper, rendered, signal }: PreflightInput): Promise<PreflightCheck[]> {
  return guarded('kinds', 'Kinds served by the target', async () => {
    const bundle = createdByBundle(rendered);
    const kinds = new Map<string, { apiVersion: string; kind: string; objects: string[] }>();
    for (const r of rendered) {
      const key = `${r.ref.apiVersion}/${r.ref.kind}`;
      if (!kinds.has(key)) kinds.set(key, { apiVersion: r.ref.apiVersion, kind: r.ref.kind, objects: [] });
      kinds.get(key)!.objects.push(formatRef(r.ref));
    }
    return Promise.all(
      [...kinds.values()].map(async ({ apiVersion, kind, objects }): Promise<PreflightCheck> => {
        const id = `kind:${groupKind(apiVersion, kind)}`;
        const title = `${kind} (${apiVersion})`;
        if (await mapper.resolveKind(apiVersion, kind, signal)) return { id, title, status: 'ok', reason: `The target serves ${kind} ${apiVersion}.`, objects };
        if (bundle.kinds.has(groupKind(apiVersion, kind))) return { id, title, status: 'ok', reason: `The bundle installs the CRD for ${kind}.`, objects };
        const custom = groupOf(apiVersion) !== '' && !groupOf(apiVersion).endsWith('.k8s.io') && groupOf(apiVersion).includes('.');
        return {
          id,
          title,
          status: 'fail',
          reason: custom
            ? `The target does not serve ${kind} (${apiVersion}): its CRD is not installed. Install the operator that provides it (e.g. the Kubeflow Training Operator for PyTorchJob) first.`
            : `The target does not serve ${kind} (${apiVersion}): unknown kind or API version on Kubernetes of the target.`,
          objects,
        };
      }),
    );
  });
}

function checkNamespaces({ client, rendered, signal }: PreflightInput): Promise<PreflightCheck[]> {
  return guarded('namespaces', 'Target namespaces', async () => {
    const created = createdByBundle(rendered).namespaces;
    const used = [...new Set(rendered.map((r) => r.ref.namespace).filter((n): n is string => Boolean(n)))];
    return Promise.all(
      used.map(async (ns): Promise<PreflightCheck> => {
        const id = `namespace:${ns}`;
        const title = `Namespace ${ns}`;
        if (await exists(client, `/api/v1/namespaces/${encodeURIComponent(ns)}`, signal)) return { id, title, status: 'ok', reason: `${ns} exists.` };
        if (created.has(ns)) return { id, title, status: 'ok', reason: `${ns} does not exist yet; the promotion creates it.` };
        return { id, title, status: 'fail', reason: `${ns} does not exist in the target and the bundle does not create it. Create it, or let the profile create it (createNamespace: true).` };
      }),
    );
  });
}

interface AccessReview {
  status?: { allowed?: boolean; reason?: string };
}

function checkRbac({ client, mapper, rendered, prune, signal }: PreflightInput): Promise<PreflightCheck[]> {
  return guarded('rbac', 'Permissions (SelfSubjectAccessReview)', async () => {
    // Server-side apply is a PATCH that creates when missing; the diff reads first. Prune lists
    // what a promotion of the bundle created and deletes what it no longer has.
    const applyVerbs = ['get', 'create', 'patch', ...(prune ? ['list', 'delete'] : [])];
    const targets = new Map<string, { group: string; resource: string; namespace?: string; objects: string[]; verbs: Set<string> }>();
    const add = async (ref: ObjectRef, verbs: string[]) => {
      const resource = await mapper.resolveKind(ref.apiVersion, ref.kind, signal);
      if (!resource) return; // reported by the kinds check
      const namespace = resource.namespaced ? ref.namespace : undefined;
      const key = `${groupOf(ref.apiVersion)}/${resource.plural}/${namespace ?? ''}`;
      if (!targets.has(key)) targets.set(key, { group: groupOf(ref.apiVersion), resource: resource.plural, namespace, objects: [], verbs: new Set() });
      const t = targets.get(key)!;
      t.objects.push(formatRef(ref));
      for (const v of verbs) t.verbs.add(v);
    };
    for (const r of rendered) await add(r.ref, applyVerbs);
    for (const ref of prune ?? []) await add(ref, ['get', 'list', 'delete']);
    return mapLimit([...targets.values()], 8, async (t): Promise<PreflightCheck> => {
      const denied: string[] = [];
      for (const verb of t.verbs) {
        const res = await client.request<AccessReview>({
          method: 'POST',
          path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { group: t.group, resource: t.resource, verb, ...(t.namespace ? { namespace: t.namespace } : {}) } } },
          signal,
        });
        if (!res.body.status?.allowed) denied.push(verb);
      }
      const what = `${t.group ? `${t.group}/` : ''}${t.resource}${t.namespace ? ` in ${t.namespace}` : ' (cluster-wide)'}`;
      const verbs = [...t.verbs];
      return {
        id: `rbac:${what}`,
        title: `May write ${what}`,
        status: denied.length ? 'fail' : 'ok',
        reason: denied.length ? `Not allowed to ${denied.join(', ')} ${what}. Ask an admin for a Role granting it.` : `${verbs.slice(0, -1).join(', ')} and ${verbs[verbs.length - 1]} allowed on ${what}.`,
        objects: t.objects,
      };
    });
  });
}

function storageClassUses(rendered: RenderedObject[]): Map<string | null, string[]> {
  const uses = new Map<string | null, string[]>();
  const add = (cls: unknown, who: string) => {
    const key = typeof cls === 'string' && cls ? cls : null;
    if (!uses.has(key)) uses.set(key, []);
    uses.get(key)!.push(who);
  };
  for (const { object, ref } of rendered) {
    if (object.kind === 'PersistentVolumeClaim') add((object.spec as any)?.storageClassName, formatRef(ref));
    if (object.kind === 'StatefulSet') for (const t of (object.spec as any)?.volumeClaimTemplates ?? []) add(t.spec?.storageClassName, `${formatRef(ref)} (${t.metadata?.name})`);
  }
  return uses;
}

function checkStorageClasses({ client, rendered, profile, signal }: PreflightInput): Promise<PreflightCheck[]> {
  return guarded('storageclass', 'Storage classes', async () => {
    const uses = storageClassUses(rendered);
    if (uses.size === 0) return [];
    const list = (await client.request<List<KubeObject>>({ path: '/apis/storage.k8s.io/v1/storageclasses', signal })).body.items;
    const names = new Set(list.map((c) => c.metadata.name));
    const defaults = list.filter((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true').map((c) => c.metadata.name);
    return [...uses].map(([cls, objects]): PreflightCheck => {
      if (cls === null) {
        return defaults.length
          ? { id: 'storageclass:(default)', title: 'Default storage class', status: 'ok', reason: `No class named; the target's default ${defaults[0]} is used.`, objects }
          : { id: 'storageclass:(default)', title: 'Default storage class', status: 'warn', reason: 'No class named and the target has no default StorageClass: the claims stay Pending. Map a class in the profile.', objects };
      }
      const mapped = Object.entries(profile.storageClasses).find(([, to]) => to === cls);
      if (names.has(cls)) return { id: `storageclass:${cls}`, title: `StorageClass ${cls}`, status: 'ok', reason: `${cls} exists.`, objects };
      return {
        id: `storageclass:${cls}`,
        title: `StorageClass ${cls}`,
        status: 'fail',
        reason: `${cls} does not exist in the target${mapped ? ` (profile "${profile.name}" maps ${mapped[0]} → ${cls})` : ''}. It has: ${[...names].join(', ') || 'none'}.`,
        objects,
      };
    });
  });
}

function checkNamed({ client, rendered, signal }: PreflightInput, kind: string, path: string, pick: (spec: Record<string, any>) => unknown): Promise<PreflightCheck[]> {
  return guarded(kind.toLowerCase(), `${kind}s`, async () => {
    const uses = new Map<string, string[]>();
    for (const { object, ref } of rendered) {
      for (const t of podTemplates(structuredClone(object))) {
        const name = pick(t.spec);
        if (typeof name === 'string' && name) uses.set(name, [...(uses.get(name) ?? []), formatRef(ref)]);
      }
    }
    const inBundle = new Set(rendered.filter((r) => r.ref.kind === kind).map((r) => r.ref.name));
    return Promise.all(
      [...uses].map(async ([name, objects]): Promise<PreflightCheck> => {
        const id = `${kind.toLowerCase()}:${name}`;
        if (inBundle.has(name)) return { id, title: `${kind} ${name}`, status: 'ok', reason: `The bundle creates ${name}.`, objects };
        const found = await exists(client, `${path}/${encodeURIComponent(name)}`, signal);
        return found
          ? { id, title: `${kind} ${name}`, status: 'ok', reason: `${name} exists.`, objects }
          : { id, title: `${kind} ${name}`, status: 'fail', reason: `${kind} ${name} does not exist in the target: pods would be rejected. Map or drop it in the profile${kind === 'RuntimeClass' ? ' (runtimeClasses: {' + name + ': null})' : ''}.`, objects };
      }),
    );
  });
}

/** The surge pods of each rolling update, as objects of `pods` replicas, with what to say about them. */
function surgeWorkloads(rendered: RenderedObject[], live: ReadonlyMap<string, KubeObject>): { object: KubeObject; surge: Surge; name: string }[] {
  return rendered.flatMap(({ ref, object }) => {
    const surge = rolloutSurge(object, live.get(refKey(ref)));
    return surge.pods > 0 ? [{ object: { ...object, spec: { ...(object.spec as object), replicas: surge.pods } }, surge, name: formatRef(ref) }] : [];
  });
}

function checkGpus({ client, rendered, profile, signal }: PreflightInput, replaced: () => Promise<ReplacedState>): Promise<PreflightCheck[]> {
  const resourceName = profile.gpu.resourceName ?? profile.gpu.sourceResourceName;
  return guarded('gpu', 'Allocatable GPUs', async () => {
    if (gpuDemands(rendered.map((r) => r.object), resourceName).length === 0) return [];
    const state = await replaced();
    const demands = gpuDemands(asTheyWillRun(rendered, state.live), resourceName);
    const nodes = (await client.request<List<Record<string, any>>>({ path: '/api/v1/nodes', signal })).body.items;
    const infos = nodeInfos(nodes, await listRunningPods(client, signal), resourceName, state.replacedPods);
    const base = { id: `gpu:${resourceName}`, title: `Enough ${resourceName}`, objects: demands.map((d) => d.workload) };
    const verdict = placeGpuPods(demands, infos);
    if (!verdict.ok) return [{ ...base, status: 'fail', reason: verdict.reason }];
    const surges = surgeWorkloads(rendered, state.live).flatMap(({ object, surge, name }) => gpuDemands([object], resourceName).map((d) => ({ demand: { ...d, workload: `${d.workload} (rolling-update surge)` }, surge, name })));
    if (surges.length === 0) return [{ ...base, status: 'ok', reason: verdict.reason }];
    const extra = surges.reduce((n, s) => n + s.demand.pods, 0);
    if (placeGpuPods([...demands, ...surges.map((s) => s.demand)], infos).ok) return [{ ...base, status: 'ok', reason: `${verdict.reason} There is room for the rolling update's ${extra} surge pod(s) too.` }];
    const stalls = surges.filter((s) => s.surge.maxUnavailable === 0).map((s) => s.name);
    return [
      {
        ...base,
        status: 'warn',
        reason:
          `${verdict.reason} But the rolling update of ${[...new Set(surges.map((s) => s.name))].join(', ')} starts ${extra} surge pod(s) (maxSurge ${surges[0]!.surge.maxSurge}) while the old pods still hold their ${resourceName}, and there is no room for them: a surge pod waits until an old pod stops.` +
          (stalls.length ? ` With maxUnavailable 0 (${stalls.join(', ')}) no old pod stops first, so the rollout stalls; set maxUnavailable ≥ 1 (or strategy Recreate).` : ''),
      },
    ];
  });
}

function checkQuotas({ client, rendered, signal }: PreflightInput, replaced: () => Promise<ReplacedState>): Promise<PreflightCheck[]> {
  return guarded('quota', 'Resource quotas', async () => {
    const namespaces = [...new Set(rendered.map((r) => r.ref.namespace).filter((n): n is string => Boolean(n)))];
    const checks: PreflightCheck[] = [];
    for (const ns of namespaces) {
      let quotas: Record<string, any>[];
      try {
        quotas = (await client.request<List<Record<string, any>>>({ path: `/api/v1/namespaces/${encodeURIComponent(ns)}/resourcequotas`, signal })).body.items;
      } catch (error) {
        if (toAppError(error).code === 'NOT_FOUND') continue;
        throw error;
      }
      if (quotas.length === 0) continue;
      const state = await replaced();
      const here = rendered.filter((r) => r.ref.namespace === ns);
      const demand = quotaDemand(asTheyWillRun(here, state.live));
      const liveClaims = here.filter((r) => r.ref.kind === 'PersistentVolumeClaim').map((r) => state.live.get(refKey(r.ref))).filter((o): o is KubeObject => Boolean(o));
      const released = quotaDemand([...state.pods.filter((p) => p.metadata.namespace === ns && state.replacedPods.has(p.metadata.uid ?? '')), ...liveClaims]);
      const surge = quotaDemand(surgeWorkloads(here, state.live).map((s) => s.object));
      for (const quota of quotas) {
        const verdict = quotaVerdict(quota.status?.hard ?? quota.spec?.hard ?? {}, quota.status?.used ?? {}, demand, released, surge);
        checks.push({ id: `quota:${ns}/${quota.metadata.name}`, title: `ResourceQuota ${ns}/${quota.metadata.name}`, ...verdict });
      }
    }
    return checks;
  });
}

/** Which aggregated metrics API serves each HPA metric type (External, Pods and Object need an adapter). */
const METRICS_APIS = [
  { group: 'metrics.k8s.io', types: ['Resource', 'ContainerResource'], what: 'resource metrics', install: 'Install metrics-server in the target.' },
  { group: 'custom.metrics.k8s.io', types: ['Pods', 'Object'], what: 'custom metrics', install: 'Install a custom metrics adapter (prometheus-adapter, KEDA) in the target.' },
  { group: 'external.metrics.k8s.io', types: ['External'], what: 'external metrics', install: 'Install an external metrics adapter (KEDA, prometheus-adapter) in the target.' },
] as const;

/** `External queue_depth`, `Pods http_requests`, `Resource cpu`: how a check names one metric. */
function metricName(metric: Record<string, any>): string {
  const type = String(metric.type ?? '');
  const spec = (metric[type.charAt(0).toLowerCase() + type.slice(1)] ?? {}) as Record<string, any>;
  return `${type} ${spec.metric?.name ?? spec.name ?? '?'}`;
}

/** Whether an APIService of `group` is registered and Available; the reason when it is not. */
async function apiServiceState(client: KubeClient, group: string, signal?: AbortSignal): Promise<{ available: boolean; detail: string }> {
  const list = (await client.request<List<Record<string, any>>>({ path: '/apis/apiregistration.k8s.io/v1/apiservices', signal })).body.items;
  const services = list.filter((s) => s.spec?.group === group);
  if (services.length === 0) return { available: false, detail: `no APIService serves ${group}` };
  const conditions = services.map((svc) => ({ name: String(svc.metadata?.name), condition: (svc.status?.conditions ?? []).find((c: Record<string, any>) => c.type === 'Available') }));
  if (conditions.some((c) => c.condition?.status === 'True')) return { available: true, detail: `${group} is available` };
  return { available: false, detail: conditions.map((c) => `${c.name} is not available (${c.condition?.reason ?? 'no status'})`).join('; ') };
}

function checkMetricsApi({ client, rendered, signal }: PreflightInput): Promise<PreflightCheck[]> {
  return guarded('metrics-api', 'Metrics API for autoscalers', async () => {
    const hpas = rendered.filter((r) => r.ref.kind === 'HorizontalPodAutoscaler');
    const checks: PreflightCheck[] = [];
    for (const api of METRICS_APIS) {
      const uses: { object: string; metric: string }[] = [];
      for (const r of hpas) {
        const metrics = (r.object.spec as any)?.metrics;
        // No metrics means the default 80% CPU target: a resource metric too.
        if (!Array.isArray(metrics) || metrics.length === 0) {
          if (api.group === 'metrics.k8s.io') uses.push({ object: formatRef(r.ref), metric: 'Resource cpu' });
          continue;
        }
        for (const m of metrics as Record<string, any>[]) if ((api.types as readonly string[]).includes(m.type)) uses.push({ object: formatRef(r.ref), metric: metricName(m) });
      }
      if (uses.length === 0) continue;
      const objects = [...new Set(uses.map((u) => u.object))];
      const named = uses.map((u) => `${u.metric} (${u.object})`).join(', ');
      const state = await apiServiceState(client, api.group, signal);
      const id = api.group === 'metrics.k8s.io' ? 'metrics-api' : `metrics-api:${api.group}`;
      const title = api.group === 'metrics.k8s.io' ? 'Metrics API' : `Metrics API ${api.group}`;
      if (state.available) {
        checks.push({ id, title, status: 'ok', reason: `${api.group} is available: ${api.what} can be read for ${named}.`, objects });
      } else if (api.group === 'metrics.k8s.io') {
        // Without metrics-server the HPA still exists and the workload runs at its minimum.
        checks.push({ id, title, status: 'warn', reason: `The HPAs use ${api.what} (${named}) but ${state.detail}: they will not scale. ${api.install}`, objects });
      } else {
        checks.push({ id, title, status: 'fail', reason: `The HPAs read ${named} from ${api.group}, but ${state.detail} in the target: they would never scale. ${api.install}`, objects });
      }
    }
    return checks;
  });
}
