import path from 'node:path';
import type { Disposable } from '../shared/disposable';
import { DisposableStore } from '../shared/disposable';
import type { Logger } from './logger';
import { SettingsService, type SettingsBackend } from './settings/settings-service';
import { KubeconfigService } from './kube/kubeconfig-service';
import { ExecConsentService } from './kube/exec-consent';
import { KubeClientFactory } from './kube/client-factory';
import { ContextsService } from './kube/contexts-service';
import { ClusterService } from './clusters/cluster-service';
import type { ClusterProvider } from './clusters/provider';
import { ToolLocator, defaultBuildCacheDir, defaultBundledDir } from './clusters/tool-locator';
import { loginShellPath } from './clusters/login-shell-path';
import { DockerCli } from './clusters/docker-cli';
import { DoctorService } from './clusters/doctor/doctor-service';
import { PreflightService } from './clusters/doctor/preflight-service';
import { KindCli } from './clusters/kind/kind-cli';
import { KindProvider } from './clusters/kind/kind-provider';
import { KindNetworks } from './clusters/kind/kind-network';
import { K3dCli } from './clusters/k3d/k3d-cli';
import { K3dProvider } from './clusters/k3d/k3d-provider';
import { ImageLoadService } from './clusters/image-load-service';
import { GpuInventoryService } from './gpu/gpu-inventory';
import { GpuHostChecks } from './gpu/host-checks';
import { KwokProvider } from './clusters/kwok/kwok-provider';
import { createPromoteService, type PromoteService } from './promote/create-promote-service';
import { WatchService } from './kube/watch/watch-service';
import { ViewsService } from './views/views-service';
import { TerminalService } from './terminal/terminal-service';
import { PortForwardService } from './port-forward/port-forward-service';
import { ObjectService } from './objects/object-service';
import { MetricKnobService } from './metrics/knob-service';
import { TaskRuns } from './rpc/task-runs';
// Imported (not read at run time) so the pinned version travels inside the bundled build.
import k8sVersions from '../scripts/k8s-versions.json';

/** What a composition root (Electron, serve, CLI) knows about its surroundings. */
export interface Platform {
  face: 'electron' | 'serve' | 'cli';
  version: string;
  env: NodeJS.ProcessEnv;
  configDir: string;
  settingsBackend: SettingsBackend;
  log: Logger;
  /** The CLI's `--allow-exec`; never set by the app or serve mode. */
  allowExec?: boolean;
  /** How long an exec credential plugin may run before it is killed (default 30 s; tests shorten it). */
  execTimeoutMs?: number;
}

/** Every service of the backend; built once per process by {@link createServices}. */
export interface Services extends Disposable {
  platform: Platform;
  settings: SettingsService;
  kubeconfig: KubeconfigService;
  execConsent: ExecConsentService;
  clients: KubeClientFactory;
  contexts: ContextsService;
  clusters: ClusterService;
  /** Finds external tools: settings, then bundled, then PATH, then the control-plane build cache. */
  tools: ToolLocator;
  /** The docker CLI (daemon probe, exec into kind nodes, image checks). */
  docker: DockerCli;
  /** The host's NVIDIA GPUs (nvidia-smi). */
  gpus: GpuInventoryService;
  /** Machine checks for local clusters and GPU passthrough. */
  doctor: DoctorService;
  /** Create Cluster preflight: relevant doctor checks, name clash, busy ports, GPU plan. */
  preflight: PreflightService;
  /** Loads local images into kind and k3d clusters. */
  images: ImageLoadService;
  /** Promotion of workload bundles to target clusters (plan, diff, apply, history, rollback). */
  promote: PromoteService;
  /** The watch engine: reference-counted LIST+WATCH per context × resource × namespace. */
  watch: WatchService;
  /** Live view models (overview, HPA, storage, training, pods, events) and `slipway status`. */
  views: ViewsService;
  /** Pod exec and local shells. */
  terminal: TerminalService;
  /** Port forwards to pods and Services on 127.0.0.1; all stop when the services are disposed. */
  portForward: PortForwardService;
  /** One object's details and the actions on it (delete, scale, restart, suspend, cordon, edit). */
  objects: ObjectService;
  /** The values Slipway's metrics adapter serves as custom and external metrics (`slipway metrics`). */
  metrics: MetricKnobService;
  /** Runs of detachable tasks (apply, rollback): they outlive their connection; pages re-attach. */
  taskRuns: TaskRuns;
}

