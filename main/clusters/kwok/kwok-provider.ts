import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TaskProgress } from '../../../shared/contract/define';
import { AppError, toAppError } from '../../../shared/errors';
import type { ClusterSummary, CreateClusterRequest } from '../../../shared/models/clusters';
import type { KubeClient } from '../../kube/kube-client';
import { clientFromKubeconfig } from '../kubeconfig-client';
import { waitForNodesReady } from '../nodes-ready';
import type { ClusterProvider, ProviderIo, StartedCluster } from '../provider';
import type { ToolId, ToolLocator } from '../tool-locator';
import { withCreateLock } from './create-lock';
import { nodeManifests, SIMULATED_NODE_LABEL } from './gpu-nodes';
import { kwokctlConfig } from './kwok-config';
import { KwokWorkdir, type ClusterMeta } from './kwok-state';
import { CREATE_PHASES, createClusterArgs, formatKwokctlLine, parseKwokctlLine, progressOf, type ControlPlaneBinaries } from './kwokctl';
import { removeKubeconfigEntries } from './kubeconfig-entry';
import { KwokPortKeeper } from './kwok-port-keeper';
import { readPorts, type PortOption } from './kwok-ports';
import { hostMetricsAdapterApi, METRICS_ADAPTER_API_SERVICES } from '../../metrics/adapter-api';
import { ResourceMapper } from '../../kube/resources/resource-mapper';
import { serverSideApply } from '../../kube/resources/server-side-apply';
import { runTool, type ToolRun } from './run-tool';
import { ensurePrivateDir } from '../../fs/private-files';

export interface KwokProviderOptions {
  locator: Pick<ToolLocator, 'find'>;
  /** KWOK_WORKDIR: where cluster state lives (`<configDir>/kwok` for users, a temp dir in tests). */
  workdir: string;
  /** Environment for kwokctl (KWOK_WORKDIR is set on top). */
  env?: NodeJS.ProcessEnv;
  /** The machine-wide creation lock; tests may point it elsewhere. */
  lockDir?: string;
  /** kube-controller-manager's --horizontal-pod-autoscaler-sync-period. */
  hpaSyncPeriod?: string;
  /** How long to wait for kwokctl to report the control plane ready. */
  readyTimeout?: string;
  /** Sees every kwokctl process started, so a test harness can kill it from an exit hook. */
  onSpawn?: (child: ChildProcess) => void;
}

const REQUIRED: [keyof ControlPlaneBinaries, ToolId][] = [
  ['etcd', 'etcd'],
  ['kubeApiserver', 'kubeApiserver'],
  ['kubeControllerManager', 'kubeControllerManager'],
  ['kubeScheduler', 'kubeScheduler'],
  ['kwok', 'kwok'],
  ['kubectl', 'kubectl'],
];

const HOW_TO_GET_BINARIES =
  'Run `npm run k8s:build` in a Slipway checkout (builds them into .cache/k8s), or put them on your PATH (Kubernetes server binaries, etcd, and kwok from https://github.com/kubernetes-sigs/kwok/releases).';

/** Lines of a port race: a port kwokctl probed as free was taken before its component bound it. */
const PORT_TAKEN = /address already in use/i;
/** A component that gave up because the API server did not answer yet. */
const API_SERVER_REFUSED = /dial tcp 127\.0\.0\.1:\d+: connect: connection refused/;
const MAX_ATTEMPTS = 3;

/**
 * Simulated clusters: the real etcd, kube-apiserver, kube-controller-manager and kube-scheduler
 * started by `kwokctl --runtime binary`, with kwok standing in for kubelets. Nodes (GPU nodes
 * among them) are Node objects; pods reach Running and Job pods Succeeded without containers.
 * Needs neither Docker nor a GPU.
 *
 * State lives under {@link KwokProviderOptions.workdir}; `list` reads it without kwokctl.
 * Creation is serialized machine-wide (kwokctl picks ports by probing), retried on a port race,
 * cancellable, and never leaves a half-created cluster behind unless `keepOnFailure`.
 */
export class KwokProvider implements ClusterProvider {
  readonly id = 'kwok' as const;
  readonly displayName = 'simulated (kwok)';
  private readonly state: KwokWorkdir;
  private readonly ports: KwokPortKeeper;

