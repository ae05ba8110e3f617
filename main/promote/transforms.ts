/**
 * Rendering a bundle through a promotion profile: pure functions from objects to objects, each
 * recording what it changed so the plan can show it. Nothing here talks to a cluster.
 */
import { AppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { KUEUE_KINDS } from '../../shared/k8s/training-kinds';
import type { Bundle, RenderedObject } from '../../shared/models/promote';
import { formatRef, refOf } from '../../shared/models/promote';
import type { PromotionProfile, Toleration } from '../../shared/models/promote-profile';
import { containersOf, podTemplates, requestsResource } from './pod-templates';
import { mapSecrets } from './secret-mapping';
import { offlineNamespaced } from '../kube/resources/builtin';

/** The label every promoted object carries: which bundle it came from (used by prune). */
export const BUNDLE_LABEL = 'slipway.dev/bundle';
export const KUEUE_QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';

const SCALED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/** Answers whether a kind is namespaced; `undefined` when unknown. */
export type ScopeLookup = (apiVersion: string, kind: string) => boolean | undefined;

export interface RenderOptions {
  /** Namespace for namespaced objects without one when the profile names none. */
  defaultNamespace?: string;
  /** Namespaced-or-not per kind (discovery of the target); unknown kinds fall back to the static table. */
  scope?: ScopeLookup;
}

type Change = (line: string) => void;

/** A label value made from any name: at most 63 characters of [A-Za-z0-9._-], alphanumeric ends. */
export function labelValue(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'bundle';
}

/** Renders every object of the bundle; the result is sorted in apply order by the caller. */
export function render(bundle: Bundle, profile: PromotionProfile, options: RenderOptions = {}): RenderedObject[] {
  const isNamespaced = (o: KubeObject) => options.scope?.(o.apiVersion, o.kind) ?? offlineNamespaced(o.apiVersion, o.kind);
  const sourceNamespaces = new Set(bundle.objects.map(({ object }) => object.metadata.namespace).filter((n): n is string => Boolean(n)));
  const hpaTargets = new Set(
    bundle.objects
      .filter(({ object }) => object.kind === 'HorizontalPodAutoscaler')
      .map(({ object }) => {
        const target = (object.spec as any)?.scaleTargetRef;
        return target ? `${target.kind}/${object.metadata.namespace ?? ''}/${target.name}` : '';
      }),
  );
  const rendered: RenderedObject[] = [];
  for (const { object: source, origin } of bundle.objects) {
    const object = structuredClone(source);
    const changes: string[] = [];
    const change: Change = (line) => changes.push(line);
    const sourceNamespace = object.metadata.namespace;
    const scaledByHpa = hpaTargets.has(`${object.kind}/${sourceNamespace ?? ''}/${object.metadata.name}`);
    mapNamespace(object, profile, isNamespaced(object), sourceNamespaces, options.defaultNamespace, change);
    rewriteImages(object, profile, change);
    mapStorageClasses(object, profile, change);
    mapRuntimeClasses(object, profile, change);
    mapGpu(object, profile, change);
    overrideReplicas(object, profile, scaledByHpa, change);
    overrideHpa(object, profile, change);
    overrideResources(object, profile, change);
    setPriorityClass(object, profile, change);
    setKueueQueue(object, profile, change);
    addMetadata(object, profile, bundle.name, change);
    rendered.push({ ref: refOf(object), object, origin, changes });
  }
  addNamespaces(rendered, profile);
  return mapSecrets(rendered, profile).rendered;
}

export function mapNamespace(object: KubeObject, profile: PromotionProfile, namespaced: boolean, sourceNamespaces: Set<string>, defaultNamespace: string | undefined, change: Change): void {
  const target = profile.namespace;
  if (object.kind === 'Namespace' && object.apiVersion === 'v1') {
    if (target && object.metadata.name !== target) {
      change(`namespace ${object.metadata.name} → ${target}`);
      object.metadata.name = target;
    }
    return;
  }
  if (!namespaced) {
    if (object.metadata.namespace) delete object.metadata.namespace;
  } else {
    const next = target ?? object.metadata.namespace ?? defaultNamespace ?? 'default';
    if (object.metadata.namespace !== next) {
      change(object.metadata.namespace ? `namespace ${object.metadata.namespace} → ${next}` : `namespace ${next}`);
      object.metadata.namespace = next;
    }
  }
  // Bindings name service accounts by namespace: follow them to the new one.
  if (target && (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') && Array.isArray(object.subjects)) {
    for (const subject of object.subjects as Record<string, any>[]) {
      if (subject.kind === 'ServiceAccount' && subject.namespace && subject.namespace !== target && sourceNamespaces.has(subject.namespace)) {
        change(`subject ServiceAccount ${subject.name}: namespace ${subject.namespace} → ${target}`);
        subject.namespace = target;
      }
    }
  }
}

/** Applies the longest matching prefix rewrite, then pins a known digest. */
export function rewriteImage(image: string, profile: PromotionProfile): string {
  let next = image;
  const rule = [...profile.images.rewrites].filter((r) => image.startsWith(r.from)).sort((a, b) => b.from.length - a.from.length)[0];
  if (rule) next = rule.to + image.slice(rule.from.length);
  if (!next.includes('@')) {
    const digest = profile.images.digests[next];
    if (digest) next = `${next}@${digest}`;
  }
  return next;
}

export function rewriteImages(object: KubeObject, profile: PromotionProfile, change: Change): void {
  for (const template of podTemplates(object)) {
    for (const container of containersOf(template.spec)) {
      if (typeof container.image !== 'string') continue;
      const next = rewriteImage(container.image, profile);
      if (next !== container.image) {
        change(`image ${container.image} → ${next}`);
        container.image = next;
      }
    }
  }
}

function mapClass(current: string | undefined, map: Record<string, string>): string | undefined {
  if (current !== undefined && map[current] !== undefined) return map[current];
  return map['*'];
}

export function mapStorageClasses(object: KubeObject, profile: PromotionProfile, change: Change): void {
  const map = profile.storageClasses;
  if (Object.keys(map).length === 0) return;
  const remap = (spec: Record<string, any> | undefined, what: string) => {
    if (!spec) return;
    const next = mapClass(spec.storageClassName, map);
    if (next !== undefined && next !== spec.storageClassName) {
      change(`${what}storage class ${spec.storageClassName ?? '(default)'} → ${next}`);
      spec.storageClassName = next;
    }
  };
  if (object.kind === 'PersistentVolumeClaim') remap(object.spec as Record<string, any>, '');
  if (object.kind === 'StatefulSet') {
    for (const claim of ((object.spec as any)?.volumeClaimTemplates ?? []) as Record<string, any>[]) {
      claim.spec ??= {};
      remap(claim.spec, `volumeClaimTemplate ${claim.metadata?.name ?? '?'}: `);
    }
  }
}

export function mapRuntimeClasses(object: KubeObject, profile: PromotionProfile, change: Change): void {
  const map = profile.runtimeClasses;
  for (const template of podTemplates(object)) {
    const current = template.spec.runtimeClassName;
    if (typeof current !== 'string' || !(current in map)) continue;
    const next = map[current];
    if (next === null || next === undefined) {
      change(`${template.where}: runtimeClassName ${current} removed`);
      delete template.spec.runtimeClassName;
    } else if (next !== current) {
      change(`${template.where}: runtimeClassName ${current} → ${next}`);
      template.spec.runtimeClassName = next;
    }
  }
}

const sameToleration = (a: Toleration, b: Record<string, unknown>) =>
  (['key', 'operator', 'value', 'effect'] as const).every((k) => (a[k] ?? '') === ((b[k] as string | undefined) ?? ''));

/** GPU pods: resource name, laptop selectors out, target selectors and tolerations in. */
export function mapGpu(object: KubeObject, profile: PromotionProfile, change: Change): void {
  const gpu = profile.gpu;
  for (const template of podTemplates(object)) {
    const spec = template.spec;
    if (!requestsResource(spec, gpu.sourceResourceName)) continue;
    const where = `${template.where}: `;
    if (gpu.resourceName && gpu.resourceName !== gpu.sourceResourceName) {
      for (const container of containersOf(spec)) {
        for (const bucket of ['limits', 'requests'] as const) {
          const resources = container.resources?.[bucket];
          if (resources && gpu.sourceResourceName in resources) {
            resources[gpu.resourceName] = resources[gpu.sourceResourceName];
            delete resources[gpu.sourceResourceName];
            change(`${where}${container.name} ${bucket} ${gpu.sourceResourceName} → ${gpu.resourceName}`);
          }
        }
      }
    }
    if (spec.nodeSelector && typeof spec.nodeSelector === 'object') {
      for (const key of gpu.dropNodeSelectorKeys) {
        if (key in spec.nodeSelector) {
          change(`${where}nodeSelector ${key} removed`);
          delete spec.nodeSelector[key];
        }
      }
    }
    dropAffinityKeys(spec, gpu.dropNodeSelectorKeys, where, change);
    const additions = Object.entries(gpu.nodeSelector);
    if (additions.length > 0) {
      spec.nodeSelector ??= {};
      for (const [key, value] of additions) {
        if (spec.nodeSelector[key] !== value) {
          change(`${where}nodeSelector ${key}=${value}`);
          spec.nodeSelector[key] = value;
        }
      }
    }
    if (spec.nodeSelector && Object.keys(spec.nodeSelector).length === 0) delete spec.nodeSelector;
    for (const toleration of gpu.tolerations) {
      spec.tolerations ??= [];
      if (!(spec.tolerations as Record<string, unknown>[]).some((t) => sameToleration(toleration, t))) {
        change(`${where}toleration ${toleration.key ?? '*'}${toleration.value ? `=${toleration.value}` : ''}:${toleration.effect ?? '*'}`);
        spec.tolerations.push({ ...toleration });
      }
    }
  }
}

function dropAffinityKeys(spec: Record<string, any>, keys: string[], where: string, change: Change): void {
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required || !Array.isArray(required.nodeSelectorTerms)) return;
  for (const term of required.nodeSelectorTerms as Record<string, any>[]) {
    if (!Array.isArray(term.matchExpressions)) continue;
    const kept = term.matchExpressions.filter((e: Record<string, any>) => !keys.includes(e.key));
    if (kept.length !== term.matchExpressions.length) {
      change(`${where}node affinity on ${keys.filter((k) => term.matchExpressions.some((e: any) => e.key === k)).join(', ')} removed`);
      if (kept.length) term.matchExpressions = kept;
      else delete term.matchExpressions;
    }
  }
  required.nodeSelectorTerms = required.nodeSelectorTerms.filter((t: Record<string, any>) => Object.keys(t).length > 0);
  if (required.nodeSelectorTerms.length === 0) {
    delete spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    if (Object.keys(spec.affinity.nodeAffinity).length === 0) delete spec.affinity.nodeAffinity;
    if (Object.keys(spec.affinity).length === 0) delete spec.affinity;
  }
}

const byName = <T>(map: Record<string, T>, name: string): T | undefined => map[name] ?? map['*'];

export function overrideReplicas(object: KubeObject, profile: PromotionProfile, scaledByHpa: boolean, change: Change): void {
  if (!SCALED_KINDS.has(object.kind)) return;
  const spec = object.spec as Record<string, any> | undefined;
  if (!spec) return;
  if (scaledByHpa) {
    // An HPA owns the replica count in the target; applying one would fight it on every promotion.
    if (spec.replicas !== undefined) {
      change(`replicas ${spec.replicas} left to the HorizontalPodAutoscaler`);
      delete spec.replicas;
    }
    return;
  }
  const next = byName(profile.replicas, object.metadata.name);
  if (next !== undefined && next !== spec.replicas) {
    change(`replicas ${spec.replicas ?? 1} → ${next}`);
    spec.replicas = next;
  }
}

export function overrideHpa(object: KubeObject, profile: PromotionProfile, change: Change): void {
  if (object.kind !== 'HorizontalPodAutoscaler') return;
  const override = byName(profile.hpa, object.metadata.name);
  if (!override) return;
  const spec = (object.spec ??= {}) as Record<string, any>;
  if (override.minReplicas !== undefined && override.minReplicas !== spec.minReplicas) {
    change(`minReplicas ${spec.minReplicas ?? 1} → ${override.minReplicas}`);
    spec.minReplicas = override.minReplicas;
  }
  if (override.maxReplicas !== undefined && override.maxReplicas !== spec.maxReplicas) {
    change(`maxReplicas ${spec.maxReplicas ?? '?'} → ${override.maxReplicas}`);
    spec.maxReplicas = override.maxReplicas;
  }
  if ((spec.minReplicas ?? 1) > spec.maxReplicas) {
    throw new AppError('PROFILE_INVALID', `Profile "${profile.name}" gives ${formatRef(refOf(object))} minReplicas ${spec.minReplicas} above maxReplicas ${spec.maxReplicas}.`, {
      fix: 'Set hpa minReplicas ≤ maxReplicas in the profile.',
    });
  }
}

export function overrideResources(object: KubeObject, profile: PromotionProfile, change: Change): void {
  const rules = profile.resources.filter((r) => r.workload === '*' || r.workload === object.metadata.name);
  if (rules.length === 0) return;
  for (const template of podTemplates(object)) {
    for (const container of Array.isArray(template.spec.containers) ? (template.spec.containers as Record<string, any>[]) : []) {
      for (const rule of rules) {
        if (rule.container !== '*' && rule.container !== container.name) continue;
        for (const bucket of ['requests', 'limits'] as const) {
          for (const [resource, value] of Object.entries(rule[bucket] ?? {})) {
            container.resources ??= {};
            container.resources[bucket] ??= {};
            const next = String(value);
            if (String(container.resources[bucket][resource] ?? '') !== next) {
              change(`${template.where}: ${container.name} ${bucket}.${resource} ${container.resources[bucket][resource] ?? '(none)'} → ${next}`);
              container.resources[bucket][resource] = next;
            }
          }
        }
      }
    }
  }
}

export function setPriorityClass(object: KubeObject, profile: PromotionProfile, change: Change): void {
  if (!profile.priorityClassName) return;
  for (const template of podTemplates(object)) {
    if (template.spec.priorityClassName !== profile.priorityClassName) {
      change(`${template.where}: priorityClassName ${profile.priorityClassName}`);
      template.spec.priorityClassName = profile.priorityClassName;
    }
  }
}

export function setKueueQueue(object: KubeObject, profile: PromotionProfile, change: Change): void {
  if (!profile.kueueQueue || !KUEUE_KINDS.has(object.kind)) return;
  object.metadata.labels ??= {};
  if (object.metadata.labels[KUEUE_QUEUE_LABEL] !== profile.kueueQueue) {
    change(`Kueue queue ${profile.kueueQueue}`);
    object.metadata.labels[KUEUE_QUEUE_LABEL] = profile.kueueQueue;
  }
}

export function addMetadata(object: KubeObject, profile: PromotionProfile, bundleName: string, change: Change): void {
  const labels = { ...profile.labels, [BUNDLE_LABEL]: labelValue(bundleName) };
  for (const [key, value] of Object.entries(labels)) {
    object.metadata.labels ??= {};
    if (object.metadata.labels[key] !== value) {
      if (key !== BUNDLE_LABEL) change(`label ${key}=${value}`);
      object.metadata.labels[key] = value;
    }
  }
  for (const [key, value] of Object.entries(profile.annotations)) {
    object.metadata.annotations ??= {};
    if (object.metadata.annotations[key] !== value) {
      change(`annotation ${key}=${value}`);
      object.metadata.annotations[key] = value;
    }
  }
}

/** The target namespaces that the bundle does not create itself, added first when the profile asks. */
export function addNamespaces(rendered: RenderedObject[], profile: PromotionProfile): void {
  if (!profile.createNamespace) return;
  const present = new Set(rendered.filter((r) => r.object.kind === 'Namespace' && r.object.apiVersion === 'v1').map((r) => r.object.metadata.name));
  const needed = new Set(rendered.map((r) => r.object.metadata.namespace).filter((n): n is string => Boolean(n) && !present.has(n!) && n !== 'default' && !n!.startsWith('kube-')));
  for (const name of needed) {
    // Shared by every bundle promoted there: no bundle label, or each promotion would relabel it.
    const object: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(Object.keys(profile.labels).length ? { labels: { ...profile.labels } } : {}) } };
    if (Object.keys(profile.annotations).length) object.metadata.annotations = { ...profile.annotations };
    rendered.unshift({ ref: refOf(object), object, origin: {}, changes: ['namespace created for the promotion'] });
  }
}
