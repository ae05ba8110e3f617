import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SettingsService } from './settings-service';
import { createSettingsFile } from './settings-file';
import { silentLogger } from '../logger';
import { resolveConfigDir } from './config-dir';
import { tempDir } from '../../test/support/fixtures';

describe('SettingsService', () => {
  const dirs: { cleanup(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
  const fresh = () => {
    const t = tempDir();
    dirs.push(t);
    return t.dir;
  };

  it('starts from defaults and persists updates to settings.json in the config dir', () => {
    const dir = fresh();
    const settings = new SettingsService(createSettingsFile(dir), silentLogger);
    expect(settings.get()).toMatchObject({ theme: 'system', execConsents: [] });
    settings.update({ theme: 'dark' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).theme).toBe('dark');
    // A second process (the CLI beside the app) reads the same file.
    expect(new SettingsService(createSettingsFile(dir), silentLogger).get().theme).toBe('dark');
  });

  it('keeps valid fields when one field of a hand-edited file is invalid', () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ theme: 'neon', extraKubeconfigs: ['/k'] }));
    const warn = vi.fn();
    const settings = new SettingsService(createSettingsFile(dir), { ...silentLogger, warn });
    expect(settings.get()).toMatchObject({ theme: 'system', extraKubeconfigs: ['/k'] });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('"theme"'));
  });

  it('notifies listeners of changes and stops after dispose', () => {
    const settings = new SettingsService(createSettingsFile(fresh()), silentLogger);
    const listener = vi.fn();
    const sub = settings.onDidChange(listener);
    settings.update({ theme: 'light' });
    sub.dispose();
    settings.update({ theme: 'dark' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]![0].theme).toBe('light');
  });

  it('sees another process\'s write at the next read, and never writes back what it cached', () => {
    const dir = fresh();
    const app = new SettingsService(createSettingsFile(dir), silentLogger);
    const serve = new SettingsService(createSettingsFile(dir), silentLogger);
    app.mutate((s) => ({ ...s, execConsents: ['a'.repeat(64)] }));
    expect(serve.get().execConsents).toEqual(['a'.repeat(64)]);
    app.mutate((s) => ({ ...s, execConsents: [] }));
    expect(serve.get().execConsents).toEqual([]);
    serve.update({ theme: 'dark' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'))).toMatchObject({ theme: 'dark', execConsents: [] });
  });

  it('tells its listeners when another process changed the file', async () => {
    const dir = fresh();
    const serve = new SettingsService(createSettingsFile(dir), silentLogger);
    serve.get();
    const watching = serve.watch();
    const listener = vi.fn();
    serve.onDidChange(listener);
    new SettingsService(createSettingsFile(dir), silentLogger).update({ theme: 'light' });
    await vi.waitFor(() => expect(listener).toHaveBeenCalled());
    expect(listener.mock.calls[0]![0].theme).toBe('light');
    watching.dispose();
  });

  it('puts settings in SLIPWAY_CONFIG_DIR, else the platform folder Electron also uses', () => {
    expect(resolveConfigDir({ SLIPWAY_CONFIG_DIR: '/x/y' }, 'linux')).toBe('/x/y');
    expect(resolveConfigDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/Slipway');
    expect(resolveConfigDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toContain('Slipway');
  });
});
