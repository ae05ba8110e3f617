import Conf from 'conf';
import { SETTINGS_FILE_NAME } from './config-dir';
import type { SettingsBackend } from './settings-service';

/** The settings file for serve mode and the CLI: the same folder and name electron-store uses. */
export function createConfBackend(configDir: string): SettingsBackend {
  return new Conf<Record<string, unknown>>({
    projectName: 'slipway',
    cwd: configDir,
    configName: SETTINGS_FILE_NAME,
    // Validation is ours (zod, field by field); conf must not discard a file it dislikes.
    clearInvalidConfig: false,
  });
}
