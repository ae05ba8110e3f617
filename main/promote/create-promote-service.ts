import path from 'node:path';
import { resourcesDir } from '../resources-dir';
import type { ToolLocator } from '../clusters/tool-locator';
import type { DockerCli } from '../clusters/docker-cli';
import type { KubeClientFactory } from '../kube/client-factory';
import type { SettingsService } from '../settings/settings-service';
import { HistoryStore } from './history-store';
import { ProfileStore } from './profile-store';
import { PromoteService } from './promote-service';
import { dockerConfigPath } from './registry-client';

export type { PromoteService };

/** resources/samples of a checkout or of the packaged app. */
export function defaultSamplesDir(): string {
  return path.join(resourcesDir(), 'samples');
}

/** Wires the promotion service from the shared services; called only by createServices(). */
export function createPromoteService(deps: { configDir: string; settings: SettingsService; clients: KubeClientFactory; tools: ToolLocator; docker?: DockerCli; env?: NodeJS.ProcessEnv; samplesDir?: string }): PromoteService {
  const samplesDir = deps.samplesDir ?? defaultSamplesDir();
  return new PromoteService({
    clients: deps.clients,
    profiles: new ProfileStore(deps.settings, [path.join(samplesDir, 'profiles')]),
    history: new HistoryStore(deps.configDir),
    findKubectl: async () => (await deps.tools.find('kubectl'))?.path ?? null,
    capturesDir: path.join(deps.configDir, 'captures'),
    samplesDir,
    docker: deps.docker,
    // The user's Docker config, as the docker CLI would find it with this environment.
    registry: { dockerConfig: dockerConfigPath(deps.env) },
  });
}
