import { z } from 'zod';
import { labelValueProblem } from '../k8s/labels';

export const PROVIDER_IDS = ['kind', 'k3d', 'kwok'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** A cluster name: a DNS-1123 label short enough for container and context names. */
export const clusterNameSchema = z
  .string()
  .min(1, 'a cluster needs a name')
  .max(32, 'at most 32 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lowercase letters, digits and "-", starting and ending with a letter or digit');

/** One local cluster as the cluster list shows it. */
export interface ClusterSummary {
  name: string;
  provider: ProviderId;
  /** kubeconfig context: `kind-NAME`, `k3d-NAME`, `kwok-NAME`. */
  contextName: string;
  status: 'running' | 'stopped' | 'unknown';
  /** True for kwok clusters: nodes and pods are simulated. */
  simulated: boolean;
  nodes?: number;
  gpuNodes?: number;
  gpus?: number;
  kubernetesVersion?: string;
  /** Anything the user should know (e.g. "k3d gives every node all GPUs"). */
  detail?: string;
}

/** GPU assignment for kind: `all`, `none`, `split` (one worker per GPU) or groups like `0,1/2`. */
export const kindGpuAssignmentSchema = z
  .string()
  .regex(/^(all|none|split|\d+(,\d+)*(\/\d+(,\d+)*)*)$/, 'use all, none, split, or GPU index groups like 0,1/2');

export const createClusterRequestSchema = z
  .object({
    provider: z.enum(PROVIDER_IDS),
    name: clusterNameSchema,
    /** kind/k3d: Kubernetes version of the node image, e.g. v1.34.0. */
    kubernetesVersion: z.string().regex(/^v?\d+\.\d+(\.\d+)?$/).optional(),
    /** kind/k3d: node or k3s image; overrides kubernetesVersion. */
    image: z.string().min(1).max(512).optional(),
    /** kind/k3d: workers (agents); kwok: CPU-only nodes. */
    nodes: z.number().int().min(0).max(1000).default(1),
    /** kwok: simulated GPU nodes. */
    gpuNodes: z.number().int().min(0).max(1000).default(0),
    /** kwok: GPUs per GPU node. */
    gpusPerNode: z.number().int().min(1).max(64).default(8),
    /** kwok: `nvidia.com/gpu.product` of the simulated GPUs. */
    gpuProduct: z
      .string()
      .min(1)
      .superRefine((value, ctx) => {
        // It becomes the nvidia.com/gpu.product label of simulated nodes: checked before anything is created.
        const problem = labelValueProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: `GPU product "${value}" cannot be a node label value: ${problem} (e.g. NVIDIA-H100-80GB-HBM3)` });
      })
      .default('NVIDIA-H100-80GB-HBM3'),
    /** kwok: `nvidia.com/gpu.memory` in MiB. */
    gpuMemoryMiB: z.number().int().min(1).max(1_048_576).default(81_559),
    /** kind: assignment string; k3d: `all`, `none` or a count. */
    gpus: z.string().max(128).default('none'),
    /** Time-slicing: N pods share each GPU (NVIDIA device plugin). 1 = no sharing. */
    gpuSharing: z.number().int().min(1).max(64).default(1),
    /** Host → container port mappings (kind/k3d), e.g. 80/443 for ingress. */
    ports: z.array(z.object({ host: z.number().int().min(1).max(65535), container: z.number().int().min(1).max(65535) })).max(32).default([]),
    addons: z
      .object({
        metricsServer: z.boolean().default(true),
        devicePlugin: z.boolean().default(true),
        verifyGpu: z.boolean().default(false),
      })
      .prefault({}),
    /** Keep a half-created cluster for debugging instead of cleaning up. */
    keepOnFailure: z.boolean().default(false),
  })
  .strict();

export type CreateClusterRequest = z.infer<typeof createClusterRequestSchema>;
export type CreateClusterInput = z.input<typeof createClusterRequestSchema>;

/** Outcome of the GPU verification Job (a CUDA pod running nvidia-smi with one GPU). */
export interface GpuVerification {
  ok: boolean;
  message: string;
  /** The pod's log (nvidia-smi's table when it worked). */
  log: string;
}

export interface CreateClusterResult {
  cluster: ClusterSummary;
  contextName: string;
  /** The kubeconfig file the context was merged into. */
  kubeconfigPath: string;
  /** Present when the verifyGpu add-on ran. */
  verification?: GpuVerification;
  /** Things the user should know (workers added for GPU groups, k3d GPU sharing, …). */
  notes?: string[];
}

export interface ClusterListResult {
  clusters: ClusterSummary[];
  /** Providers that could not list (tool missing, daemon down); the others still list. */
  problems: { provider: ProviderId; code: string; message: string; fix?: string }[];
}