  constructor(private readonly options: KwokProviderOptions) {
    this.state = new KwokWorkdir(options.workdir);
    this.ports = new KwokPortKeeper(this.state);
  }

  get workdir(): string {
    return this.state.root;
  }

  async list(): Promise<ClusterSummary[]> {
    return this.state.names().map((name) => this.summary(name));
  }

  async create(request: CreateClusterRequest, kubeconfigPath: string, io: ProviderIo): Promise<ClusterSummary> {
    io.progress({ ...CREATE_PHASES.tools });
    const kwokctl = await this.requireKwokctl();
    const bins = await this.controlPlaneBinaries(request.addons.metricsServer);
    if (request.addons.metricsServer && !bins.metricsServer) {
      io.progress({ ...CREATE_PHASES.tools, log: ['metrics-server not found: the cluster will have no metrics API, so HPAs will not scale.'] });
    }
    if (request.addons.metricsServer && !bins.metricsAdapter) {
      io.progress({ ...CREATE_PHASES.tools, log: ['slipway-metrics-adapter not found: HPAs on custom or external metrics will not scale (`npm run k8s:build` builds it).'] });
    }
    this.assertAbsent(request.name);
    fs.mkdirSync(path.dirname(kubeconfigPath), { recursive: true });
    // kwokctl writes the clusters' keys and kubeconfigs here with its own modes: an owner-only
    // folder keeps them from other local users.
    ensurePrivateDir(this.state.root);

    let created = false;
    try {
      await withCreateLock(
        async () => {
          // Checked again under the lock: another process may have created it meanwhile.
          this.assertAbsent(request.name);
          created = true;
          await this.startControlPlane(request.name, kwokctl, bins, kubeconfigPath, io);
        },
        { lockDir: this.options.lockDir, signal: io.signal, onWait: () => io.progress({ ...CREATE_PHASES.queued }) },
      );
      if (bins.metricsAdapter) {
        io.progress({ ...CREATE_PHASES.controlPlane, log: ['Registering the custom and external metrics APIs (slipway-metrics-adapter)'] });
        await this.registerMetricsAdapter(request.name, io.signal);
      }
      this.state.writeMeta(request.name, this.metaOf(request, Boolean(bins.metricsServer), Boolean(bins.metricsAdapter)));
      await this.addNodes(request, io);
      io.progress({ ...CREATE_PHASES.done, message: `Context kwok-${request.name} is in ${kubeconfigPath}` });
      return this.summary(request.name);
    } catch (error) {
      const appError = io.signal.aborted ? new AppError('CANCELLED', `Creating cluster "${request.name}" was cancelled.`) : toAppError(error);
      if (created) {
        if (request.keepOnFailure) {
          appError.message += ` The half-created cluster was kept in ${this.state.clusterDir(request.name)} (keepOnFailure); delete it with \`slipway cluster delete ${request.name}\`.`;
        } else {
          await this.destroy(request.name, kubeconfigPath, kwokctl);
        }
      }
      throw appError;
    }
  }

  async delete(name: string, kubeconfigPath: string, io: ProviderIo): Promise<void> {
    if (!this.state.exists(name)) throw notFound(name);
    io.progress({ phase: 'Stopping the control plane', percent: 20 });
    const kwokctl = await this.options.locator.find('kwokctl');
    await this.destroy(name, kubeconfigPath, kwokctl?.path ?? null);
    io.progress({ phase: 'Deleted', percent: 100 });
  }

