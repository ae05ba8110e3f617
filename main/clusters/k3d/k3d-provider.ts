import path from 'node:path';
import { AppError, toAppError } from '../../../shared/errors';
import type { ClusterSummary, CreateClusterRequest } from '../../../shared/models/clusters';
import { setupClusterAddons } from '../../gpu/cluster-gpu-setup';
import type { GpuInventoryService } from '../../gpu/gpu-inventory';
import type { GpuHostChecks } from '../../gpu/host-checks';
import { resourcesDir } from '../../resources-dir';
import type { DockerCli } from '../docker-cli';
import { clientFromKubeconfig } from '../kubeconfig-client';
import { waitForNodesReady } from '../nodes-ready';
import { requireFreePorts } from '../port-check';
import type { ClusterProvider, CreatedCluster, ProviderIo, StartedCluster } from '../provider';
import type { K3dCli } from './k3d-cli';
import { K3D_GPU_NOTE, planK3dCluster } from './k3d-plan';

const PHASES = { preflight: 5, image: 25, create: 75, addons: 98 };

/**
 * k3d clusters. GPUs go through `k3d cluster create --gpus` (Docker device requests on every
 * node container, so every node sees all requested GPUs: no per-node split) with a CUDA-capable
 * k3s image, which Slipway builds from resources/k3d-cuda when no image is given. Then
 * RuntimeClass `nvidia`, the device plugin (with time-slicing) and the optional verification Job;
 * k3s brings its own metrics-server.
 */
export class K3dProvider implements ClusterProvider {
  readonly id = 'k3d' as const;
  readonly displayName = 'k3d';

