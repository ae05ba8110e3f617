/**
 * Adversarial: exec credential plugins run by Slipway itself, against a real API server. A
 * plugin that prints a real ServiceAccount token or the cluster's real admin certificate is
 * accepted by the server and run once until its credential expires; a plugin that hangs (with a
 * child of its own) fails within the deadline and leaves no process behind; one that prints
 * garbage or exits non-zero fails with a code and a message naming the command.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKubeconfig } from '../../../main/kube/kubeconfig-parse';
import type { Services } from '../../../main/services';
import { requireControlPlane } from '../../support/control-plane';
import { startCluster, type TestCluster } from '../../support/cluster-harness';
import { tempDir, testServices } from '../../support/fixtures';

const enabled = requireControlPlane('adversarial: exec credential plugins');

/** Short, so the hung plugin's test takes seconds; the product default is 30 s. */
const DEADLINE_MS = 1_500;

/** Whether a pid names a live process (a zombie awaiting its reaper is not alive). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe.runIf(enabled)('adversarial: exec credential plugins', () => {
  let cluster: TestCluster;
  const tmp = tempDir();
  const kubeconfig = path.join(tmp.dir, 'kubeconfig.yaml');
  const bin = path.join(tmp.dir, 'bin');
  const runs = (name: string) => (fs.existsSync(path.join(tmp.dir, `${name}.runs`)) ? fs.readFileSync(path.join(tmp.dir, `${name}.runs`), 'utf8').split('\n').filter(Boolean).length : 0);
  let services: Services;

  /** A plugin script that counts its runs in `<name>.runs`, then runs `body`. */
  const plugin = (name: string, body: string) => {
    const file = path.join(bin, name);
    fs.writeFileSync(file, `#!/bin/sh\necho run >> ${path.join(tmp.dir, `${name}.runs`)}\n${body}\n`, { mode: 0o755 });
    return file;
  };
  /** An ExecCredential as a plugin prints it (JSON in a file the script cats). */
  const credentialFile = (name: string, status: Record<string, unknown>, apiVersion = 'client.authentication.k8s.io/v1') => {
    const file = path.join(tmp.dir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify({ apiVersion, kind: 'ExecCredential', status }));
    return file;
  };

  beforeAll(async () => {
    cluster = await startCluster();
    fs.mkdirSync(bin);
    const parsed = parseKubeconfig(cluster.kubeconfigPath, fs.readFileSync(cluster.kubeconfigPath, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const admin = parsed.config.users![0]!.user;
    const pem = (data: string | undefined, file: string | undefined) => (data ? Buffer.from(data, 'base64').toString('utf8') : fs.readFileSync(file!, 'utf8'));
    // A real token the server issues and accepts: a ServiceAccount's, from the TokenRequest API.
    await cluster.kubectl(['create', 'serviceaccount', 'exec-plugin', '-n', 'default']);
    const token = (await cluster.kubectl(['create', 'token', 'exec-plugin', '-n', 'default', '--duration', '1h'])).trim();
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const plugins = {
      token: plugin('token-plugin', `cat ${credentialFile('token', { token, expirationTimestamp: inAnHour })}`),
      cert: plugin('cert-plugin', `cat ${credentialFile('cert', { clientCertificateData: pem(admin['client-certificate-data'], admin['client-certificate']), clientKeyData: pem(admin['client-key-data'], admin['client-key']) }, 'client.authentication.k8s.io/v1beta1')}`),
      expired: plugin('expired-plugin', `cat ${credentialFile('expired', { token, expirationTimestamp: '2020-01-01T00:00:00Z' })}`),
      // A login prompt that never gets an answer, with a child of its own holding stdout open.
      hang: plugin('hang-plugin', `echo $$ > ${path.join(tmp.dir, 'hang.pid')}\nsleep 100000 &\necho $! > ${path.join(tmp.dir, 'hang-child.pid')}\nwait`),
      garbage: plugin('garbage-plugin', 'echo "Please visit https://login.example to sign in"'),
      failing: plugin('failing-plugin', 'echo "error: no SSO session, run aws sso login" >&2\nexit 3'),
    };
    const exec = (command: string, apiVersion = 'client.authentication.k8s.io/v1') => [`    exec:`, `      apiVersion: ${apiVersion}`, `      command: ${command}`, `      args: ["--for", "slipway"]`, `      interactiveMode: Never`];
    fs.writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: c',
        '  cluster:',
        `    server: ${cluster.server}`,
        '    insecure-skip-tls-verify: true',
        'users:',
        ...Object.entries(plugins).flatMap(([name, command]) => [`- name: ${name}`, '  user:', ...exec(command, name === 'cert' ? 'client.authentication.k8s.io/v1beta1' : undefined)]),
        'contexts:',
        ...Object.keys(plugins).map((name) => `- {name: ${name}, context: {cluster: c, user: ${name}}}`),
        '',
      ].join('\n'),
    );
    services = testServices({ ...process.env, KUBECONFIG: kubeconfig, HOME: tmp.dir }, path.join(tmp.dir, 'config'), { execTimeoutMs: DEADLINE_MS });
    // Consent as the Clusters page gives it: every check before a run still applies.
    for (const ctx of (await services.contexts.list({ probe: false })).contexts) await services.contexts.grantExecConsent({ key: ctx.exec!.key });
  });
  afterAll(async () => {
    services?.dispose();
    await cluster?.stop();
    tmp.cleanup();
  });

  /** Who the server says the caller is (SelfSubjectReview needs an accepted credential). */
  const whoAmI = async (context: string) => {
    const client = await services.clients.forContext(context);
    const res = await client.request<{ status: { userInfo: { username: string } } }>({
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      method: 'POST',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    return res.body.status.userInfo.username;
  };

  it('a token plugin: the server accepts the token, and the plugin runs once until it expires', async () => {
    expect(await whoAmI('token')).toBe('system:serviceaccount:default:exec-plugin');
    expect(await whoAmI('token')).toBe('system:serviceaccount:default:exec-plugin');
    expect(runs('token-plugin')).toBe(1);
    // Already expired when printed: nothing to keep, so every request asks the plugin again.
    expect(await whoAmI('expired')).toBe('system:serviceaccount:default:exec-plugin');
    expect(await whoAmI('expired')).toBe('system:serviceaccount:default:exec-plugin');
    expect(runs('expired-plugin')).toBe(2);
  });

  it('a certificate plugin (v1beta1): the server accepts the client certificate', async () => {
    const client = await services.clients.forContext('cert');
    const namespaces = await client.request<{ items: { metadata: { name: string } }[] }>({ path: '/api/v1/namespaces' });
    expect(namespaces.body.items.map((n) => n.metadata.name)).toContain('kube-system');
    expect(await whoAmI('cert')).not.toMatch(/anonymous/);
  });

  it('a hung plugin fails within the deadline naming the command, and it and its child are killed', async () => {
    const client = await services.clients.forContext('hang');
    const started = Date.now();
    const error = await client.request({ path: '/version' }).then(
      () => null,
      (e: unknown) => e,
    );
    const took = Date.now() - started;
    expect(error).toMatchObject({ code: 'TIMEOUT', details: { command: path.join(bin, 'hang-plugin'), timeoutMs: DEADLINE_MS } });
    expect((error as Error).message).toBe(`hang: the credential plugin "${path.join(bin, 'hang-plugin')} --for slipway" did not answer within 1.5 s and was stopped.`);
    // Well under the 30 s request deadline: the plugin's own deadline ended it.
    expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(took).toBeLessThan(10_000);
    const pid = Number(fs.readFileSync(path.join(tmp.dir, 'hang.pid'), 'utf8'));
    const child = Number(fs.readFileSync(path.join(tmp.dir, 'hang-child.pid'), 'utf8'));
    expect(pid).toBeGreaterThan(1);
    expect(child).toBeGreaterThan(1);
    await expect.poll(() => [alive(pid), alive(child)], { timeout: 5_000 }).toEqual([false, false]);
  });

  it('a plugin that prints garbage fails with EXEC_PLUGIN_FAILED naming the command and what it printed', async () => {
    const client = await services.clients.forContext('garbage');
    await expect(client.request({ path: '/version' })).rejects.toMatchObject({
      code: 'EXEC_PLUGIN_FAILED',
      message: `garbage: the credential plugin "${path.join(bin, 'garbage-plugin')} --for slipway" printed no ExecCredential JSON (it printed "Please visit https://login.example to sign in").`,
      fix: expect.stringContaining(`Run "${path.join(bin, 'garbage-plugin')} --for slipway" in a terminal`),
    });
  });

  it('a plugin that exits non-zero fails with its own words', async () => {
    const client = await services.clients.forContext('failing');
    await expect(client.request({ path: '/version' })).rejects.toMatchObject({
      code: 'EXEC_PLUGIN_FAILED',
      message: `failing: the credential plugin "${path.join(bin, 'failing-plugin')} --for slipway" exited with code 3: error: no SSO session, run aws sso login`,
      details: { reason: 'exit', exitCode: 3 },
    });
    // The Clusters page shows the same words for the context.
    const listed = (await services.contexts.list({ probe: true })).contexts.find((c) => c.name === 'failing')!;
    expect(listed.error).toContain('exited with code 3: error: no SSO session');
  });
});
