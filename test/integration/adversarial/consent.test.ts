/**
 * Adversarial: credential plugins never run without consent for exactly what runs. Each test
 * replays an attack from issue 10 against a real API server and real kubeconfig files, and
 * asserts through marker files that the attacker's program never ran.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../main/cli';
import type { Services } from '../../../main/services';
import { requireControlPlane } from '../../support/control-plane';
import { startCluster, type TestCluster } from '../../support/cluster-harness';
import { captureStream, tempDir, testServices } from '../../support/fixtures';

const enabled = requireControlPlane('adversarial: credential consent');

const CREDENTIAL = '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x"}}';

describe.runIf(enabled)('adversarial: credential consent', () => {
  let cluster: TestCluster;
  const tmp = tempDir();
  const kubeconfig = path.join(tmp.dir, 'kubeconfig.yaml');
  const markers = { good: path.join(tmp.dir, 'ran-good'), evil: path.join(tmp.dir, 'ran-evil'), gcp: path.join(tmp.dir, 'ran-gcp') };
  const goodDir = path.join(tmp.dir, 'good-bin');
  const evilDir = path.join(tmp.dir, 'evil-bin');
  const savedPath = process.env.PATH;
  const open: Services[] = [];
  const services = (configDir: string, options: { allowExec?: boolean } = {}) => {
    const s = testServices({ ...process.env, KUBECONFIG: kubeconfig, HOME: tmp.dir }, path.join(tmp.dir, configDir), options);
    open.push(s);
    return s;
  };

  /** Writes the kubeconfig with one context `ctx` whose user is `user` (YAML lines, indented 4). */
  const writeUser = (user: string[]) => {
    fs.writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: ctx',
        'clusters:',
        '- name: c',
        '  cluster:',
        `    server: ${cluster.server}`,
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: u',
        '  user:',
        ...user.map((l) => `    ${l}`),
        'contexts:',
        '- name: ctx',
        '  context: {cluster: c, user: u}',
        '',
      ].join('\n'),
    );
  };
  const plainExec = ['exec:', '  apiVersion: client.authentication.k8s.io/v1', '  command: slipway-test-cred', '  args: ["--cluster", "real"]', '  interactiveMode: Never'];
  const ctxOf = async (s: Services) => (await s.contexts.list({ probe: true })).contexts.find((c) => c.name === 'ctx')!;
  const grantListed = async (s: Services) => {
    const ctx = await ctxOf(s);
    await s.contexts.grantExecConsent({ key: ctx.exec!.key });
  };

  beforeAll(async () => {
    cluster = await startCluster();
    for (const [dir, marker] of [
      [goodDir, markers.good],
      [evilDir, markers.evil],
    ] as const) {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'slipway-test-cred'), `#!/bin/sh\ntouch ${marker}\necho '${CREDENTIAL}'\n`, { mode: 0o755 });
    }
    fs.writeFileSync(path.join(tmp.dir, 'gcloud'), `#!/bin/sh\ntouch ${markers.gcp}\necho '{"credential":{"access_token":"x"}}'\n`, { mode: 0o755 });
    // The consented plugin is found on PATH, as `aws` or `gke-gcloud-auth-plugin` are.
    process.env.PATH = `${goodDir}${path.delimiter}${savedPath}`;
  });
  beforeEach(() => Object.values(markers).forEach((m) => fs.rmSync(m, { force: true })));
  afterAll(async () => {
    process.env.PATH = savedPath;
    open.forEach((s) => s.dispose());
    await cluster?.stop();
    tmp.cleanup();
  });

  it('an env entry added after consent (PATH pointing at another program) asks again and runs nothing', async () => {
    writeUser(plainExec);
    const s = services('config-env');
    await grantListed(s);
    expect((await ctxOf(s)).error).toMatch(/credentials were rejected/);
    expect(fs.existsSync(markers.good)).toBe(true);
    fs.rmSync(markers.good);

    writeUser([...plainExec, '  env:', `  - {name: PATH, value: "${evilDir}"}`]);
    const ctx = await ctxOf(s);
    expect(ctx.error).toBe('exec plugin needs consent');
    expect(ctx.exec).toMatchObject({ consented: false, env: [{ name: 'PATH', value: evilDir }] });
    await expect(s.clients.forContext('ctx')).rejects.toMatchObject({ code: 'EXEC_CONSENT_REQUIRED' });
    expect(fs.existsSync(markers.evil)).toBe(false);
    expect(fs.existsSync(markers.good)).toBe(false);
  });

  it('an argument list rewritten to the same words (one argument with a space) asks again', async () => {
    writeUser(plainExec);
    const s = services('config-args');
    await grantListed(s);
    expect((await ctxOf(s)).exec!.consented).toBe(true);
    expect(fs.existsSync(markers.good)).toBe(true);
    fs.rmSync(markers.good);
    writeUser(plainExec.map((l) => (l.includes('args:') ? '  args: ["--cluster real"]' : l)));
    expect((await ctxOf(s)).error).toBe('exec plugin needs consent');
    expect(fs.existsSync(markers.good)).toBe(false);
  });

  it('consent to the exec of a user that also has a gcp auth-provider never runs the gcp helper', async () => {
    writeUser([...plainExec, 'auth-provider:', '  name: gcp', '  config:', `    cmd-path: ${path.join(tmp.dir, 'gcloud')}`, '    cmd-args: config config-helper', "    token-key: '{.credential.access_token}'"]);
    const s = services('config-both');
    const before = await ctxOf(s);
    expect(before.exec).toMatchObject({ kind: 'exec', command: 'slipway-test-cred' });
    await grantListed(s);
    const after = await ctxOf(s);
    // The consented exec ran and the server answered; the provider was stripped, not attempted.
    expect(after.error).toMatch(/credentials were rejected/);
    expect(fs.existsSync(markers.good)).toBe(true);
    expect(fs.existsSync(markers.gcp)).toBe(false);
  });

  it('a gcp auth-provider alone is refused with the fix kubectl gives, even with --allow-exec, and nothing runs', async () => {
    writeUser(['auth-provider:', '  name: gcp', '  config:', `    cmd-path: ${path.join(tmp.dir, 'gcloud')}`, '    cmd-args: config config-helper']);
    const s = services('config-gcp', { allowExec: true });
    const ctx = await ctxOf(s);
    expect(ctx.error).toMatch(/"gcp" auth-provider is not supported/);
    await expect(s.clients.forContext('ctx')).rejects.toMatchObject({ code: 'UNAUTHORIZED', fix: expect.stringContaining('gke-gcloud-auth-plugin') });
    expect(fs.existsSync(markers.gcp)).toBe(false);
  });

  it('a grant for a stanza that changed since it was listed is refused', async () => {
    writeUser(plainExec);
    const s = services('config-stale');
    const shown = (await ctxOf(s)).exec!;
    writeUser([...plainExec, '  env:', `  - {name: LD_PRELOAD, value: "${path.join(evilDir, 'x.so')}"}`]);
    await expect(s.contexts.grantExecConsent({ key: shown.key })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(s.settings.get().execConsents).toEqual([]);
  });

  it('a consent revoked in the app stops a running serve process at once, and its next write does not restore it', async () => {
    writeUser(plainExec);
    const app = services('config-shared');
    const serve = services('config-shared');
    await grantListed(app);
    const client = await serve.clients.forContext('ctx');
    await expect(client.request({ path: '/version' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(fs.existsSync(markers.good)).toBe(true);
    fs.rmSync(markers.good);
    const heard = vi.fn();
    serve.settings.onDidChange(heard);

    const key = (await app.contexts.list({ probe: false })).contexts.find((c) => c.name === 'ctx')!.exec!.key;
    expect(app.contexts.revokeExecConsent({ key })).toBe(true);
    // The client serve built while consent stood refuses before the plugin can run again.
    await expect(client.request({ path: '/version' })).rejects.toMatchObject({ code: 'EXEC_CONSENT_REQUIRED' });
    expect((await ctxOf(serve)).exec!.consented).toBe(false);
    expect(fs.existsSync(markers.good)).toBe(false);
    // serve hears of the change through its file watch.
    await vi.waitFor(() => expect(heard).toHaveBeenCalled());
    expect(heard.mock.calls.at(-1)![0].execConsents).toEqual([]);
    // serve's next write starts from the file as it is now.
    serve.settings.update({ theme: 'dark' });
    const stored = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'config-shared', 'settings.json'), 'utf8'));
    expect(stored).toMatchObject({ theme: 'dark', execConsents: [] });
  });

  it('`slipway serve --allow-exec` is refused', async () => {
    const stderr = captureStream();
    const code = await runCli(['serve', '--allow-exec', '--port', '0'], { stdout: captureStream(), stderr, env: { ...process.env, KUBECONFIG: kubeconfig, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config-serve') } });
    expect(code).toBe(2);
    expect(stderr.text()).toMatch(/serve does not take --allow-exec/);
  });
});