  constructor(
    private readonly k3d: K3dCli,
    private readonly docker: DockerCli,
    private readonly gpus: GpuInventoryService,
    private readonly gpuChecks: GpuHostChecks,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async list(signal?: AbortSignal): Promise<ClusterSummary[]> {
    const clusters = await this.k3d.clusters(signal);
    return clusters.map((c) => {
      const total = (c.serversCount ?? 0) + (c.agentsCount ?? 0);
      const running = (c.serversRunning ?? 0) + (c.agentsRunning ?? 0);
      return {
        name: c.name,
        provider: 'k3d',
        contextName: `k3d-${c.name}`,
        status: running === 0 ? 'stopped' : running === total ? 'running' : 'unknown',
        simulated: false,
        nodes: total || undefined,
      };
    });
  }

  async requireRuntime(signal?: AbortSignal): Promise<void> {
    await this.docker.requireDaemon(signal);
  }

  async create(request: CreateClusterRequest, kubeconfigPath: string, io: ProviderIo): Promise<CreatedCluster> {
    const planned = planK3dCluster(request);
    io.progress({ phase: 'Preflight', percent: 1, log: ['Checking Docker, ports and GPUs…'] });
    const dockerInfo = await this.docker.requireDaemon(io.signal);
    await this.k3d.run(['version'], { signal: io.signal, timeoutMs: 15_000 });
    await requireFreePorts(request.ports.map((p) => p.host));
    let gpuCount = 0;
    if (planned.gpus !== 'none') {
      const inventory = await this.gpus.list(io.signal);
      if (inventory.gpus.length === 0) {
        throw new AppError('GPU_UNAVAILABLE', `GPUs were requested, but none can be used: ${inventory.reason ?? 'nvidia-smi listed no GPU'}`, {
          fix: 'Create the cluster with --gpus none, or run `slipway doctor` to fix the GPU setup.',
        });
      }
      if (typeof planned.gpus === 'number' && planned.gpus > inventory.gpus.length) {
        throw new AppError('GPU_UNAVAILABLE', `${planned.gpus} GPUs were requested, but this machine has ${inventory.gpus.length}.`, { fix: `Use --gpus ${inventory.gpus.length} or --gpus all.` });
      }
      gpuCount = planned.gpus === 'all' ? inventory.gpus.length : planned.gpus;
      await this.gpuChecks.requireForGpus('k3d', dockerInfo);
    }
    const notes = planned.gpus === 'none' ? [] : [K3D_GPU_NOTE];
    io.progress({ phase: 'Preflight', percent: PHASES.preflight, log: [...notes, `k3d ${planned.args.join(' ')}`] });

    if (planned.buildCudaImage && !(await this.docker.imageExists(planned.buildCudaImage.tag, io.signal))) {
      io.progress({ phase: 'Building CUDA k3s image', percent: PHASES.preflight, log: [`Building ${planned.buildCudaImage.tag} (once; several GB)…`] });
      await this.docker.run(['build', '-t', planned.buildCudaImage.tag, '--build-arg', `K3S_TAG=${planned.buildCudaImage.k3sTag}`, path.join(resourcesDir(this.env), 'k3d-cuda')], {
        signal: io.signal,
        label: 'docker build (CUDA k3s image)',
        fix: 'The build needs access to docker.io, nvcr.io and nvidia.github.io; or pass --image with a CUDA-capable k3s image.',
        onLine: (line) => io.progress({ phase: 'Building CUDA k3s image', percent: PHASES.image - 5, log: [line] }),
      });
    }

    try {
      io.progress({ phase: 'Creating nodes', percent: PHASES.image, log: [] });
      await this.k3d.run(planned.args, {
        signal: io.signal,
        label: 'k3d cluster create',
        fix: 'Read k3d’s output above; `slipway doctor` checks the usual causes.',
        onLine: (line) => io.progress({ phase: 'Creating nodes', percent: PHASES.image + 20, log: [line] }),
      });
      await this.k3d.run(['kubeconfig', 'merge', request.name, '--output', kubeconfigPath, '--kubeconfig-switch-context'], { signal: io.signal, timeoutMs: 60_000 });
      const client = clientFromKubeconfig(await this.k3d.kubeconfig(request.name, io.signal), `k3d-${request.name}`);
      let verification;
      try {
        const nodeNames = [`k3d-${request.name}-server-0`, ...Array.from({ length: request.nodes }, (_, i) => `k3d-${request.name}-agent-${i}`)];
        await waitForNodesReady(client, io, { names: nodeNames, count: nodeNames.length, percent: PHASES.create, fix: `\`docker logs ${nodeNames[0]}\` shows k3s's log` });
        verification = await setupClusterAddons(
          client,
          {
            gpu: planned.gpus !== 'none',
            devicePlugin: request.addons.devicePlugin,
            gpuSharing: request.gpuSharing,
            // k3s runs its own metrics-server.
            metricsServer: false,
            kubeletInsecureTls: false,
            verifyGpu: request.addons.verifyGpu,
          },
          io,
          { from: PHASES.create, to: PHASES.addons },
        );
      } finally {
        client.dispose();
      }
      io.progress({ phase: 'Ready', percent: 100, log: [`Cluster "${request.name}" is ready; context k3d-${request.name} is selected.`] });
      const nodes = request.nodes + 1;
      return {
        name: request.name,
        provider: 'k3d',
        contextName: `k3d-${request.name}`,
        status: 'running',
        simulated: false,
        nodes,
        ...(gpuCount ? { gpuNodes: nodes, gpus: gpuCount, detail: K3D_GPU_NOTE } : {}),
        ...(planned.image ? { kubernetesVersion: planned.image.split(':')[1] } : {}),
        ...(verification ? { verification } : {}),
        ...(notes.length ? { notes } : {}),
      };
    } catch (error) {
      if (error instanceof AppError && /already exists/.test(error.message) && /cluster with that name/.test(error.message)) {
        throw new AppError('ALREADY_EXISTS', `A k3d cluster named "${request.name}" already exists.`, { fix: 'Pick another name, or delete the existing cluster first.', details: error.details });
      }
      await this.cleanUp(request, io, error);
      throw error;
    }
  }

  private async cleanUp(request: CreateClusterRequest, io: ProviderIo, cause: unknown): Promise<void> {
    const reason = toAppError(cause).code === 'CANCELLED' ? 'Cancelled' : 'Failed';
    if (request.keepOnFailure) {
      io.progress({ phase: 'Failed', percent: 100, log: [`${reason}; the cluster is kept as asked (delete it with \`k3d cluster delete ${request.name}\`).`] });
      return;
    }
    io.progress({ phase: 'Cleaning up', percent: 100, log: [`${reason}; deleting the half-created cluster…`] });
    try {
      await this.k3d.run(['cluster', 'delete', request.name], { timeoutMs: 120_000 });
    } catch (error) {
      io.progress({ phase: 'Cleaning up', percent: 100, log: [`Could not delete the cluster: ${toAppError(error).message}`] });
    }
  }

  async delete(name: string, _kubeconfigPath: string, io: ProviderIo): Promise<void> {
    io.progress({ phase: 'Deleting', percent: 10, log: [`k3d cluster delete ${name}`] });
    // k3d removes the context from the default kubeconfig ($KUBECONFIG or ~/.kube/config) itself.
    await this.k3d.run(['cluster', 'delete', name], { signal: io.signal, timeoutMs: 180_000, onLine: (line) => io.progress({ phase: 'Deleting', percent: 50, log: [line] }) });
    io.progress({ phase: 'Deleted', percent: 100 });
  }

  async start(name: string): Promise<StartedCluster> {
    await this.k3d.run(['cluster', 'start', name], { timeoutMs: 180_000 });
    return { notes: [] };
  }

  async stop(name: string): Promise<void> {
    await this.k3d.run(['cluster', 'stop', name], { timeoutMs: 180_000 });
  }

  kubeconfig(name: string): Promise<string> {
    return this.k3d.kubeconfig(name);
  }
}
