import Conf from 'conf';
import { ensurePrivateDir, PRIVATE_FILE_MODE, tightenPrivateFile } from '../fs/private-files';
import { SETTINGS_FILE_NAME } from './config-dir';
import type { SettingsBackend } from './settings-service';

/** The settings file for serve mode and the CLI: the same folder and name electron-store uses. */
export function createConfBackend(configDir: string): SettingsBackend {
  // Settings hold consents and profiles: owner-only, like every file Slipway writes.
  ensurePrivateDir(configDir);
  const conf = new Conf<Record<string, unknown>>({
    configFileMode: PRIVATE_FILE_MODE,
    projectName: 'slipway',
    cwd: configDir,
    configName: SETTINGS_FILE_NAME,
    // Validation is ours (zod, field by field); conf must not discard a file it dislikes.
    clearInvalidConfig: false,
  });
  // A file written before settings were owner-only keeps its old mode until the next write.
  tightenPrivateFile(conf.path);
  return conf;
}
