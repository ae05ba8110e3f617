import { AppError, toAppError } from '../../shared/errors';
import type { ClusterListResult, CreateClusterRequest, CreateClusterResult, ProviderId } from '../../shared/models/clusters';
import { createClusterRequestSchema } from '../../shared/models/clusters';
import { primaryKubeconfigPath } from '../kube/kubeconfig-files';
import type { ClusterProvider, ProviderIo, StartedCluster } from './provider';

/**
 * Local clusters across providers. Listing never fails as a whole: a provider whose tool is
 * missing is reported as a problem and the others still list. Names are unique across providers
 * so contexts never collide.
 */
export class ClusterService {
  private readonly providers: Map<ProviderId, ClusterProvider>;

  constructor(
    providers: ClusterProvider[],
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.providers = new Map(providers.map((p) => [p.id, p]));
  }

  provider(id: ProviderId): ClusterProvider {
    const provider = this.providers.get(id);
    if (!provider) throw new AppError('INVALID_ARGUMENT', `Unknown cluster provider "${id}".`, { fix: `Use one of: ${[...this.providers.keys()].join(', ')}.` });
    return provider;
  }

  /** The kubeconfig file new contexts are merged into (first KUBECONFIG entry or ~/.kube/config). */
  kubeconfigPath(): string {
    return primaryKubeconfigPath(this.env);
  }

  async list(signal?: AbortSignal): Promise<ClusterListResult> {
    const result: ClusterListResult = { clusters: [], problems: [] };
    await Promise.all(
      [...this.providers.values()].map(async (provider) => {
        try {
          result.clusters.push(...(await provider.list(signal)));
        } catch (error) {
          const e = toAppError(error);
          result.problems.push({ provider: provider.id, code: e.code, message: e.message, ...(e.fix ? { fix: e.fix } : {}) });
        }
      }),
    );
    result.clusters.sort((a, b) => a.provider.localeCompare(b.provider) || a.name.localeCompare(b.name));
    result.problems.sort((a, b) => a.provider.localeCompare(b.provider));
    return result;
  }

  async create(input: unknown, io: ProviderIo): Promise<CreateClusterResult> {
    const request: CreateClusterRequest = createClusterRequestSchema.parse(input);
    const provider = this.provider(request.provider);
    await provider.requireRuntime?.(io.signal);
    const existing = await provider.list(io.signal);
    if (existing.some((c) => c.name === request.name)) {
      throw new AppError('ALREADY_EXISTS', `A ${provider.displayName} cluster named "${request.name}" already exists.`, {
        fix: 'Pick another name, or delete the existing cluster first.',
      });
    }
    const kubeconfigPath = this.kubeconfigPath();
    const { verification, notes, ...cluster } = await provider.create(request, kubeconfigPath, io);
    return { cluster, contextName: cluster.contextName, kubeconfigPath, ...(verification ? { verification } : {}), ...(notes?.length ? { notes } : {}) };
  }

  /** Starts a stopped local cluster; notes say what changed (a kwok cluster moved off a taken port). */
  async start(providerId: ProviderId, name: string): Promise<StartedCluster> {
    return this.provider(providerId).start(name, this.kubeconfigPath());
  }

  async stop(providerId: ProviderId, name: string): Promise<void> {
    await this.provider(providerId).stop(name);
  }

  async delete(providerId: ProviderId, name: string, io: ProviderIo): Promise<void> {
    const provider = this.provider(providerId);
    const existing = await provider.list(io.signal);
    if (!existing.some((c) => c.name === name)) {
      throw new AppError('NOT_FOUND', `No ${provider.displayName} cluster named "${name}".`, { fix: 'Run `slipway cluster list` to see the clusters.' });
    }
    await provider.delete(name, this.kubeconfigPath(), io);
  }
}
