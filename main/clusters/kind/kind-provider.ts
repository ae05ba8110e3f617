import { ensureMetricsAdapterImage } from '../../metrics/adapter-image';
import type { ToolLocator } from '../tool-locator';
import { AppError, toAppError } from '../../../shared/errors';
import type { ClusterSummary, CreateClusterRequest } from '../../../shared/models/clusters';
import { setupClusterAddons } from '../../gpu/cluster-gpu-setup';
import type { GpuInventoryService } from '../../gpu/gpu-inventory';
import type { GpuHostChecks } from '../../gpu/host-checks';
import { dockerExecArgs, gpuNodeSteps } from '../../gpu/node-setup';
import { planKindGpus, type PassthroughPlan } from '../../gpu/passthrough-plan';
import type { DockerCli } from '../docker-cli';
import { clientFromKubeconfig } from '../kubeconfig-client';
import { waitForNodesReady } from '../nodes-ready';
import { requireFreePorts } from '../port-check';
import type { ClusterProvider, CreatedCluster, ProviderIo, StartedCluster } from '../provider';
import type { NodeGpus } from '../../gpu/passthrough-plan';
import { DEVICE_MOUNT_DIR, kindNodeImage, kindNodeNames, renderKindConfig } from './kind-config';
import type { KindCli } from './kind-cli';
import type { KindNetworks } from './kind-network';

/** Where `npm run kind:image` tags the node images it builds offline. */
const OFFLINE_NODE_IMAGE_REPO = 'slipway/kind-node';

/** The percent each phase of create ends at. */
const PHASES = { preflight: 5, create: 60, nodes: 80, addons: 98 };

/** kind prints " ✓ Step" lines as it goes; map them onto the create phase's range. */
const KIND_STEPS = ['Ensuring node image', 'Preparing nodes', 'Writing configuration', 'Starting control-plane', 'Installing CNI', 'Installing StorageClass', 'Joining worker nodes'];

/** What `kind create cluster` is given for a request, computed without running any tool. */
export interface KindCreatePlan {
  plan: PassthroughPlan;
  config: string;
  image?: string;
}

/** The kind config for a request; `gpuIndexes` are the host's GPUs (needed for `split` and checks). */
export function planKindCluster(request: CreateClusterRequest, gpuIndexes?: readonly number[]): KindCreatePlan {
  const image = request.image ?? (request.kubernetesVersion ? kindNodeImage(request.kubernetesVersion) : undefined);
  const plan = planKindGpus(request.gpus, request.nodes, gpuIndexes);
  return { plan, image, config: renderKindConfig({ name: request.name, image, plan, ports: request.ports }) };
}

/**
 * kind clusters with NVIDIA GPU passthrough (the nvkind method, in our own code): per-worker
 * `/dev/null` device mounts in the kind config, then inside each GPU worker the toolkit, the
 * containerd runtime, the /proc/driver/nvidia params fix and hiding unassigned GPUs; then
 * RuntimeClass, device plugin, metrics-server and an optional verification Job.
 *
 * A failure or cancel after `kind create cluster` started deletes the cluster again unless the
 * request says keepOnFailure; the error carries the failing tool's last lines.
 */
export class KindProvider implements ClusterProvider {
  readonly id = 'kind' as const;
  readonly displayName = 'kind';

  constructor(
    private readonly kind: KindCli,
    private readonly docker: DockerCli,
    private readonly gpus: GpuInventoryService,
    private readonly gpuChecks: GpuHostChecks,
    private readonly networks: KindNetworks,
    /** Finds Slipway's metrics adapter binary, which becomes the image of the cluster's custom metrics API. */
    private readonly locator?: Pick<ToolLocator, 'find'>,
  ) {}

  async list(signal?: AbortSignal): Promise<ClusterSummary[]> {
    const names = await this.kind.clusters(signal);
    if (names.length === 0) return [];
    const ps = await this.docker.run(['ps', '-a', '--filter', 'label=io.x-k8s.kind.cluster', '--format', '{{.Label "io.x-k8s.kind.cluster"}}\t{{.State}}'], { signal, timeoutMs: 30_000, allowFailure: true });
    const states = new Map<string, string[]>();
    for (const line of ps.stdout.split('\n').filter(Boolean)) {
      const [cluster, state] = line.split('\t');
      states.set(cluster!, [...(states.get(cluster!) ?? []), state ?? '']);
    }
    return names.map((name) => {
      const nodes = states.get(name) ?? [];
      const status = nodes.length === 0 ? 'unknown' : nodes.every((s) => s === 'running') ? 'running' : nodes.every((s) => s !== 'running') ? 'stopped' : 'unknown';
      return { name, provider: 'kind', contextName: `kind-${name}`, status, simulated: false, nodes: nodes.length || undefined };
    });
  }

