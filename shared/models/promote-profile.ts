import { z } from 'zod';

/**
 * A promotion profile: everything that changes when a workload moves from the laptop cluster to
 * one target (a GKE, EKS, AKS or on-prem cluster). Kept in settings and as shareable YAML files;
 * both are validated by {@link promotionProfileSchema}.
 */

const dnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lowercase letters, digits and "-", starting and ending with a letter or digit');

/** A DNS-1123 subdomain: what Kubernetes accepts as a Secret's (or most objects') name. */
export const dnsSubdomain = z
  .string()
  .min(1)
  .max(253)
  // Every dot-separated label starts and ends with a letter or digit, as Kubernetes checks it.
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'a Kubernetes object name (lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit)');

const quantity = z.union([z.string().regex(/^[0-9.]+([eE][-+]?[0-9]+|[numkKMGTPE]i?)?$/, 'a Kubernetes quantity such as 500m, 2, 16Gi'), z.number().nonnegative()]);

export const tolerationSchema = z
  .object({
    key: z.string().optional(),
    operator: z.enum(['Exists', 'Equal']).optional(),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
    tolerationSeconds: z.number().int().optional(),
  })
  .strict();
export type Toleration = z.infer<typeof tolerationSchema>;

export const imageRewriteSchema = z
  .object({
    /** A registry or repository prefix as written in the bundle, e.g. `localhost:5001/` or `ml/`. Empty matches every image. */
    from: z.string(),
    /** What replaces the prefix, e.g. `us-docker.pkg.dev/acme/ml/`. */
    to: z.string().min(1),
  })
  .strict();

export const resourceOverrideSchema = z
  .object({
    /** Workload name (Deployment, Job, PyTorchJob, …) or `*` for every workload. */
    workload: z.string().min(1).default('*'),
    /** Container name or `*` for every container. */
    container: z.string().min(1).default('*'),
    requests: z.record(z.string(), quantity).optional(),
    limits: z.record(z.string(), quantity).optional(),
  })
  .strict();

export const hpaOverrideSchema = z
  .object({
    minReplicas: z.number().int().min(1).optional(),
    maxReplicas: z.number().int().min(1).optional(),
  })
  .strict();

export const gpuMappingSchema = z
  .object({
    /** The GPU resource the bundle requests. */
    sourceResourceName: z.string().min(1).default('nvidia.com/gpu'),
    /** The GPU resource of the target (e.g. `nvidia.com/gpu`, `nvidia.com/mig-1g.10gb`). Unset keeps the source name. */
    resourceName: z.string().min(1).optional(),
    /** Node-selector keys of the laptop cluster to remove from GPU pods. */
    dropNodeSelectorKeys: z.array(z.string().min(1)).default(['nvidia.com/gpu.present', 'nvidia.com/gpu.product', 'nvidia.com/gpu.count']),
    /** Node-selector labels added to GPU pods, e.g. `cloud.google.com/gke-accelerator: nvidia-tesla-a100`. */
    nodeSelector: z.record(z.string(), z.string()).default({}),
    /** Tolerations added to GPU pods (the target taints its GPU nodes). */
    tolerations: z.array(tolerationSchema).default([]),
  })
  .strict();

export const promotionProfileSchema = z
  .object({
    /** The profile's name (a DNS label): how settings, the CLI and history refer to it. */
    name: dnsLabel,
    description: z.string().max(500).optional(),
    /** The kubeconfig context this profile is meant for (informational; `--to` wins). */
    targetContext: z.string().optional(),
    /** Every namespaced object lands here; unset keeps the bundle's namespaces. */
    namespace: dnsLabel.optional(),
    /** Add the target Namespace to the rendered objects when the bundle has none. */
    createNamespace: z.boolean().default(true),
    images: z
      .object({
        rewrites: z.array(imageRewriteSchema).default([]),
        /** Known digests, keyed by the rewritten image reference (without digest): pinned as `image@sha256:…`. */
        digests: z.record(z.string(), z.string().regex(/^sha256:[a-f0-9]{64}$/, 'a digest like sha256:<64 hex>')).default({}),
      })
      .strict()
      .prefault({}),
    /** Storage class map, source → target (PVCs and StatefulSet volumeClaimTemplates). `*` maps every class, including an unset one. */
    storageClasses: z.record(z.string(), z.string().min(1)).default({}),
    /** RuntimeClass map, source → target; `null` drops the field (e.g. `nvidia: null` on GKE, whose nodes need none). */
    runtimeClasses: z.record(z.string(), z.string().min(1).nullable()).default({}),
    gpu: gpuMappingSchema.prefault({}),
    /** Replica overrides by workload name (`*` for all). Not applied to workloads an HPA scales. */
    replicas: z.record(z.string(), z.number().int().min(0)).default({}),
    /** HPA min/max overrides by HPA name (`*` for all). */
    hpa: z.record(z.string(), hpaOverrideSchema).default({}),
    resources: z.array(resourceOverrideSchema).default([]),
    /** Added to every object's metadata. */
    labels: z.record(z.string(), z.string()).default({}),
    annotations: z.record(z.string(), z.string()).default({}),
    /** Kueue LocalQueue: sets `kueue.x-k8s.io/queue-name` on Jobs and training jobs. */
    kueueQueue: z.string().min(1).optional(),
    /** PriorityClass of every pod template. */
    priorityClassName: z.string().min(1).optional(),
    /**
     * Secrets of the bundle by name (`*` for every one): `null` leaves it out of the promotion,
     * a name maps it to a Secret that already exists in the target — the bundle's copy is left
     * out and pod templates refer to the target's. Unmapped Secrets are promoted as they are
     * (preflight warns: a laptop token should not go to production).
     */
    secrets: z.record(z.string(), dnsSubdomain.nullable()).default({}),
  })
  .strict();

export type PromotionProfile = z.infer<typeof promotionProfileSchema>;
export type PromotionProfileInput = z.input<typeof promotionProfileSchema>;

/** The profile used when none is given: nothing changes but the namespace defaults. */
export function emptyProfile(name = 'default'): PromotionProfile {
  return promotionProfileSchema.parse({ name });
}
