import type { KubeObject } from '../../shared/k8s/kube-object';

/** A pod spec inside a workload, with a label for messages ("Worker", "template"). */
export interface PodTemplateRef {
  where: string;
  /** The template's metadata (labels, annotations); created when missing. */
  metadata: Record<string, any>;
  spec: Record<string, any>;
}

/** A plain object (not null, not an array): what a manifest field must be before it is walked. */
export const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);

function templateAt(holder: unknown, where: string): PodTemplateRef[] {
  if (!isObject(holder) || !isObject(holder.template) || !isObject(holder.template.spec)) return [];
  holder.template.metadata = isObject(holder.template.metadata) ? holder.template.metadata : {};
  return [{ where, metadata: holder.template.metadata, spec: holder.template.spec }];
}

/**
 * Every pod spec of an object, mutable in place: Pods, the workload controllers, CronJobs, and
 * the Kubeflow training jobs (`spec.<x>ReplicaSpecs.<role>.template`, e.g. PyTorchJob's Master
 * and Worker) and similar CRDs that follow that convention.
 */
export function podTemplates(object: KubeObject): PodTemplateRef[] {
  const spec = object.spec;
  if (!isObject(spec)) return [];
  if (object.kind === 'Pod' && object.apiVersion === 'v1') {
    object.metadata.labels ??= {};
    return [{ where: 'pod', metadata: object.metadata, spec }];
  }
  if (object.kind === 'CronJob') return templateAt(isObject(spec.jobTemplate) ? spec.jobTemplate.spec : undefined, 'jobTemplate');
  const found = templateAt(spec, 'template');
  for (const [key, value] of Object.entries(spec)) {
    if (!key.endsWith('ReplicaSpecs') || !isObject(value)) continue;
    for (const [role, replicaSpec] of Object.entries(value)) found.push(...templateAt(replicaSpec, role));
  }
  // JobSet-style: spec.replicatedJobs[].template.spec.template
  if (Array.isArray(spec.replicatedJobs)) {
    for (const job of spec.replicatedJobs) {
      if (isObject(job) && isObject(job.template)) found.push(...templateAt(job.template.spec, String(job.name ?? 'replicatedJob')));
    }
  }
  return found;
}

/** Every container (init containers included) of a pod spec. */
export function containersOf(spec: Record<string, any>): Record<string, any>[] {
  return [...(Array.isArray(spec.initContainers) ? spec.initContainers : []), ...(Array.isArray(spec.containers) ? spec.containers : [])].filter(isObject);
}

/** Whether any container of the pod spec asks for `resourceName` (requests or limits). */
export function requestsResource(spec: Record<string, any>, resourceName: string): boolean {
  return containersOf(spec).some((c) => isObject(c.resources) && ((isObject(c.resources.limits) && resourceName in c.resources.limits) || (isObject(c.resources.requests) && resourceName in c.resources.requests)));
}

/** Sum of `resourceName` limits (or requests) over the pod's regular containers, as a number. */
export function resourceCount(spec: Record<string, any>, resourceName: string): number {
  let total = 0;
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) {
    const value = c?.resources?.limits?.[resourceName] ?? c?.resources?.requests?.[resourceName];
    if (value !== undefined) total += Number(value) || 0;
  }
  return total;
}

/** How many pods a workload runs at most at once (replicas, parallelism, replica specs). */
export function podCount(object: KubeObject, template: PodTemplateRef): number {
  const spec = object.spec as Record<string, any>;
  if (object.kind === 'Pod') return 1;
  if (template.where === 'template') {
    if (object.kind === 'Job') return Number(spec.parallelism ?? 1);
    if (object.kind === 'DaemonSet') return 1;
    return Number(spec.replicas ?? 1);
  }
  if (template.where === 'jobTemplate') return Number(spec.jobTemplate?.spec?.parallelism ?? 1);
  for (const [key, value] of Object.entries(spec)) {
    if (key.endsWith('ReplicaSpecs') && isObject(value) && isObject(value[template.where])) return Number(value[template.where].replicas ?? 1);
  }
  return 1;
}