  async requireRuntime(signal?: AbortSignal): Promise<void> {
    await this.docker.requireDaemon(signal);
  }

  async create(request: CreateClusterRequest, kubeconfigPath: string, io: ProviderIo): Promise<CreatedCluster> {
    const wantsGpus = request.gpus !== 'none';
    io.progress({ phase: 'Preflight', percent: 1, log: ['Checking Docker, ports and GPUs…'] });
    const dockerInfo = await this.docker.requireDaemon(io.signal);
    await this.kind.run(['version'], { signal: io.signal, timeoutMs: 15_000 });
    await requireFreePorts(request.ports.map((p) => p.host));
    let indexes: number[] | undefined;
    if (wantsGpus) {
      const inventory = await this.gpus.list(io.signal);
      if (inventory.gpus.length === 0) {
        throw new AppError('GPU_UNAVAILABLE', `GPUs were requested, but none can be used: ${inventory.reason ?? 'nvidia-smi listed no GPU'}`, {
          fix: 'Create the cluster with --gpus none, or run `slipway doctor` to fix the GPU setup.',
        });
      }
      indexes = inventory.gpus.map((g) => g.index);
    }
    const planned = planKindCluster(request, indexes);
    if (planned.image) await this.requireNodeImage(planned.image, io);
    if (wantsGpus) await this.gpuChecks.requireForGpus('kind', dockerInfo);
    io.progress({ phase: 'Preflight', percent: PHASES.preflight, log: [...planned.plan.notes, 'kind config:', ...planned.config.trimEnd().split('\n')] });

    const networkBefore = await this.networks.id(io.signal);
    try {
      try {
        await this.createWithKind(request, kubeconfigPath, planned.config, io);
      } finally {
        // kind makes the network before the nodes: a failed create may have made it too.
        await this.networks.recordIfCreated(networkBefore);
      }
      const names = kindNodeNames(request.name, planned.plan.workers.length);
      const gpuWorkers = planned.plan.workers.map((gpus, i) => ({ node: names.workers[i]!, gpus })).filter((w) => w.gpus === 'all' || w.gpus.length > 0);
      await this.setupGpuNodes(gpuWorkers, io, { from: PHASES.create, to: PHASES.nodes });
      const client = clientFromKubeconfig(await this.kind.kubeconfig(request.name, io.signal), `kind-${request.name}`);
      let verification;
      try {
        // kind's --wait covers the control plane only; workers and their taints come after.
        await waitForNodesReady(client, io, { names: [names.controlPlane, ...names.workers], count: names.workers.length + 1, percent: PHASES.nodes, fix: `\`kind export logs --name ${request.name}\` collects the kubelet logs` });
        const metricsAdapterImage = request.addons.metricsServer ? await this.loadMetricsAdapter(request.name, io) : undefined;
        verification = await setupClusterAddons(
          client,
          {
            ...(metricsAdapterImage ? { metricsAdapterImage } : {}),
            gpu: gpuWorkers.length > 0,
            devicePlugin: request.addons.devicePlugin,
            gpuSharing: request.gpuSharing,
            metricsServer: request.addons.metricsServer,
            kubeletInsecureTls: true,
            verifyGpu: request.addons.verifyGpu,
          },
          io,
          { from: PHASES.nodes, to: PHASES.addons },
        );
      } finally {
        client.dispose();
      }
      io.progress({ phase: 'Ready', percent: 100, log: [`Cluster "${request.name}" is ready; context kind-${request.name} is selected.`] });
      const gpuCount = gpuWorkers.reduce((n, w) => n + (w.gpus === 'all' ? (indexes?.length ?? 0) : w.gpus.length), 0);
      return {
        name: request.name,
        provider: 'kind',
        contextName: `kind-${request.name}`,
        status: 'running',
        simulated: false,
        nodes: planned.plan.workers.length + 1,
        ...(gpuWorkers.length ? { gpuNodes: gpuWorkers.length, gpus: gpuCount } : {}),
        ...(planned.image ? { kubernetesVersion: planned.image.split(':')[1]?.split('@')[0] } : {}),
        ...(verification ? { verification } : {}),
        ...(planned.plan.notes.length ? { notes: planned.plan.notes } : {}),
      };
    } catch (error) {
      // Someone else's cluster of that name appeared since the ClusterService check: not ours to delete.
      if (error instanceof AppError && /node\(s\) already exist for a cluster/.test(error.message)) {
        throw new AppError('ALREADY_EXISTS', `A kind cluster named "${request.name}" already exists.`, { fix: 'Pick another name, or delete the existing cluster first.', details: error.details });
      }
      await this.cleanUp(request, kubeconfigPath, io, error);
      throw error;
    }
  }

