import type { TaskProgress } from '../../shared/contract/define';
import type { ClusterSummary, CreateClusterRequest, GpuVerification, ProviderId } from '../../shared/models/clusters';

/** What create returns: the cluster, plus the GPU check's outcome and notes where there are any. */
export type CreatedCluster = ClusterSummary & { verification?: GpuVerification; notes?: string[] };

/** What start returns: anything the user should know about the restarted cluster. */
export interface StartedCluster {
  notes: string[];
}

/** Progress reporting and cancellation for long provider work. */
export interface ProviderIo {
  progress(update: TaskProgress): void;
  signal: AbortSignal;
}

/**
 * What kind, k3d and kwok have in common. Implementations wrap the real tools and never leave a
 * half-created cluster behind (unless asked to keep it).
 *
 * Errors are AppErrors: TOOL_NOT_FOUND (with how to get the tool), DOCKER_UNAVAILABLE,
 * ALREADY_EXISTS, NOT_FOUND, TOOL_FAILED (carrying the tool's last output lines), CANCELLED.
 */
export interface ClusterProvider {
  readonly id: ProviderId;
  readonly displayName: string;
  list(signal?: AbortSignal): Promise<ClusterSummary[]>;
  /**
   * Throws DOCKER_UNAVAILABLE, in the client's own words, when the container runtime this provider
   * needs does not answer. Called before the provider's CLI runs at all, so a stopped Docker is
   * reported as such rather than as the CLI's failure to list clusters. kwok needs none.
   */
  requireRuntime?(signal?: AbortSignal): Promise<void>;
  /** Creates the cluster and merges its context into `kubeconfigPath`. */
  create(request: CreateClusterRequest, kubeconfigPath: string, io: ProviderIo): Promise<CreatedCluster>;
  /** Deletes the cluster and removes its context from `kubeconfigPath`. */
  delete(name: string, kubeconfigPath: string, io: ProviderIo): Promise<void>;
  /** Starts a stopped cluster; `kubeconfigPath` holds its context, should the start move it. */
  start(name: string, kubeconfigPath: string): Promise<StartedCluster>;
  stop(name: string): Promise<void>;
  /** The cluster's own kubeconfig (YAML text). */
  kubeconfig(name: string): Promise<string>;
}
