import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSettingsFile } from './settings-file';

const dirs: string[] = [];
const fresh = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-settings-file-'));
  dirs.push(dir);
  return path.join(dir, 'config');
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('createSettingsFile', () => {
  it('reads a file as electron-store and conf wrote it (tab-indented JSON)', () => {
    const dir = fresh();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'settings.json'), '{\n\t"theme": "dark",\n\t"extraKubeconfigs": [\n\t\t"/k"\n\t]\n}', { mode: 0o644 });
    const file = createSettingsFile(dir);
    expect(file.path).toBe(path.join(dir, 'settings.json'));
    expect(file.store).toEqual({ theme: 'dark', extraKubeconfigs: ['/k'] });
    // An old world-readable file is tightened at once, not at the next write.
    expect(fs.statSync(file.path).mode & 0o777).toBe(0o600);
  });

  it('a missing or empty file holds no settings; the folder is made owner-only', () => {
    const dir = fresh();
    const file = createSettingsFile(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(file.store).toEqual({});
    fs.writeFileSync(file.path, '');
    expect(file.store).toEqual({});
  });

  it('writes 0600, tab-indented, and every read sees what another writer put there since', () => {
    const dir = fresh();
    const file = createSettingsFile(dir);
    file.store = { theme: 'light' };
    expect(fs.readFileSync(file.path, 'utf8')).toBe('{\n\t"theme": "light"\n}');
    expect(fs.statSync(file.path).mode & 0o777).toBe(0o600);
    fs.writeFileSync(file.path, JSON.stringify({ theme: 'dark' }));
    expect(file.store).toEqual({ theme: 'dark' });
    // No temp file is left beside it.
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
  });

  it('a file that is not a JSON object throws, so the settings service can say so and keep defaults', () => {
    const dir = fresh();
    const file = createSettingsFile(dir);
    fs.writeFileSync(file.path, '{ "theme": ');
    expect(() => file.store).toThrow(SyntaxError);
    fs.writeFileSync(file.path, '["theme"]');
    expect(() => file.store).toThrow('the file does not hold a JSON object');
  });
});
