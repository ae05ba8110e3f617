import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToolLocator } from '../clusters/tool-locator';
import type { KubeClientFactory } from '../kube/client-factory';
import type { SettingsService } from '../settings/settings-service';
import { HistoryStore } from './history-store';
import { ProfileStore } from './profile-store';
import { PromoteService } from './promote-service';

export type { PromoteService };

/** resources/samples of a checkout (or of the packaged app, where resources sit beside out/). */
export function defaultSamplesDir(): string {
  // main/promote in sources, out/main or out/main/chunks in builds: look upwards for resources/.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'resources', 'samples');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/samples');
}

/** Wires the promotion service from the shared services; called only by createServices(). */
export function createPromoteService(deps: { configDir: string; settings: SettingsService; clients: KubeClientFactory; tools: ToolLocator; samplesDir?: string }): PromoteService {
  const samplesDir = deps.samplesDir ?? defaultSamplesDir();
  return new PromoteService({
    clients: deps.clients,
    profiles: new ProfileStore(deps.settings, [path.join(samplesDir, 'profiles')]),
    history: new HistoryStore(deps.configDir),
    findKubectl: async () => (await deps.tools.find('kubectl'))?.path ?? null,
    capturesDir: path.join(deps.configDir, 'captures'),
    samplesDir,
  });
}
