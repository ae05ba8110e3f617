import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stagePastedYaml } from './pasted-bundle';

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-pasted-'));
  dirs.push(dir);
  return path.join(dir, 'pasted');
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('stagePastedYaml', () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: s }\nstringData: { token: t }\n';

  it('writes the text to a private folder named by its hash: the same paste is the same bundle', () => {
    const root = tmp();
    const first = stagePastedYaml(root, yaml);
    expect(fs.readFileSync(path.join(first.path, 'pasted.yaml'), 'utf8')).toBe(yaml);
    expect(fs.statSync(path.join(first.path, 'pasted.yaml')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(first.path).mode & 0o777).toBe(0o700);
    expect(stagePastedYaml(root, yaml).path).toBe(first.path);
    expect(stagePastedYaml(root, `${yaml}# changed\n`).path).not.toBe(first.path);
  });

  it('refuses text that does not parse or holds nothing, writing nothing', () => {
    const root = tmp();
    expect(() => stagePastedYaml(root, 'kind: [ConfigMap\n')).toThrow(/does not parse \(line \d+\)/);
    expect(() => stagePastedYaml(root, '# just a comment\n')).toThrow(/holds no Kubernetes object/);
    expect(fs.existsSync(root)).toBe(false);
  });
});
