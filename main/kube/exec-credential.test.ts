import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecCredentialSource, applyExecCredential, parseExecCredential, runExecPlugin, type ExecStanza } from './exec-credential';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-exec-cred-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A real shell-script plugin; returns its stanza. */
function script(name: string, body: string, extra: Partial<ExecStanza> = {}): ExecStanza {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return { command: file, args: ['get-token'], env: [], ...extra };
}
const v1 = (status: Record<string, unknown>) => JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status });
const stanza: ExecStanza = { command: 'aws', args: ['eks', 'get-token'], env: [] };

describe('parseExecCredential', () => {
  it('reads a token, a certificate pair and the expiry', () => {
    expect(parseExecCredential(v1({ token: 't', expirationTimestamp: '2030-01-01T00:00:00Z' }), stanza, 'ctx')).toEqual({ token: 't', clientCertificateData: undefined, clientKeyData: undefined, expiresAt: Date.UTC(2030, 0, 1) });
    const beta = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { clientCertificateData: 'C', clientKeyData: 'K' } });
    expect(parseExecCredential(beta, stanza, 'ctx')).toMatchObject({ clientCertificateData: 'C', clientKeyData: 'K', expiresAt: null });
  });

  it('refuses anything else with EXEC_PLUGIN_FAILED naming the command', () => {
    const cases: [string, RegExp][] = [
      ['', /"aws eks get-token" printed no ExecCredential JSON \(it printed nothing\)/],
      ['Open https://sso to log in', /printed no ExecCredential JSON \(it printed "Open https:\/\/sso to log in"\)/],
      ['{"kind":"Secret","apiVersion":"v1"}', /printed Secret of apiVersion v1, not an ExecCredential/],
      [v1({}), /neither a token nor a client certificate/],
      [v1({ clientCertificateData: 'C' }), /certificate without its key/],
      [v1({ token: 't', expirationTimestamp: 'soon' }), /expirationTimestamp that is not a time \("soon"\)/],
    ];
    for (const [stdout, message] of cases) {
      expect(() => parseExecCredential(stdout, stanza, 'ctx')).toThrow(expect.objectContaining({ code: 'EXEC_PLUGIN_FAILED', message: expect.stringMatching(message), details: expect.objectContaining({ command: 'aws' }) }));
    }
    // kubectl insists on the apiVersion the kubeconfig asks for.
    expect(() => parseExecCredential(v1({ token: 't' }), { ...stanza, apiVersion: 'client.authentication.k8s.io/v1beta1' }, 'ctx')).toThrow(/answered in client.authentication.k8s.io\/v1, but the kubeconfig asks for client.authentication.k8s.io\/v1beta1/);
  });
});

describe('runExecPlugin', () => {
  it('passes the arguments, the env entries and KUBERNETES_EXEC_INFO, with no stdin', async () => {
    const plugin = script('echo-env', `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s|%s|%s"}}' "$1" "$REGION" "$(echo "$KUBERNETES_EXEC_INFO" | tr -d '"')"`, { env: [{ name: 'REGION', value: 'eu-1' }] });
    const credential = await runExecPlugin(plugin, 'ctx');
    expect(credential.token).toBe('get-token|eu-1|{apiVersion:client.authentication.k8s.io/v1,kind:ExecCredential,spec:{interactive:false}}');
  });

  it('kills a hung plugin and its children at the deadline', async () => {
    const pids = path.join(dir, 'hung.pids');
    const plugin = script('hung', `echo $$ > ${pids}\nsleep 100000 &\necho $! >> ${pids}\nwait`);
    await expect(runExecPlugin(plugin, 'ctx', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT', message: `ctx: the credential plugin "${plugin.command} get-token" did not answer within 0.3 s and was stopped.` });
    const [shell, sleeper] = fs.readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    const alive = (pid: number) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
      } catch {
        return false;
      }
    };
    await expect.poll(() => [alive(shell!), alive(sleeper!)], { timeout: 3_000 }).toEqual([false, false]);
  });

  it('fails at the deadline even when a grandchild left the group and holds stdout open', async () => {
    const escaped = path.join(dir, 'escaped.pid');
    // setsid puts the sleeper in a session of its own: the group kill cannot reach it.
    const plugin = script('escapes', `setsid sh -c 'echo $$ > ${escaped}; exec sleep 100000' &\nwait`);
    const started = Date.now();
    try {
      await expect(runExecPlugin(plugin, 'ctx', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await expect.poll(() => fs.existsSync(escaped) && fs.readFileSync(escaped, 'utf8').trim() !== '').toBe(true);
      process.kill(Number(fs.readFileSync(escaped, 'utf8')), 'SIGKILL');
    }
  });

  it('stops a running plugin when its source is disposed', async () => {
    const source = new ExecCredentialSource(script('slow', 'sleep 100000'), 'ctx');
    const pending = source.get();
    source.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('reports a missing command and a non-zero exit in the plugin\'s words', async () => {
    await expect(runExecPlugin({ command: path.join(dir, 'nope'), args: [], env: [] }, 'ctx')).rejects.toMatchObject({ code: 'EXEC_PLUGIN_FAILED', message: expect.stringContaining('nope" was not found.') });
    await expect(runExecPlugin(script('fails', 'echo "token expired" >&2\nexit 2'), 'ctx')).rejects.toMatchObject({ code: 'EXEC_PLUGIN_FAILED', message: expect.stringMatching(/exited with code 2: token expired$/) });
  });
});

describe('ExecCredentialSource', () => {
  const counted = (name: string, status: Record<string, unknown>) => {
    const runs = path.join(dir, `${name}.runs`);
    return { plugin: script(name, `echo run >> ${runs}\nsleep 0.2\necho '${v1(status)}'`), runs: () => fs.readFileSync(runs, 'utf8').split('\n').filter(Boolean).length };
  };

  it('shares one run among concurrent callers and keeps the credential until it expires', async () => {
    const expiry = Date.now() + 60_000;
    const { plugin, runs } = counted('cached', { token: 't', expirationTimestamp: new Date(expiry).toISOString() });
    const source = new ExecCredentialSource(plugin, 'ctx');
    const [a, b] = await Promise.all([source.get(), source.get()]);
    expect([a.token, b.token, runs()]).toEqual(['t', 't', 1]);
    await source.get();
    expect(runs()).toBe(1);
    // Past the expiry, and after the server said 401, the plugin runs again.
    await source.get(expiry + 1);
    expect(runs()).toBe(2);
    source.invalidate();
    await source.get();
    expect(runs()).toBe(3);
    source.dispose();
  });

  it('asks the gate before every run, so a revoked consent stops the next one', async () => {
    const { plugin, runs } = counted('gated', { token: 't' });
    let allowed = true;
    const source = new ExecCredentialSource(plugin, 'ctx', () => {
      if (!allowed) throw new Error('no consent');
    });
    await source.get();
    source.invalidate();
    allowed = false;
    expect(() => source.get()).toThrow('no consent');
    expect(runs()).toBe(1);
    source.dispose();
  });
});

describe('applyExecCredential', () => {
  it('sets the bearer header and the TLS pair as client-node would', () => {
    const options: { cert?: unknown; key?: unknown; headers?: unknown } = { headers: { 'X-A': '1' } };
    applyExecCredential(options, { token: 't', clientCertificateData: 'C', clientKeyData: 'K', expiresAt: null });
    expect(options).toEqual({ headers: { 'X-A': '1', Authorization: 'Bearer t' }, cert: 'C', key: 'K' });
  });
});
