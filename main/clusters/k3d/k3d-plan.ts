import k8sVersions from '../../../scripts/k8s-versions.json';
import { AppError } from '../../../shared/errors';
import type { CreateClusterRequest } from '../../../shared/models/clusters';
import { GPU_PRESENT_LABEL } from '../kind/kind-config';

/**
 * The k3s release the CUDA node image is built on when the request names no version: the one the
 * pinned k3d release defaults to (scripts/k8s-versions.json "k3dK3s").
 */
export const DEFAULT_K3S_TAG = k8sVersions.k3dK3s;
export const CUDA_IMAGE_REPO = 'slipway/k3s-cuda';

/** Said in the UI and the CLI whenever a k3d cluster gets GPUs. */
export const K3D_GPU_NOTE = 'k3d gives every node all requested GPUs (Docker --gpus on each node container); it cannot split GPUs between nodes. Use kind for one GPU per worker.';

/** `all` or a positive count; `none` is no GPUs. */
export function parseK3dGpus(gpus: string): 'none' | 'all' | number {
  if (gpus === 'none' || gpus === 'all') return gpus;
  if (/^[1-9]\d*$/.test(gpus)) return Number(gpus);
  throw new AppError('INVALID_ARGUMENT', `k3d takes --gpus all, none or a count, not "${gpus}".`, {
    fix: `k3d cannot assign GPUs per node; use --gpus all or --gpus N (or the kind provider for "${gpus}").`,
  });
}

/** `v1.31.5` → `v1.31.5-k3s1`; a full k3s tag is kept. */
export function k3sTag(kubernetesVersion: string | undefined): string {
  if (!kubernetesVersion) return DEFAULT_K3S_TAG;
  if (/-k3s\d+$/.test(kubernetesVersion)) return kubernetesVersion;
  const match = /^v?(\d+\.\d+\.\d+)$/.exec(kubernetesVersion);
  if (!match) throw new AppError('INVALID_ARGUMENT', `k3s images are tagged with a full version; "${kubernetesVersion}" lacks the patch number.`, { fix: 'Give the full version, e.g. v1.31.5.' });
  return `v${match[1]}-k3s1`;
}

export interface K3dCreatePlan {
  args: string[];
  image?: string;
  /** The CUDA image to build from resources/k3d-cuda when it is missing locally. */
  buildCudaImage?: { tag: string; k3sTag: string };
  gpus: 'none' | 'all' | number;
}

/** `k3d cluster create` arguments for a request (no tool is run). */
export function planK3dCluster(request: CreateClusterRequest): K3dCreatePlan {
  const gpus = parseK3dGpus(request.gpus);
  const tag = k3sTag(request.kubernetesVersion);
  let image = request.image;
  let buildCudaImage: K3dCreatePlan['buildCudaImage'];
  if (!image && gpus !== 'none') {
    image = `${CUDA_IMAGE_REPO}:${tag}`;
    buildCudaImage = { tag: image, k3sTag: tag };
  } else if (!image && request.kubernetesVersion) image = `rancher/k3s:${tag}`;
  const args = ['cluster', 'create', request.name, '--agents', String(request.nodes)];
  if (image) args.push('--image', image);
  if (gpus !== 'none') args.push('--gpus', String(gpus), '--k3s-node-label', `${GPU_PRESENT_LABEL}=true@server:*;agent:*`);
  for (const p of request.ports) args.push('--port', `${p.host}:${p.container}@loadbalancer`);
  // Slipway merges the context itself, into the file it reports.
  args.push('--kubeconfig-update-default=false', '--kubeconfig-switch-context=false', '--wait', '--timeout', '300s');
  return { args, image, buildCudaImage, gpus };
}
