import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, tightenPrivateFile, writePrivateFile } from './private-files';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-private-'));
  dirs.push(dir);
  return dir;
};
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('private files', () => {
  it('writes 0600 files in 0700 folders it creates, and tightens a folder that was wider', () => {
    const root = temp();
    const file = path.join(root, 'a', 'b', 'record.json');
    writePrivateFile(file, '{"x":1}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"x":1}');
    expect([mode(file), mode(path.join(root, 'a')), mode(path.join(root, 'a', 'b'))]).toEqual([0o600, 0o700, 0o700]);
    const wide = path.join(root, 'wide');
    fs.mkdirSync(wide);
    fs.chmodSync(wide, 0o755);
    ensurePrivateDir(wide);
    expect(mode(wide)).toBe(0o700);
  });

  it('replaces a world-readable file with an owner-only one, atomically, leaving no temp files', () => {
    const root = temp();
    const file = path.join(root, 'settings.json');
    fs.writeFileSync(file, 'old');
    fs.chmodSync(file, 0o644);
    writePrivateFile(file, 'new');
    expect([fs.readFileSync(file, 'utf8'), mode(file)]).toEqual(['new', 0o600]);
    expect(fs.readdirSync(root)).toEqual(['settings.json']);
  });

  it('tightens an existing file and ignores a missing one', () => {
    const root = temp();
    const file = path.join(root, 'old.json');
    fs.writeFileSync(file, '{}');
    fs.chmodSync(file, 0o644);
    tightenPrivateFile(file);
    expect(mode(file)).toBe(0o600);
    expect(() => tightenPrivateFile(path.join(root, 'missing.json'))).not.toThrow();
  });
});