  /**
   * Builds the metrics adapter's image from its binary (once per binary) and loads it into the
   * cluster's nodes. Without the binary the cluster has no custom metrics API, and the log says so.
   */
  private async loadMetricsAdapter(name: string, io: ProviderIo): Promise<string | undefined> {
    const binary = await this.locator?.find('metricsAdapter');
    if (!binary) {
      io.progress({ phase: 'custom metrics adapter', percent: PHASES.nodes, log: ['slipway-metrics-adapter not found: HPAs on custom or external metrics will not scale here (`npm run k8s:build` builds it).'] });
      return undefined;
    }
    io.progress({ phase: 'custom metrics adapter', percent: PHASES.nodes, log: [`Building the metrics adapter image from ${binary.path}`] });
    const image = await ensureMetricsAdapterImage(this.docker, binary.path, io.signal);
    io.progress({ phase: 'custom metrics adapter', percent: PHASES.nodes, log: [`kind load docker-image ${image} --name ${name}`] });
    await this.kind.run(['load', 'docker-image', image, '--name', name], { signal: io.signal, timeoutMs: 300_000 });
    return image;
  }

  /**
   * An offline-built node image (npm run kind:image) exists only where it was built: kind would
   * try to pull it and fail with a registry error, so say what builds it instead. Other images are
   * pulled by kind as usual, and the log says so.
   */
  private async requireNodeImage(image: string, io: ProviderIo): Promise<void> {
    if (await this.docker.imageExists(image, io.signal)) return;
    if (image.startsWith(`${OFFLINE_NODE_IMAGE_REPO}:`)) {
      throw new AppError('NOT_FOUND', `The node image ${image} is not in Docker.`, {
        fix: 'Build it with `npm run kind:image` (it prints the image reference), and pass that reference to --image.',
      });
    }
    io.progress({ phase: 'Preflight', percent: 2, log: [`The node image ${image} is not in Docker yet; kind will pull it.`] });
  }

  private async createWithKind(request: CreateClusterRequest, kubeconfigPath: string, config: string, io: ProviderIo): Promise<void> {
    let percent = PHASES.preflight;
    io.progress({ phase: 'Creating nodes', percent, log: [`kind create cluster --name ${request.name}`] });
    // kind deletes its own half-made nodes when it fails, unless told to retain them.
    const retain = request.keepOnFailure ? ['--retain'] : [];
    await this.kind.run(['create', 'cluster', '--name', request.name, '--config', '-', '--kubeconfig', kubeconfigPath, '--wait', '120s', ...retain], {
      input: config,
      signal: io.signal,
      label: 'kind create cluster',
      fix: 'Read kind’s output above; `slipway doctor` checks the usual causes.',
      onLine: (line) => {
        const step = KIND_STEPS.findIndex((s) => line.includes(s));
        if (step >= 0 && line.includes('✓')) percent = Math.round(PHASES.preflight + ((PHASES.create - PHASES.preflight) * (step + 1)) / KIND_STEPS.length);
        io.progress({ phase: 'Creating nodes', percent, log: [line] });
      },
    });
  }

  /**
   * nvkind's steps inside each GPU worker. Hiding the GPUs a worker was not given removes
   * /dev/nvidia<minor>, so the indexes are mapped to minor numbers first.
   */
  private async setupGpuNodes(workers: { node: string; gpus: NodeGpus }[], io: ProviderIo, range: { from: number; to: number }): Promise<void> {
    if (workers.length === 0) return;
    const minors = workers.some((w) => w.gpus !== 'all') ? await this.gpus.deviceMinors(io.signal) : new Map<number, number>();
    const all = workers.flatMap((w) => gpuNodeSteps(w.gpus, w.gpus === 'all' ? undefined : w.gpus.map((i) => minors.get(i) ?? i)).map((step) => ({ node: w.node, step })));
    for (const [i, { node, step }] of all.entries()) {
      const percent = Math.round(range.from + ((range.to - range.from) * i) / all.length);
      io.progress({ phase: `GPU node setup: ${node}`, percent, log: [`${node}: ${step.title}`] });
      await this.docker.run(dockerExecArgs(node, step), {
        signal: io.signal,
        label: `${node}: ${step.title}`,
        fix: 'The node needs internet access to install nvidia-container-toolkit; see the lines above.',
        onLine: (line) => io.progress({ phase: `GPU node setup: ${node}`, percent, log: [line] }),
      });
    }
  }