  /**
   * Starts a stopped cluster on the ports it had. A port something else took meanwhile (another
   * program, or a cluster made in another workdir) is moved to a free one first: kwok.yaml, the
   * cluster's own kubeconfig and the context in `kubeconfigPath` follow, and a note says so.
   * A running cluster is left alone; a degraded one (a component crashed) is stopped first and
   * started as a whole, so its own surviving components never count as "something else".
   */
  async start(name: string, kubeconfigPath: string): Promise<StartedCluster> {
    if (!this.state.exists(name)) throw notFound(name);
    const kwokctl = await this.requireKwokctl();
    const kubectl = await this.options.locator.find('kubectl');
    if (this.state.status(name) === 'running') return { notes: [] };
    // Under the creation lock no creation probes ports while this one checks and takes its own.
    const { run, moves, died } = await withCreateLock(
      async () => {
        if (this.state.status(name) === 'unknown') await this.stop(name);
        // A stopped cluster may hold pid files of components that crashed before it stopped.
        this.state.clearStalePidFiles(name);
        const moves = await this.ports.moveTakenPorts(name, kubeconfigPath);
        const { run, died } = await this.runWatched(name, kwokctl, ['start', 'cluster', '--name', name, '--wait', this.options.readyTimeout ?? '2m'], {
          env: this.env(kubectl?.path),
        });
        return { run, moves, died };
      },
      { lockDir: this.options.lockDir },
    );
    if (run.code !== 0) {
      const what = died.length > 0 ? `${died.join(', ')} exited while cluster "${name}" was starting` : `kwokctl could not start cluster "${name}"`;
      const error = this.failure(what, name, run);
      if (this.state.lastLogLines(name, 20).some((l) => l.lines.some((line) => PORT_TAKEN.test(line)))) {
        // Taken between our check and the component binding it: rare, and a retry picks again.
        (error as { fix?: string }).fix = `A port this cluster uses was taken while it started. Start it again (Slipway moves it to free ports), or stop the program that took it.`;
      }
      // Nothing half-started stays behind.
      const running = this.state.pids(name);
      await runTool(kwokctl, ['stop', 'cluster', '--name', name], { env: this.env() }).catch(() => undefined);
      this.state.killAll(name);
      await this.state.reap(name, running, 5_000);
      throw error;
    }
    await this.repointMetricsApis(name, new Set(moves.map((m) => m.option)));
    return { notes: moves.map((m) => m.note) };
  }

  async stop(name: string): Promise<void> {
    if (!this.state.exists(name)) throw notFound(name);
    const kwokctl = await this.requireKwokctl();
    const running = this.state.pids(name);
    const run = await runTool(kwokctl, ['stop', 'cluster', '--name', name], { env: this.env(), onSpawn: this.options.onSpawn });
    await this.state.reap(name, running);
    if (run.code !== 0) throw this.failure(`kwokctl could not stop cluster "${name}"`, name, run);
    this.state.clearStalePidFiles(name);
    // Stopped means released: a start right after finds its ports free, not "taken".
    await this.ports.waitReleased(name);
  }

