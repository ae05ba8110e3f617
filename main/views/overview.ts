import { type KubeObject, uidOf } from '../../shared/k8s/kube-object';
import type { NodeRow, OverviewSummary } from '../../shared/models/views';
import { asRecord, byName, conditionsOf, isGpuResource, podIsFinished, podRequests, str } from './common';
import { quantityOrZero } from '../../shared/k8s/quantity';

/** Labels that name a node's GPU model: GPU feature discovery, then the clouds. */
const PRODUCT_LABELS = ['nvidia.com/gpu.product', 'cloud.google.com/gke-accelerator', 'k8s.amazonaws.com/accelerator', 'node.kubernetes.io/instance-gpu-type', 'amd.com/gpu.product-name'];

function gpuOf(resources: Record<string, unknown>): { count: number; resource?: string } {
  let count = 0;
  let resource: string | undefined;
  for (const [name, value] of Object.entries(resources)) {
    if (!isGpuResource(name)) continue;
    const n = quantityOrZero(value);
    if (n > 0 && !resource) resource = name;
    count += n;
  }
  return { count, resource };
}

const PRESSURE = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']);

/** One row per node: readiness, conditions, GPU capacity/allocatable/requested, CPU and memory. */
export function nodeRows(nodes: KubeObject[], pods: KubeObject[]): NodeRow[] {
  const requested = new Map<string, { gpu: number; cpu: number; memory: number; pods: number }>();
  for (const pod of pods) {
    const nodeName = str(asRecord(pod.spec).nodeName);
    if (!nodeName || podIsFinished(pod)) continue;
    const r = podRequests(pod.spec);
    const acc = requested.get(nodeName) ?? { gpu: 0, cpu: 0, memory: 0, pods: 0 };
    for (const [k, v] of r) if (isGpuResource(k)) acc.gpu += v;
    acc.cpu += r.get('cpu') ?? 0;
    acc.memory += r.get('memory') ?? 0;
    acc.pods++;
    requested.set(nodeName, acc);
  }
  return nodes
    .map((node): NodeRow => {
      const status = asRecord(node.status);
      const capacity = asRecord(status.capacity);
      const allocatable = asRecord(status.allocatable);
      const labels = node.metadata.labels ?? {};
      const conditions = conditionsOf(node);
      const ready = conditions.find((c) => c.type === 'Ready');
      const problems = conditions
        .filter((c) => (c.type === 'Ready' ? c.status !== 'True' : PRESSURE.has(c.type) && c.status === 'True'))
        .map((c) => `${c.type}${c.type === 'Ready' ? `=${c.status}` : ''}${c.reason ? ` (${c.reason})` : ''}`);
      if (!ready) problems.push('Ready condition missing');
      const used = requested.get(node.metadata.name) ?? { gpu: 0, cpu: 0, memory: 0, pods: 0 };
      const gpuCap = gpuOf(capacity);
      const product = PRODUCT_LABELS.map((l) => labels[l]).find(Boolean);
      const memoryMiB = Number(labels['nvidia.com/gpu.memory']);
      return {
        key: uidOf(node),
        section: 'node',
        name: node.metadata.name,
        ready: ready?.status === 'True',
        unschedulable: asRecord(node.spec).unschedulable === true,
        roles: Object.keys(labels)
          .filter((l) => l.startsWith('node-role.kubernetes.io/'))
          .map((l) => l.slice('node-role.kubernetes.io/'.length) || 'node'),
        kubeletVersion: str(asRecord(status.nodeInfo).kubeletVersion),
        conditions,
        problems,
        gpu: {
          capacity: gpuCap.count,
          allocatable: gpuOf(allocatable).count,
          requested: used.gpu,
          ...(gpuCap.resource ? { resource: gpuCap.resource } : {}),
          ...(product ? { product } : {}),
          ...(Number.isFinite(memoryMiB) && memoryMiB > 0 ? { memoryMiB } : {}),
        },
        cpu: { allocatable: quantityOrZero(allocatable.cpu), requested: used.cpu },
        memory: { allocatable: quantityOrZero(allocatable.memory), requested: used.memory },
        pods: used.pods,
      };
    })
    .sort(byName);
}

export function overviewSummary(rows: NodeRow[], pods: KubeObject[]): OverviewSummary {
  const products = [...new Set(rows.map((r) => r.gpu.product).filter((p): p is string => !!p))].sort();
  const podCounts = { total: pods.length, running: 0, pending: 0, failed: 0 };
  for (const pod of pods) {
    const phase = asRecord(pod.status).phase;
    if (phase === 'Running') podCounts.running++;
    else if (phase === 'Pending') podCounts.pending++;
    else if (phase === 'Failed') podCounts.failed++;
  }
  return {
    nodes: rows.length,
    readyNodes: rows.filter((r) => r.ready).length,
    gpu: {
      capacity: rows.reduce((s, r) => s + r.gpu.capacity, 0),
      allocatable: rows.reduce((s, r) => s + r.gpu.allocatable, 0),
      requested: rows.reduce((s, r) => s + r.gpu.requested, 0),
      products,
      gpuNodes: rows.filter((r) => r.gpu.capacity > 0).length,
    },
    cpu: { allocatable: rows.reduce((s, r) => s + r.cpu.allocatable, 0), requested: rows.reduce((s, r) => s + r.cpu.requested, 0) },
    memory: { allocatable: rows.reduce((s, r) => s + r.memory.allocatable, 0), requested: rows.reduce((s, r) => s + r.memory.requested, 0) },
    pods: podCounts,
  };
}
