import type { CreateClusterRequest } from '../../../shared/models/clusters';

/** The labels GPU feature discovery puts on a node; Slipway's views and promotion read them. */
export const GPU_LABELS = {
  present: 'nvidia.com/gpu.present',
  product: 'nvidia.com/gpu.product',
  count: 'nvidia.com/gpu.count',
  memory: 'nvidia.com/gpu.memory',
} as const;

/** The extended resource the NVIDIA device plugin advertises. */
export const GPU_RESOURCE = 'nvidia.com/gpu';

/** Marks the nodes Slipway created, so listing can count them and nothing else is touched. */
export const SIMULATED_NODE_LABEL = 'slipway.dev/simulated-node';

/** A Node object as sent to the API server (only the fields we set). */
export interface NodeManifest {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: Record<string, never>;
  status: {
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    nodeInfo: Record<string, string>;
  };
}

export type NodeShape = Pick<CreateClusterRequest, 'nodes' | 'gpuNodes' | 'gpusPerNode' | 'gpuProduct' | 'gpuMemoryMiB'>;

/**
 * CPU and memory that make a GPU node look like the machines these GPUs ship in: roughly 12
 * cores and 128 GiB per GPU (an 8-GPU H100 box has ~100 cores and 1–2 TiB), never less than a
 * small workstation.
 */
export function gpuNodeSize(gpus: number): { cpu: string; memory: string } {
  return { cpu: String(Math.max(8, gpus * 12)), memory: `${Math.max(64, gpus * 128)}Gi` };
}

const CPU_NODE = { cpu: '8', memory: '32Gi' };

function node(name: string, kind: 'cpu' | 'gpu', resources: Record<string, string>, labels: Record<string, string>, kubernetesVersion: string): NodeManifest {
  const amounts = { ...resources, pods: '110', 'ephemeral-storage': '500Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': kind === 'gpu' ? `simulated-gpu-${resources[GPU_RESOURCE]}` : 'simulated-cpu',
        type: 'kwok',
        [SIMULATED_NODE_LABEL]: kind,
        ...labels,
      },
      annotations: {
        // kwok-controller manages every node in a kwokctl cluster; the annotation keeps it so
        // when a cluster runs kwok with --manage-nodes-with-annotation-selector.
        'kwok.x-k8s.io/node': 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
        // metrics-server asks each node for /metrics/resource; kwok serves a node's simulated
        // kubelet metrics under this path instead.
        'metrics.k8s.io/resource-metrics-path': `/metrics/nodes/${name}/metrics/resource`,
      },
    },
    spec: {},
    status: {
      capacity: amounts,
      allocatable: { ...amounts },
      nodeInfo: { kubeletVersion: kubernetesVersion, kubeProxyVersion: kubernetesVersion, operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'kwok' },
    },
  };
}

/**
 * The nodes of a simulated cluster: `nodes` CPU-only nodes (`node-0`, …) and `gpuNodes` GPU
 * nodes (`gpu-node-0`, …) that look like a node after the NVIDIA device plugin and GPU feature
 * discovery ran: `nvidia.com/gpu` in capacity and allocatable, and the `nvidia.com/gpu.*`
 * labels. The real scheduler then places GPU pods only where GPUs are free.
 */
export function nodeManifests(shape: NodeShape, kubernetesVersion: string): NodeManifest[] {
  const nodes: NodeManifest[] = [];
  for (let i = 0; i < shape.nodes; i++) nodes.push(node(`node-${i}`, 'cpu', { ...CPU_NODE }, {}, kubernetesVersion));
  for (let i = 0; i < shape.gpuNodes; i++) {
    nodes.push(
      node(
        `gpu-node-${i}`,
        'gpu',
        { ...gpuNodeSize(shape.gpusPerNode), [GPU_RESOURCE]: String(shape.gpusPerNode) },
        {
          [GPU_LABELS.present]: 'true',
          [GPU_LABELS.product]: shape.gpuProduct,
          [GPU_LABELS.count]: String(shape.gpusPerNode),
          [GPU_LABELS.memory]: String(shape.gpuMemoryMiB),
        },
        kubernetesVersion,
      ),
    );
  }
  return nodes;
}
