/**
 * Pure capacity arithmetic for preflight: what the rendered workloads ask for (GPUs per pod,
 * pod counts, quota-relevant requests) and what the target's nodes can give.
 */
import type { KubeObject } from '../../shared/k8s/kube-object';
import { describeNodeAffinity, matchesNodeAffinity, requiredNodeAffinity, type NodeSelectorTerm } from './node-affinity';
import { podAmounts } from './pod-requests';
import { podCount, podTemplates, resourceCount } from './pod-templates';
import { formatQuantity, parseQuantity } from '../../shared/k8s/quantity';

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
  /** Condition Ready is True: a NotReady node gives no capacity. */
  ready: boolean;
  /**
   * Allocatable of the GPU resource minus what the node's non-terminal pods request, not
   * counting the pods this promotion replaces (it takes their place): free, net.
   */
  free: number;
  /** What the replaced pods on this node hold now (already counted in `free`). */
  released: number;
}

/**
 * The GPU view of the target's nodes. `pods` are its non-terminal pods; those whose uid is in
 * `replaced` belong to objects the promotion replaces, so what they hold counts as free.
 */
export function nodeInfos(nodes: Record<string, any>[], pods: Record<string, any>[], resourceName: string, replaced: ReadonlySet<string> = new Set()): NodeInfo[] {
  const used = new Map<string, number>();
  const released = new Map<string, number>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node) continue;
    const amount = podAmounts(pod.spec ?? {}, 'requests').get(resourceName) ?? 0;
    const into = replaced.has(pod.metadata?.uid) ? released : used;
    into.set(node, (into.get(node) ?? 0) + amount);
  }
  return nodes.map((n) => ({
    name: n.metadata.name,
    labels: n.metadata.labels ?? {},
    taints: n.spec?.taints ?? [],
    unschedulable: Boolean(n.spec?.unschedulable),
    ready: (n.status?.conditions ?? []).some((c: Record<string, any>) => c.type === 'Ready' && c.status === 'True'),
    free: Math.max(0, (parseQuantity(n.status?.allocatable?.[resourceName] ?? 0) || 0) - (used.get(n.metadata.name) ?? 0)),
    released: released.get(n.metadata.name) ?? 0,
  }));
}

/** The taints (NoSchedule/NoExecute) that `tolerations` do not tolerate. */
export function untolerated(tolerations: Record<string, any>[], taints: NodeInfo['taints']): NodeInfo['taints'] {
  return taints.filter(
    (taint) =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !tolerations.some((t) => {
        if (t.effect && t.effect !== taint.effect) return false;
        if (t.operator === 'Exists') return !t.key || t.key === taint.key;
        return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
      }),
  );
}

/** Whether `tolerations` let a pod onto a node with `taints` (NoSchedule/NoExecute only). */
export function tolerates(tolerations: Record<string, any>[], taints: NodeInfo['taints']): boolean {
  return untolerated(tolerations, taints).length === 0;
}

type Placement = Pick<GpuDemand, 'nodeSelector' | 'tolerations'> & Partial<Pick<GpuDemand, 'affinity'>>;

function matchesPlacement(demand: Placement, node: NodeInfo): boolean {
  return Object.entries(demand.nodeSelector).every(([k, v]) => node.labels[k] === v) && matchesNodeAffinity(demand.affinity ?? [], node);
}

/** Whether a pod may be scheduled on the node: Ready, not cordoned, selector, affinity, taints. */
export function fits(demand: Placement, node: NodeInfo): boolean {
  return node.ready && !node.unschedulable && matchesPlacement(demand, node) && tolerates(demand.tolerations, node.taints);
}

/** "a=b", "a=b and node affinity x In (y)", or "" when the pod names no placement. */
function describePlacement(demand: Placement): string {
  const selector = Object.entries(demand.nodeSelector).map(([k, v]) => `${k}=${v}`).join(',');
  const affinity = demand.affinity?.length ? `node affinity ${describeNodeAffinity(demand.affinity)}` : '';
  return [selector, affinity].filter(Boolean).join(' and ');
}

const formatTaint = (t: NodeInfo['taints'][number]) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

function nameList(nodes: NodeInfo[]): string {
  const names = nodes.map((n) => n.name);
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}

/** Why no node can take a pod of `demand`, in the words of the first obstacle that applies. */
export function whyNoNode(demand: Placement, nodes: NodeInfo[]): string {
  if (nodes.length === 0) return 'the target has no nodes';
  const placement = describePlacement(demand);
  const matching = nodes.filter((n) => matchesPlacement(demand, n));
  if (matching.length === 0) return `no node matches ${placement}`;
  const ready = matching.filter((n) => n.ready);
  if (ready.length === 0) {
    if (!nodes.some((n) => n.ready)) return `no node is Ready yet (${nameList(nodes)})`;
    return `${matching.length === 1 ? `node ${matching[0]!.name} is` : `nodes ${nameList(matching)} are`} not Ready yet`;
  }
  const open = ready.filter((n) => !n.unschedulable);
  if (open.length === 0) return `${ready.length === 1 ? `node ${ready[0]!.name} is` : `nodes ${nameList(ready)} are`} cordoned (unschedulable)`;
  return `${open.map((n) => `node ${n.name} is tainted ${untolerated(demand.tolerations, n.taints).map(formatTaint).join(', ')}`).join('; ')} and the pods do not tolerate it`;
}

