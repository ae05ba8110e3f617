import YAML from 'yaml';
import { AppError } from '../../../shared/errors';
import type { NodeGpus, PassthroughPlan } from '../../gpu/passthrough-plan';

/** The label that lets the NVIDIA device plugin DaemonSet schedule onto GPU workers. */
export const GPU_PRESENT_LABEL = 'nvidia.com/gpu.present';
/** Where the NVIDIA container runtime looks for "volume mount" device requests. */
export const DEVICE_MOUNT_DIR = '/var/run/nvidia-container-devices';

export interface KindConfigInput {
  name: string;
  /** Node image for every node (kindest/node:vX.Y.Z[@sha256:…]); kind's default when absent. */
  image?: string;
  plan: PassthroughPlan;
  ports: { host: number; container: number }[];
}

interface KindNode {
  role: 'control-plane' | 'worker';
  image?: string;
  labels?: Record<string, string>;
  extraMounts?: { hostPath: string; containerPath: string }[];
  extraPortMappings?: { containerPort: number; hostPort: number; listenAddress: string; protocol: 'TCP' }[];
}

/** The node image for a Kubernetes version: `v1.34.0` → `kindest/node:v1.34.0`. */
export function kindNodeImage(kubernetesVersion: string): string {
  const match = /^v?(\d+\.\d+\.\d+)$/.exec(kubernetesVersion);
  if (!match) {
    throw new AppError('INVALID_ARGUMENT', `kind node images are tagged with a full version; "${kubernetesVersion}" lacks the patch number.`, {
      fix: 'Give the full version, e.g. v1.34.0 (see https://github.com/kubernetes-sigs/kind/releases for the images of your kind).',
    });
  }
  return `kindest/node:v${match[1]}`;
}

function gpuMounts(gpus: NodeGpus): KindNode['extraMounts'] {
  const devices = gpus === 'all' ? ['all'] : gpus.map(String);
  // The NVIDIA runtime (accept-nvidia-visible-devices-as-volume-mounts) reads a mount of
  // /dev/null at DEVICE_MOUNT_DIR/<index> as "give this container GPU <index>".
  return devices.map((d) => ({ hostPath: '/dev/null', containerPath: `${DEVICE_MOUNT_DIR}/${d}` }));
}

/** The kind `Cluster` config (v1alpha4) for a request and its GPU plan. */
export function buildKindConfig(input: KindConfigInput): Record<string, unknown> {
  const controlPlane: KindNode = { role: 'control-plane' };
  if (input.image) controlPlane.image = input.image;
  if (input.ports.length) {
    // Ingress controllers for kind select the node labelled ingress-ready.
    if (input.ports.some((p) => p.container === 80 || p.container === 443)) controlPlane.labels = { 'ingress-ready': 'true' };
    // Loopback only: a port of a laptop cluster is not published to the network it is on.
    controlPlane.extraPortMappings = input.ports.map((p) => ({ containerPort: p.container, hostPort: p.host, listenAddress: '127.0.0.1', protocol: 'TCP' }));
  }
  const workers = input.plan.workers.map((gpus): KindNode => {
    const node: KindNode = { role: 'worker' };
    if (input.image) node.image = input.image;
    const hasGpus = gpus === 'all' || gpus.length > 0;
    if (hasGpus) {
      node.labels = { [GPU_PRESENT_LABEL]: 'true' };
      node.extraMounts = gpuMounts(gpus);
    }
    return node;
  });
  return { kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: input.name, nodes: [controlPlane, ...workers] };
}

/** The config as kind reads it from `--config -`. Stable output: golden-tested. */
export function renderKindConfig(input: KindConfigInput): string {
  return YAML.stringify(buildKindConfig(input), { lineWidth: 0 });
}

/** Node container names as kind names them: NAME-control-plane, NAME-worker, NAME-worker2, … */
export function kindNodeNames(name: string, workers: number): { controlPlane: string; workers: string[] } {
  return {
    controlPlane: `${name}-control-plane`,
    workers: Array.from({ length: workers }, (_, i) => `${name}-worker${i === 0 ? '' : i + 1}`),
  };
}