  /**
   * The GPUs a node container was created with, read back from its `/dev/null` device mounts
   * (the kind config's per-worker split); null for a node without GPUs.
   */
  private async nodeGpus(node: string): Promise<NodeGpus | null> {
    const result = await this.docker.run(['inspect', '--format', '{{json .Mounts}}', node], { timeoutMs: 30_000 });
    const mounts = JSON.parse(result.stdout.trim() || '[]') as { Destination?: string }[];
    const devices = mounts.map((m) => m.Destination ?? '').filter((d) => d.startsWith(`${DEVICE_MOUNT_DIR}/`)).map((d) => d.slice(DEVICE_MOUNT_DIR.length + 1));
    if (devices.length === 0) return null;
    return devices.includes('all') ? 'all' : devices.map(Number).sort((a, b) => a - b);
  }

  /** Deletes the half-created cluster (unless asked to keep it) and says so in the log. */
  private async cleanUp(request: CreateClusterRequest, kubeconfigPath: string, io: ProviderIo, cause: unknown): Promise<void> {
    const reason = toAppError(cause).code === 'CANCELLED' ? 'Cancelled' : 'Failed';
    if (request.keepOnFailure) {
      io.progress({ phase: 'Failed', percent: 100, log: [`${reason}; the cluster is kept as asked (delete it with \`kind delete cluster --name ${request.name}\`).`] });
      return;
    }
    io.progress({ phase: 'Cleaning up', percent: 100, log: [`${reason}; deleting the half-created cluster…`] });
    try {
      // Not the task's signal: it may be the cancellation we are cleaning up after.
      await this.kind.run(['delete', 'cluster', '--name', request.name, '--kubeconfig', kubeconfigPath], { timeoutMs: 120_000 });
    } catch (error) {
      io.progress({ phase: 'Cleaning up', percent: 100, log: [`Could not delete the cluster: ${toAppError(error).message}`] });
      return;
    }
    const note = await this.networks.removeIfUnused();
    if (note) io.progress({ phase: 'Cleaning up', percent: 100, log: [note] });
  }

  async delete(name: string, kubeconfigPath: string, io: ProviderIo): Promise<void> {
    io.progress({ phase: 'Deleting', percent: 10, log: [`kind delete cluster --name ${name}`] });
    await this.kind.run(['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfigPath], {
      signal: io.signal,
      timeoutMs: 180_000,
      onLine: (line) => io.progress({ phase: 'Deleting', percent: 50, log: [line] }),
    });
    const note = await this.networks.removeIfUnused();
    io.progress({ phase: 'Deleted', percent: 100, ...(note ? { log: [note] } : {}) });
  }

  /**
   * Starts the node containers, then runs the GPU steps again in each GPU worker: the params bind
   * mount and the removed device nodes do not survive a container restart, so without them every
   * GPU worker would see every GPU again.
   */
  async start(name: string): Promise<StartedCluster> {
    const nodes = await this.kind.nodes(name);
    await this.docker.run(['start', ...nodes], { timeoutMs: 120_000 });
    const gpuWorkers: { node: string; gpus: NodeGpus }[] = [];
    for (const node of nodes) {
      const gpus = await this.nodeGpus(node);
      if (gpus) gpuWorkers.push({ node, gpus });
    }
    // start has no progress stream: a failing step's error carries the script's last lines.
    await this.setupGpuNodes(gpuWorkers, { signal: new AbortController().signal, progress: () => {} }, { from: 0, to: 100 });
    return { notes: gpuWorkers.length ? [`GPU setup applied again on ${gpuWorkers.map((w) => w.node).join(', ')} (it does not survive a restart).`] : [] };
  }

  async stop(name: string): Promise<void> {
    await this.docker.run(['stop', ...(await this.kind.nodes(name))], { timeoutMs: 120_000 });
  }

  kubeconfig(name: string): Promise<string> {
    return this.kind.kubeconfig(name);
  }
}
