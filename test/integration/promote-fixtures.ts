/**
 * The two simulated clusters of the promotion tests, shaped like the demo's: a "laptop" like a
 * kind cluster with GPU passthrough, and a "cloud" like a GKE cluster with an A100 node pool.
 */
import { nodeManifests } from '../../main/clusters/kwok/gpu-nodes';
import { cloudObjects, gkeGpuNodePatch, laptopObjects } from '../../main/promote/demo/demo-setup';
import type { TestCluster } from '../support/cluster-harness';

const yaml = (objects: unknown[]) => objects.map((o) => JSON.stringify(o)).join('\n---\n');

async function waitForNodes(cluster: TestCluster, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    // Ready, and the node lifecycle controller has lifted its not-ready taint (the scheduler and preflight honour it).
    const out = await cluster.kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{" "}{.spec.taints[*].key}{"\\n"}{end}']);
    if (out.split('\n').filter((l) => l.startsWith('True') && !l.includes('node.kubernetes.io/')).length >= count) return;
    if (Date.now() > deadline) throw new Error(`nodes not ready: ${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Laptop: one CPU node, one GPU node (nvidia.com/gpu.* labels), class `standard`, RuntimeClass `nvidia`; no PyTorchJob CRD. */
export async function setupLaptop(cluster: TestCluster): Promise<void> {
  await cluster.kubectl(['create', '-f', '-'], yaml(nodeManifests({ nodes: 1, gpuNodes: 1, gpusPerNode: 4, gpuProduct: 'NVIDIA-GeForce-RTX-4090', gpuMemoryMiB: 24564 }, 'v1.34.4')));
  await cluster.apply(yaml(laptopObjects().filter((o) => o.kind !== 'CustomResourceDefinition')));
  await waitForNodes(cluster, 2);
}

export const CLOUD_GPUS_PER_NODE = 4;
export const CLOUD_GPU_NODES = 2;

/**
 * Cloud: GKE-style GPU nodes (`cloud.google.com/gke-accelerator`, tainted
 * nvidia.com/gpu=present:NoSchedule, no GPU feature discovery labels), class `premium-rwo` with
 * volumes to bind, the PyTorchJob CRD, PriorityClass `ml-batch`, and namespace `ml-prod` with a
 * ResourceQuota of 8 GPUs.
 */
export async function setupCloud(cluster: TestCluster, options: { pytorchCrd?: boolean } = {}): Promise<void> {
  const nodes = nodeManifests({ nodes: 1, gpuNodes: CLOUD_GPU_NODES, gpusPerNode: CLOUD_GPUS_PER_NODE, gpuProduct: 'NVIDIA-A100-SXM4-40GB', gpuMemoryMiB: 40960 }, 'v1.34.4').map((n) => {
    if (!n.metadata.name.startsWith('gpu-')) return n;
    const patch = gkeGpuNodePatch(n.metadata.name);
    const labels = Object.fromEntries(Object.entries(n.metadata.labels).filter(([key]) => !key.startsWith('nvidia.com/gpu')));
    return { ...n, metadata: { ...n.metadata, labels: { ...labels, ...patch.metadata.labels } }, spec: patch.spec };
  });
  await cluster.kubectl(['create', '-f', '-'], yaml(nodes));
  await cluster.apply(yaml(cloudObjects({ gpus: 8, pods: 40, cpu: 64 }).filter((o) => options.pytorchCrd !== false || o.kind !== 'CustomResourceDefinition')));
  if (options.pytorchCrd !== false) await cluster.kubectl(['wait', '--for=condition=Established', 'crd/pytorchjobs.kubeflow.org', '--timeout=60s']);
  await waitForNodes(cluster, 1 + CLOUD_GPU_NODES);
}