  async kubeconfig(name: string): Promise<string> {
    try {
      return fs.readFileSync(this.state.kubeconfigFile(name), 'utf8');
    } catch {
      throw notFound(name);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private env(kubectl?: string): NodeJS.ProcessEnv {
    // kwokctl prefers kubectl from PATH and would download one otherwise; point it at ours.
    return { ...(this.options.env ?? process.env), KWOK_WORKDIR: this.state.root, ...(kubectl ? { KWOK_KUBECTL_BINARY: kubectl } : {}) };
  }

  private summary(name: string): ClusterSummary {
    const meta = this.state.readMeta(name);
    const summary: ClusterSummary = {
      name,
      provider: 'kwok',
      contextName: `kwok-${name}`,
      status: this.state.status(name),
      simulated: true,
    };
    const version = meta?.kubernetesVersion ?? this.state.kubernetesVersion(name);
    if (version) summary.kubernetesVersion = version;
    if (meta) {
      summary.nodes = meta.nodes + meta.gpuNodes;
      summary.gpuNodes = meta.gpuNodes;
      summary.gpus = meta.gpuNodes * meta.gpusPerNode;
      if (meta.gpuNodes > 0) summary.detail = `${meta.gpuNodes} × ${meta.gpusPerNode} ${meta.gpuProduct}${meta.metricsServer ? '' : ' · no metrics-server'}`;
      else if (!meta.metricsServer) summary.detail = 'no metrics-server';
    } else {
      summary.detail = 'created outside Slipway';
    }
    return summary;
  }

  private metaOf(request: CreateClusterRequest, metricsServer: boolean, metricsAdapter: boolean): ClusterMeta {
    return {
      nodes: request.nodes,
      gpuNodes: request.gpuNodes,
      gpusPerNode: request.gpusPerNode,
      gpuProduct: request.gpuProduct,
      gpuMemoryMiB: request.gpuMemoryMiB,
      kubernetesVersion: this.state.kubernetesVersion(request.name),
      metricsServer,
      metricsAdapter,
      createdAt: new Date().toISOString(),
    };
  }

  private assertAbsent(name: string): void {
    if (this.state.exists(name)) {
      throw new AppError('ALREADY_EXISTS', `A simulated cluster named "${name}" already exists.`, {
        fix: `Pick another name, or delete it first with \`slipway cluster delete ${name}\`.`,
      });
    }
  }

  private async requireKwokctl(): Promise<string> {
    const found = await this.options.locator.find('kwokctl');
    if (!found) {
      throw new AppError('TOOL_NOT_FOUND', 'kwokctl was not found.', {
        fix: 'Run `npm run k8s:build` in a Slipway checkout, install kwokctl (https://kwok.sigs.k8s.io/docs/user/installation/) on your PATH, or set its path in Settings → Tools.',
        details: { tool: 'kwokctl' },
      });
    }
    return found.path;
  }

  private async controlPlaneBinaries(withMetricsServer: boolean): Promise<ControlPlaneBinaries> {
    const found = await Promise.all(REQUIRED.map(async ([key, id]) => [key, id, await this.options.locator.find(id)] as const));
    const missing = found.filter(([, , tool]) => !tool).map(([, id]) => id);
    if (missing.length > 0) {
      const names = missing.map((id) => (id === 'kwok' ? 'kwok (the kwok controller)' : idToBinary(id)));
      throw new AppError('TOOL_NOT_FOUND', `Simulated clusters need ${names.join(', ')}, which ${missing.length === 1 ? 'was' : 'were'} not found.`, {
        fix: HOW_TO_GET_BINARIES,
        details: { missing: missing.map(idToBinary) },
      });
    }
    const bins = Object.fromEntries(found.map(([key, , tool]) => [key, tool!.path])) as unknown as ControlPlaneBinaries;
    if (withMetricsServer) {
      const [metricsServer, metricsAdapter] = await Promise.all([this.options.locator.find('metricsServer'), this.options.locator.find('metricsAdapter')]);
      if (metricsServer) bins.metricsServer = metricsServer.path;
      if (metricsAdapter) bins.metricsAdapter = metricsAdapter.path;
    }
    return bins;
  }

  /** Runs `kwokctl create cluster` on ports Slipway picked, retrying with fresh ports when one was taken mid-start. */
  private async startControlPlane(name: string, kwokctl: string, bins: ControlPlaneBinaries, kubeconfigPath: string, io: ProviderIo): Promise<void> {
    io.progress({ ...CREATE_PHASES.config });
    const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-kwok-config-'));
    const configPath = path.join(configDir, 'kwokctl.yaml');
    try {
      for (let attempt = 1; ; attempt++) {
        const ports = await this.ports.forNewCluster(name, { metricsServer: Boolean(bins.metricsServer), metricsAdapter: Boolean(bins.metricsAdapter) });
        const metricsAdapter = bins.metricsAdapter ? { binary: bins.metricsAdapter, clusterDir: this.state.clusterDir(name) } : undefined;
        fs.writeFileSync(configPath, kwokctlConfig({ hpaSyncPeriod: this.options.hpaSyncPeriod, ports, metricsAdapter }));
        io.progress({ ...CREATE_PHASES.controlPlane, ...(attempt > 1 ? { message: `attempt ${attempt}` } : {}) });
        let last: TaskProgress = CREATE_PHASES.controlPlane;
        const { run, died } = await this.runWatched(name, kwokctl, createClusterArgs(name, bins, kubeconfigPath, configPath, this.options.readyTimeout ?? '2m'), {
          env: this.env(bins.kubectl),
          signal: io.signal,
          onLine: (raw) => {
            const line = parseKwokctlLine(raw);
            const progress = progressOf(line);
            if (progress) last = progress;
            io.progress({ ...last, log: [formatKwokctlLine(line)] });
          },
        });
        if (run.code === 0) return;
        const what = died.length > 0 ? `${died.join(', ')} exited while cluster "${name}" was starting` : `kwokctl could not create cluster "${name}"`;
        const logs = this.state.lastLogLines(name, 20);
        const portRace = [...run.lines, ...logs.flatMap((l) => l.lines)].some((l) => PORT_TAKEN.test(l));
        // On a busy machine metrics-server can ask the API server for its client CA before the
        // server listens, and exits for good: a fresh start is all it needs.
        const apiServerLate =
          died.length > 0 && !died.includes('kube-apiserver') && !died.includes('etcd') && logs.some((l) => died.includes(l.component) && l.lines.some((line) => API_SERVER_REFUSED.test(line)));
        if (!(portRace || apiServerLate) || attempt >= MAX_ATTEMPTS) throw this.failure(what, name, run);
        const why = portRace ? 'A port was taken while the control plane started; retrying with other ports.' : `${died.join(', ')} started before the API server answered (a busy machine); retrying.`;
        io.progress({ ...CREATE_PHASES.controlPlane, log: [why] });
        await this.destroy(name, kubeconfigPath, kwokctl);
      }
    } finally {
      fs.rmSync(configDir, { recursive: true, force: true });
    }
  }

  /**
   * Runs kwokctl while watching the components it starts: kwokctl keeps waiting for
   * kube-apiserver when a component died at once (a port taken, a bad flag), so a death ends the
   * wait early and is reported as such.
   */
  private async runWatched(
    name: string,
    kwokctl: string,
    args: string[],
    options: { env: NodeJS.ProcessEnv; signal?: AbortSignal; onLine?: (line: string) => void },
  ): Promise<{ run: ToolRun; died: string[] }> {
    const stopKwokctl = new AbortController();
    const onCancel = () => stopKwokctl.abort();
    options.signal?.addEventListener('abort', onCancel, { once: true });
    const lines: string[] = [];
    let died: string[] = [];
    const watchdog = setInterval(() => {
      died = this.state.deadComponents(name);
      if (died.length > 0) stopKwokctl.abort();
    }, 500);
    try {
      const run = await runTool(kwokctl, args, {
        env: options.env,
        signal: stopKwokctl.signal,
        onSpawn: this.options.onSpawn,
        onLine: (raw) => {
          lines.push(raw);
          options.onLine?.(raw);
        },
      });
      return { run, died };
    } catch (error) {
      if (options.signal?.aborted || died.length === 0) throw error;
      return { run: { code: null, signal: 'SIGTERM', lines }, died };
    } finally {
      clearInterval(watchdog);
      options.signal?.removeEventListener('abort', onCancel);
    }
  }

  /**
   * The metrics APIs' registrations name their server's host port; follow the ports that moved:
   * metrics-server's (registered by kwokctl) and the metrics adapter's (registered by Slipway).
   */
  private async repointMetricsApis(name: string, moved: ReadonlySet<PortOption>): Promise<void> {
    const ports = readPorts(this.state.savedConfig(name));
    const patches: { apiService: string; port: number }[] = [];
    if (moved.has('metricsServerPort') && ports.metricsServerPort !== undefined) patches.push({ apiService: 'v1beta1.metrics.k8s.io', port: ports.metricsServerPort });
    if (moved.has('metricsAdapterPort') && ports.metricsAdapterPort !== undefined) {
      for (const api of METRICS_ADAPTER_API_SERVICES) patches.push({ apiService: api.name, port: ports.metricsAdapterPort });
    }
    if (patches.length === 0) return;
    const client = this.clientFor(name);
    try {
      for (const { apiService, port } of patches) {
        await client.request({
          method: 'PATCH',
          path: `/apis/apiregistration.k8s.io/v1/apiservices/${apiService}`,
          body: { spec: { service: { port } } },
          contentType: 'application/merge-patch+json',
          timeoutMs: 15_000,
        });
      }
    } finally {
      client.dispose();
    }
  }

  /** Registers the metrics adapter kwokctl started as the cluster's custom and external metrics APIs. */
  private async registerMetricsAdapter(name: string, signal: AbortSignal): Promise<void> {
    const port = readPorts(this.state.savedConfig(name)).metricsAdapterPort;
    if (port === undefined) throw new AppError('INTERNAL', `kwok.yaml of cluster "${name}" names no port for the metrics adapter.`);
    const client = this.clientFor(name);
    try {
      const mapper = new ResourceMapper(client);
      for (const object of hostMetricsAdapterApi(port)) await serverSideApply(client, mapper, object, { force: true, signal });
    } finally {
      client.dispose();
    }
  }

  /** A client for the cluster's own kubeconfig (context kwok-<name>). */
  private clientFor(name: string): KubeClient {
    return clientFromKubeconfig(fs.readFileSync(this.state.kubeconfigFile(name), 'utf8'), `kwok-${name}`);
  }

  /** A TOOL_FAILED error naming the components' last log lines (message) and carrying all of them (details). */
  private failure(what: string, name: string, run: ToolRun): AppError {
    const logs = this.state.lastLogLines(name, 10);
    const interesting = (lines: string[]) => lines.filter((l) => /error|fatal|fail|panic|refused|in use|denied|invalid/i.test(l)).slice(-3);
    const picked = logs.map((l) => ({ component: l.component, lines: interesting(l.lines) })).filter((l) => l.lines.length > 0);
    const shown = picked.length > 0 ? picked : logs.map((l) => ({ component: l.component, lines: l.lines.slice(-2) }));
    const kwokctlErrors = run.lines.map(parseKwokctlLine).filter((l) => l.level !== 'INFO').map(formatKwokctlLine).slice(-3);
    const message = [
      run.code === null && run.signal === 'SIGTERM' ? `${what}.` : `${what} (exit ${run.code ?? run.signal}).`,
      ...kwokctlErrors.map((l) => `kwokctl: ${l}`),
      ...shown.flatMap((l) => l.lines.map((line) => `${l.component}: ${line.slice(0, 400)}`)),
    ].join('\n');
    return new AppError('TOOL_FAILED', message, {
      fix: 'Read the log lines above; `slipway doctor` checks the tools. Nothing of the failed cluster was left running.',
      details: { exitCode: run.code, kwokctl: run.lines.slice(-30), logs },
    });
  }

  /** Removes a cluster completely: processes, state, and its kubeconfig entries. */
  private async destroy(name: string, kubeconfigPath: string, kwokctl: string | null): Promise<void> {
    const running = this.state.pids(name);
    if (kwokctl) {
      await runTool(kwokctl, ['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfigPath], { env: this.env() }).catch(() => undefined);
    }
    this.state.killAll(name);
    await this.state.reap(name, running, 5_000);
    this.state.remove(name);
    await removeKubeconfigEntries(kubeconfigPath, `kwok-${name}`);
  }

  private async addNodes(request: CreateClusterRequest, io: ProviderIo): Promise<void> {
    const version = this.state.kubernetesVersion(request.name) ?? 'v0.0.0';
    const nodes = nodeManifests(request, version);
    if (nodes.length === 0) return;
    const client = this.clientFor(request.name);
    try {
      io.progress({ ...CREATE_PHASES.nodes, message: `${request.nodes} CPU, ${request.gpuNodes} GPU` });
      for (const node of nodes) {
        await client.request({ method: 'POST', path: '/api/v1/nodes', body: node, signal: io.signal, timeoutMs: 15_000 });
      }
      await waitForNodesReady(client, io, {
        names: nodes.map((n) => n.metadata.name),
        count: nodes.length,
        labelSelector: SIMULATED_NODE_LABEL,
        timeoutMs: 60_000,
        percent: CREATE_PHASES.nodesReady.percent,
        fix: `the kwok controller's log is in ${this.state.clusterDir(request.name)}`,
      });
    } finally {
      client.dispose();
    }
  }
}

function idToBinary(id: ToolId): string {
  return { etcd: 'etcd', kubeApiserver: 'kube-apiserver', kubeControllerManager: 'kube-controller-manager', kubeScheduler: 'kube-scheduler', kwok: 'kwok', kubectl: 'kubectl' }[id as string] ?? id;
}

function notFound(name: string): AppError {
  return new AppError('NOT_FOUND', `No simulated cluster named "${name}".`, { fix: 'Run `slipway cluster list` to see the clusters.' });
}