/** The one place where services are wired: plain constructors, no framework. */
export function createServices(platform: Platform): Services {
  const store = new DisposableStore();
  const settings = new SettingsService(platform.settingsBackend, platform.log);
  // Another face may change the shared file (a consent revoked in the app): hear of it.
  store.add(settings.watch());
  const kubeconfig = new KubeconfigService(platform.env, () => settings.get().extraKubeconfigs);
  const execConsent = new ExecConsentService(settings);
  const clients = store.add(new KubeClientFactory(kubeconfig, execConsent, { allowExec: platform.allowExec, execTimeoutMs: platform.execTimeoutMs }));
  const contexts = new ContextsService(kubeconfig, execConsent, clients, platform.allowExec);
  const tools = new ToolLocator({
    settings: () => settings.get(),
    searchPath: () => platform.env.PATH ?? '',
    bundledDir: defaultBundledDir(),
    buildCacheDir: defaultBuildCacheDir(platform.env, k8sVersions.kubernetes),
    env: platform.env,
    // A desktop-launched app has a minimal PATH; the CLI and serve mode inherit a terminal's.
    ...(platform.face === 'electron' ? { loginShellPath: () => loginShellPath({ env: platform.env }) } : {}),
  });
  // Kubeconfig exec plugins run with process.env: give them the login shell's PATH too.
  if (platform.face === 'electron') void tools.env().then((env) => (platform.env.PATH = env.PATH));
  const docker = new DockerCli(tools);
  const gpus = new GpuInventoryService(tools);
  const gpuChecks = new GpuHostChecks(tools, docker, platform.env);
  const doctor = new DoctorService(tools, docker, gpus, gpuChecks);
  const kindCli = new KindCli(tools);
  const k3dCli = new K3dCli(tools);
  const images = new ImageLoadService(kindCli, k3dCli, docker);
  const providers: ClusterProvider[] = [
    // Simulated clusters keep their state beside the settings, so every face lists the same ones.
    new KwokProvider({ locator: tools, workdir: path.join(platform.configDir, 'kwok'), env: platform.env }),
    new KindProvider(kindCli, docker, gpus, gpuChecks, new KindNetworks(docker, path.join(platform.configDir, 'kind-networks.json'), platform.env), tools),
    new K3dProvider(k3dCli, docker, gpus, gpuChecks, platform.env),
  ];
  const clusters = new ClusterService(providers, platform.env);
  const preflight = new PreflightService(clusters, doctor, gpus, gpuChecks);
  // The CLI reads once and exits: informers must not linger after their last subscriber.
  const watch = store.add(new WatchService((context) => clients.forContext(context), { lingerMs: platform.face === 'cli' ? 0 : 30_000 }));
  const views = new ViewsService(watch);
  // Detachable tasks (apply, rollback) outlive the connection that started them.
  const taskRuns = store.add(new TaskRuns());
  const terminal = store.add(new TerminalService((context) => clients.forContext(context), () => kubeconfig.paths(), platform.env));
  const portForward = store.add(new PortForwardService((context) => clients.forContext(context)));
  return {
    platform,
    settings,
    kubeconfig,
    execConsent,
    clients,
    contexts,
    clusters,
    tools,
    docker,
    gpus,
    doctor,
    preflight,
    images,
    watch,
    views,
    terminal,
    portForward,
    objects: new ObjectService((context) => clients.forContext(context)),
    metrics: new MetricKnobService((context) => clients.forContext(context)),
    promote: createPromoteService({ configDir: platform.configDir, settings, clients, tools, docker, env: platform.env }),
    taskRuns,
    dispose: () => store.dispose(),
  };
}
