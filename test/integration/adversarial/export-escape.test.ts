/**
 * Adversarial: a bundle whose object names are paths cannot make `slipway export` write outside
 * `--out`. Real files, the real CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { captureStream, tempDir } from '../../support/fixtures';

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

describe('adversarial: export path escape', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  for (const [format, name] of [
    ['overlay', 'a/../../x'],
    ['overlay', '..'],
    ['manifests', 'a/../../../x'],
    ['overlay', 'a\\..\\..\\x'],
  ] as const) {
    it(`refuses an object named ${JSON.stringify(name)} (--format ${format}) and writes nothing anywhere`, async () => {
      const root = fs.mkdtempSync(path.join(tmp.dir, 'case-'));
      const bundle = path.join(root, 'bundle');
      fs.mkdirSync(bundle);
      fs.writeFileSync(path.join(bundle, 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine, namespace: ml}\ndata: {a: "1"}\n');
      fs.writeFileSync(path.join(bundle, 'evil.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${JSON.stringify(name)}, namespace: ml}\ndata: {a: "2"}\n`);
      const out = path.join(root, 'deep', 'er', 'out');
      const before = filesUnder(root);
      const stderr = captureStream();
      const code = await runCli(['export', bundle, '--out', out, '--format', format], { stdout: captureStream(), stderr, env: { ...process.env, SLIPWAY_CONFIG_DIR: path.join(root, 'config') } });
      expect(code).toBe(2);
      expect(stderr.text()).toMatch(/not a valid Kubernetes name/);
      // Nothing new anywhere under the case folder (the settings folder aside), inside --out or out of it.
      expect(filesUnder(root).filter((f) => !f.startsWith('config'))).toEqual(before);
    });
  }

  it('still exports a bundle whose names are valid', async () => {
    const root = fs.mkdtempSync(path.join(tmp.dir, 'good-'));
    fs.mkdirSync(path.join(root, 'bundle'));
    fs.writeFileSync(path.join(root, 'bundle', 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: system.fine-1, namespace: ml}\ndata: {a: "1"}\n');
    const out = path.join(root, 'out');
    const code = await runCli(['export', path.join(root, 'bundle'), '--out', out, '--format', 'overlay'], { stdout: captureStream(), stderr: captureStream(), env: { ...process.env, SLIPWAY_CONFIG_DIR: path.join(root, 'config') } });
    expect(code).toBe(0);
    expect(filesUnder(out).some((f) => f.startsWith(path.join('base', '')) && f.includes('system.fine-1'))).toBe(true);
  });
});
