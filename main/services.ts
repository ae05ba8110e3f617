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
}

/** The one place where services are wired: plain constructors, no framework. */
export function createServices(platform: Platform): Services {
  const store = new DisposableStore();
  const settings = new SettingsService(platform.settingsBackend, platform.log);
  const kubeconfig = new KubeconfigService(platform.env, () => settings.get().extraKubeconfigs);
  const execConsent = new ExecConsentService(settings);
  const clients = store.add(new KubeClientFactory(kubeconfig, execConsent, { allowExec: platform.allowExec }));
  const contexts = new ContextsService(kubeconfig, execConsent, clients, platform.allowExec);
  // Providers are added here as they land: kwok (simulated), kind, k3d.
  const providers: ClusterProvider[] = [];
  const clusters = new ClusterService(providers, platform.env);
  return {
    platform,
    settings,
    kubeconfig,
    execConsent,
    clients,
    contexts,
    clusters,
    dispose: () => store.dispose(),
  };
}
