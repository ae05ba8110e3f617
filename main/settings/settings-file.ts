import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, tightenPrivateFile, writePrivateFile } from '../fs/private-files';
import { SETTINGS_FILE_NAME } from './config-dir';
import type { SettingsBackend } from './settings-service';

/**
 * The settings file every face shares (`<configDir>/settings.json`), read afresh on each access
 * and written through the one atomic owner-only writer. The format is plain JSON, tab-indented, as
 * electron-store and conf wrote it, so settings saved by earlier versions are read unchanged.
 *
 * Our own rather than `conf`/`electron-store`: their atomic writer (atomically → when-exit) hooks
 * every termination signal and re-raises it, so the CLI's first Ctrl-C or SIGTERM, meant to cancel
 * and clean up, came back as a second one and forced exit 130 before anything was cleaned up.
 */
export function createSettingsFile(configDir: string): SettingsBackend {
  // Settings hold consents and profiles: owner-only, like every file Slipway writes.
  ensurePrivateDir(configDir);
  const file = path.join(configDir, `${SETTINGS_FILE_NAME}.json`);
  // A file written before settings were owner-only keeps its old mode until the next write.
  tightenPrivateFile(file);
  return {
    path: file,
    get store(): Record<string, unknown> {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw error;
      }
      // An empty file is what a crash mid-write left with older writers: no settings yet.
      if (!text.trim()) return {};
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the file does not hold a JSON object');
      return parsed as Record<string, unknown>;
    },
    set store(value: Record<string, unknown>) {
      writePrivateFile(file, JSON.stringify(value, undefined, '\t'));
    },
  };
}
