import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { moveServerPort, removeKubeconfigEntries, withoutEntries, withServerPort } from './kubeconfig-entry';
import { editKubeconfigFile } from '../../kube/kubeconfig-write';
import { tempDir } from '../../../test/support/fixtures';

const text = `# my clusters
apiVersion: v1
kind: Config
current-context: kwok-demo
clusters:
- name: prod
  cluster: {server: https://prod}
- name: kwok-demo
  cluster: {server: https://127.0.0.1:32764}
users:
- name: prod
  user: {token: t}
- name: kwok-demo
  user: {client-certificate: /x/admin.crt}
contexts:
- name: prod
  context: {cluster: prod, user: prod}
- name: kwok-demo
  context: {cluster: kwok-demo, user: kwok-demo}
`;

describe('removing a cluster from a kubeconfig', () => {
  it('removes only its cluster, user and context, and the current-context pointing at it', () => {
    const next = withoutEntries(text, 'kwok-demo')!;
    const config = parse(next);
    expect(config.clusters.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(config.users.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(config.contexts.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(config['current-context']).toBe('');
    expect(next).toContain('# my clusters');
  });

  it('keeps another current context and reports nothing to do for absent names', () => {
    const other = text.replace('current-context: kwok-demo', 'current-context: prod');
    expect(parse(withoutEntries(other, 'kwok-demo')!)['current-context']).toBe('prod');
    expect(withoutEntries(text, 'kwok-other')).toBeNull();
    expect(withoutEntries('not: [valid', 'kwok-demo')).toBeNull();
  });
});

describe('moving a kwok cluster to another port', () => {
  it('changes only that cluster’s server, keeping the comment and the others', () => {
    const next = withServerPort(text, 'kwok-demo', 32764, 32001)!;
    expect(next).toContain('# my clusters');
    const config = parse(next);
    expect(config.clusters).toEqual([
      { name: 'prod', cluster: { server: 'https://prod' } },
      { name: 'kwok-demo', cluster: { server: 'https://127.0.0.1:32001' } },
    ]);
    expect(config.users).toEqual(parse(text).users);
  });

  it('leaves a server the user changed, another port, and an absent cluster alone', () => {
    expect(withServerPort(text, 'kwok-demo', 32000, 32001)).toBeNull();
    expect(withServerPort(text, 'prod', 32764, 32001)).toBeNull();
    expect(withServerPort(text, 'kwok-other', 32764, 32001)).toBeNull();
    expect(withServerPort('not: [valid', 'kwok-demo', 32764, 32001)).toBeNull();
  });
});

describe('editing the user\'s kubeconfig file', () => {
  const dirs: { cleanup(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
  const file = () => {
    const t = tempDir();
    dirs.push(t);
    const f = path.join(t.dir, 'config');
    fs.writeFileSync(f, text, { mode: 0o600 });
    fs.chmodSync(f, 0o600);
    return f;
  };

  it('replaces the file atomically (a new inode, never half written) and keeps its 0600 mode', async () => {
    const f = file();
    const before = fs.statSync(f).ino;
    expect(await moveServerPort(f, 'kwok-demo', 32764, 40000)).toBe(true);
    const after = fs.statSync(f);
    expect(after.ino).not.toBe(before);
    expect(after.mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(f, 'utf8')).toContain('https://127.0.0.1:40000');
    expect(fs.readdirSync(path.dirname(f))).toEqual(['config']);
  });

  it('waits for kubectl\'s lock and edits what kubectl wrote, so neither change is lost', async () => {
    const f = file();
    // kubectl (client-go) holds <file>.lock while it rewrites the file.
    fs.writeFileSync(`${f}.lock`, '');
    const ours = removeKubeconfigEntries(f, 'kwok-demo');
    const theirs = fs.readFileSync(f, 'utf8').replace('https://prod', 'https://prod-2');
    fs.writeFileSync(f, theirs);
    fs.rmSync(`${f}.lock`);
    expect(await ours).toBe(true);
    const result = fs.readFileSync(f, 'utf8');
    expect(result).toContain('https://prod-2');
    expect(result).not.toContain('kwok-demo');
    expect(fs.existsSync(`${f}.lock`)).toBe(false);
  });

  it('gives up with TIMEOUT naming the lock when another writer never lets go, leaving the file as it was', async () => {
    const f = file();
    fs.writeFileSync(`${f}.lock`, '');
    await expect(editKubeconfigFile(f, () => 'changed', { timeoutMs: 150 })).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining(`${f}.lock`) });
    expect(fs.readFileSync(f, 'utf8')).toBe(text);
  });

  it('edits a symlinked kubeconfig where the link points, keeping the link', async () => {
    const f = file();
    const link = path.join(path.dirname(f), 'link');
    fs.symlinkSync(f, link);
    expect(await moveServerPort(link, 'kwok-demo', 32764, 40001)).toBe(true);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(f, 'utf8')).toContain('https://127.0.0.1:40001');
  });
});
