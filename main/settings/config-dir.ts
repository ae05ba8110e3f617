import os from 'node:os';
import path from 'node:path';

/**
 * Where Slipway keeps settings and data: `SLIPWAY_CONFIG_DIR`, else the platform's user config
 * directory + `Slipway` — the same folder Electron calls `userData`, so the app, serve mode and
 * the CLI share one settings file.
 */
export function resolveConfigDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SLIPWAY_CONFIG_DIR) return path.resolve(env.SLIPWAY_CONFIG_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Slipway');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Slipway');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Slipway');
}

/** Settings file name (without `.json`), shared by electron-store and conf. */
export const SETTINGS_FILE_NAME = 'settings';
