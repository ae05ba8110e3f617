/**
 * Pure capacity arithmetic for preflight: what the rendered workloads ask for (GPUs per pod,
 * pod counts, quota-relevant requests) and what the target's nodes can give.
 */
import type { KubeObject } from '../../shared/models/promote';
import { describeNodeAffinity, matchesNodeAffinity, requiredNodeAffinity, type NodeSelectorTerm } from './node-affinity';
import { podAmounts } from './pod-requests';
import { podCount, podTemplates, resourceCount } from './pod-templates';
import { parseQuantity } from '../../shared/k8s/quantity';

export interface GpuDemand {
  /** `Kind ns/name (role)`. */
  workload: string;
  resourceName: string;
  perPod: number;
  pods: number;
  nodeSelector: Record<string, string>;
  tolerations: Record<string, any>[];
  /** Required node affinity terms (ORed); empty when none. */
  affinity: NodeSelectorTerm[];
}

/** GPU demand of each pod template that asks for `resourceName`. */
export function gpuDemands(objects: KubeObject[], resourceName: string): GpuDemand[] {
  const demands: GpuDemand[] = [];
  for (const object of objects) {
    for (const template of podTemplates(object)) {
      const perPod = resourceCount(template.spec, resourceName);
      if (perPod <= 0) continue;
      demands.push({
        workload: `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}${template.where === 'template' || template.where === 'pod' ? '' : ` (${template.where})`}`,
        resourceName,
        perPod,
        pods: podCount(object, template),
        nodeSelector: { ...(template.spec.nodeSelector ?? {}) },
        tolerations: [...(template.spec.tolerations ?? [])],
        affinity: requiredNodeAffinity(template.spec),
      });
    }
  }
  return demands;
}

export interface NodeInfo {
  name: string;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
  unschedulable: boolean;
  /** Allocatable of the GPU resource minus what non-terminal pods there request. */
  free: number;
}

/** Whether `tolerations` let a pod onto a node with `taints` (NoSchedule/NoExecute only). */
export function tolerates(tolerations: Record<string, any>[], taints: NodeInfo['taints']): boolean {
  return taints
    .filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')
    .every((taint) =>
      tolerations.some((t) => {
        if (t.effect && t.effect !== taint.effect) return false;
        if (t.operator === 'Exists') return !t.key || t.key === taint.key;
        return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
      }),
    );
}

export function fits(demand: Pick<GpuDemand, 'nodeSelector' | 'tolerations'> & Partial<Pick<GpuDemand, 'affinity'>>, node: NodeInfo): boolean {
  return (
    !node.unschedulable &&
    Object.entries(demand.nodeSelector).every(([k, v]) => node.labels[k] === v) &&
    matchesNodeAffinity(demand.affinity ?? [], node) &&
    tolerates(demand.tolerations, node.taints)
  );
}

/** "a=b", "a=b and node affinity x In (y)", or "any node". */
function describePlacement(demand: GpuDemand): string {
  const selector = Object.entries(demand.nodeSelector).map(([k, v]) => `${k}=${v}`).join(',');
  const affinity = demand.affinity.length > 0 ? `node affinity ${describeNodeAffinity(demand.affinity)}` : '';
  return [selector, affinity].filter(Boolean).join(' and ') || 'any node';
}

export interface GpuVerdict {
  ok: boolean;
  reason: string;
}

/**
 * Greedy placement of every GPU pod on nodes it may run on (selector, taints), largest pods
 * first. Enough for a preflight verdict; the scheduler has the last word.
 */
export function placeGpuPods(demands: GpuDemand[], nodes: NodeInfo[]): GpuVerdict {
  const free = new Map(nodes.map((n) => [n.name, n.free]));
  const pods = demands.flatMap((d) => Array.from({ length: d.pods }, () => d)).sort((a, b) => b.perPod - a.perPod);
  const needed = pods.reduce((sum, p) => sum + p.perPod, 0);
  for (const pod of pods) {
    const candidates = nodes.filter((n) => fits(pod, n));
    const node = candidates.filter((n) => (free.get(n.name) ?? 0) >= pod.perPod).sort((a, b) => free.get(a.name)! - free.get(b.name)!)[0];
    if (!node) {
      const available = candidates.reduce((sum, n) => sum + (free.get(n.name) ?? 0), 0);
      const selector = describePlacement(pod);
      return {
        ok: false,
        reason:
          candidates.length === 0
            ? `${pod.workload} needs ${pod.perPod} ${pod.resourceName} per pod, but no schedulable node matches ${selector} and tolerates its taints.`
            : `${pod.workload} needs ${pod.perPod} ${pod.resourceName} per pod × ${pod.pods}; nodes matching ${selector} have ${available} free in all and none fits another pod (${needed} needed in total).`,
      };
    }
    free.set(node.name, free.get(node.name)! - pod.perPod);
  }
  const total = nodes.reduce((sum, n) => sum + n.free, 0);
  return { ok: true, reason: `${needed} ${demands[0]?.resourceName ?? 'GPU'} needed, ${total} free on ${nodes.filter((n) => n.free > 0).length} node(s).` };
}

/** Sums over the pods of the workloads: `pods`, `requests.X`, `limits.X` (also bare X as requests.X). */
export function quotaDemand(objects: KubeObject[]): Map<string, number> {
  const demand = new Map<string, number>();
  const add = (key: string, value: number) => demand.set(key, (demand.get(key) ?? 0) + value);
  for (const object of objects) {
    for (const template of podTemplates(object)) {
      const pods = podCount(object, template);
      add('pods', pods);
      for (const [resource, value] of podAmounts(template.spec, 'requests')) add(`requests.${resource}`, value * pods);
      for (const [resource, value] of podAmounts(template.spec, 'limits')) add(`limits.${resource}`, value * pods);
    }
    if (object.kind === 'PersistentVolumeClaim') {
      add('persistentvolumeclaims', 1);
      add('requests.storage', parseQuantity((object.spec as any)?.resources?.requests?.storage ?? 0));
    }
  }
  // Quotas may name cpu/memory without the "requests." prefix.
  for (const key of ['cpu', 'memory']) if (demand.has(`requests.${key}`)) demand.set(key, demand.get(`requests.${key}`)!);
  return demand;
}