export interface GpuVerdict {
  ok: boolean;
  reason: string;
}

const heldNote = (released: number) => (released > 0 ? `, counting the ${released} that the pods this promotion replaces hold now` : '');

/**
 * Greedy placement of every GPU pod on the nodes it may run on (Ready, selector, affinity,
 * taints), largest pods first, on free capacity net of the replaced pods. Enough for a
 * preflight verdict; the scheduler has the last word.
 */
export function placeGpuPods(demands: GpuDemand[], nodes: NodeInfo[]): GpuVerdict {
  const free = new Map(nodes.map((n) => [n.name, n.free]));
  const pods = demands.flatMap((d) => Array.from({ length: d.pods }, () => d)).sort((a, b) => b.perPod - a.perPod);
  const needed = pods.reduce((sum, p) => sum + p.perPod, 0);
  const unplaced = new Map<GpuDemand, number>();
  for (const pod of pods) {
    const node = nodes.filter((n) => fits(pod, n) && (free.get(n.name) ?? 0) >= pod.perPod).sort((a, b) => free.get(a.name)! - free.get(b.name)!)[0];
    if (!node) {
      unplaced.set(pod, (unplaced.get(pod) ?? 0) + 1);
      continue;
    }
    free.set(node.name, free.get(node.name)! - pod.perPod);
  }
  const resource = demands[0]?.resourceName ?? 'GPU';
  const [failed] = [...unplaced];
  if (failed) {
    const [demand, missing] = failed;
    const candidates = nodes.filter((n) => fits(demand, n));
    if (candidates.length === 0) return { ok: false, reason: `${demand.workload} needs ${demand.perPod} ${resource} per pod, but ${whyNoNode(demand, nodes)}.` };
    const placement = describePlacement(demand);
    const freeThere = candidates.reduce((sum, n) => sum + n.free, 0);
    const released = candidates.reduce((sum, n) => sum + n.released, 0);
    return {
      ok: false,
      reason: `${demand.workload} needs ${demand.perPod} ${resource} per pod × ${demand.pods}; ${placement ? `nodes matching ${placement}` : 'the nodes it may run on'} have ${freeThere} free${heldNote(released)}, and ${missing} pod(s) would not fit (${needed} needed in total).`,
    };
  }
  const usable = nodes.filter((n) => n.ready && !n.unschedulable);
  const total = usable.reduce((sum, n) => sum + n.free, 0);
  const released = usable.reduce((sum, n) => sum + n.released, 0);
  return { ok: true, reason: `${needed} ${resource} needed, ${total} free on ${usable.filter((n) => n.free > 0).length} node(s)${heldNote(released)}.` };
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

export interface QuotaVerdict {
  status: 'ok' | 'warn' | 'fail';
  reason: string;
}

/**
 * One ResourceQuota against a promotion. `demand` is what the rendered objects ask for;
 * `released` what the live objects they replace use now (part of `used`, and given back when
 * they are replaced); `surge` what rolling updates add for a while on top. Over the quota or
 * over the headroom left net of `released` fails (the API would refuse the pods); room for
 * the demand but not for the surge warns.
 */
export function quotaVerdict(hard: Record<string, string>, used: Record<string, string>, demand: ReadonlyMap<string, number>, released: ReadonlyMap<string, number> = new Map(), surge: ReadonlyMap<string, number> = new Map()): QuotaVerdict {
  const over: string[] = [];
  const tight: string[] = [];
  const limited: string[] = [];
  for (const [key, limit] of Object.entries(hard)) {
    const need = demand.get(key);
    if (!need) continue;
    limited.push(key);
    const max = parseQuantity(limit);
    const giveBack = released.get(key) ?? 0;
    const headroom = max - Math.max(0, (parseQuantity(used[key] ?? 0) || 0) - giveBack);
    const net = giveBack > 0 ? ` (net: the ${formatQuantity(key, giveBack)} that the replaced objects use count as free)` : '';
    const extra = surge.get(key) ?? 0;
    if (need > max) over.push(`${key}: needs ${formatQuantity(key, need)}, quota allows ${formatQuantity(key, max)}`);
    else if (need > headroom) over.push(`${key}: needs ${formatQuantity(key, need)}, ${formatQuantity(key, Math.max(0, headroom))} left of ${formatQuantity(key, max)}${net}`);
    else if (need + extra > headroom) tight.push(`${key}: a rolling update needs ${formatQuantity(key, extra)} more for its surge pods, ${formatQuantity(key, Math.max(0, headroom - need))} is left`);
  }
  if (over.length) return { status: 'fail', reason: `Exceeds the quota: ${over.join('; ')}.` };
  if (tight.length) return { status: 'warn', reason: `Room for the promotion, not for the rollout's surge pods: ${tight.join('; ')}. A surge pod is refused until an old pod stops (maxUnavailable 0 waits for good); strategy Recreate or maxSurge 0 avoids it.` };
  return { status: 'ok', reason: `Within the quota (${limited.join(', ') || 'nothing the bundle asks for is limited'}).` };
}
