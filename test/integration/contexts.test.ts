import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli';
import { CONTROL_PLANE_BIN, requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { captureStream, closedPort, startBlackhole, startKubectlProxy, tempDir, testServices, writeKubeconfig, writePlainHttpKubeconfig } from '../support/fixtures';

const enabled = requireControlPlane('contexts integration');

describe.runIf(enabled)('contexts against real API servers', () => {
  let cluster: TestCluster;
  let blackholes: Awaited<ReturnType<typeof startBlackhole>>[];
  const tmp = tempDir();
  let env: NodeJS.ProcessEnv;
  const marker = path.join(tmp.dir, 'exec-plugin-ran');

  beforeAll(async () => {
    cluster = await startCluster();
    blackholes = [await startBlackhole(), await startBlackhole()];
    const refused = await closedPort();
    const plugin = path.join(tmp.dir, 'plugin.sh');
    fs.writeFileSync(plugin, `#!/bin/sh\ntouch ${marker}\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x"}}'\n`, { mode: 0o755 });
    const others = writeKubeconfig(path.join(tmp.dir, 'others.yaml'), [
      { name: 'refused', server: `https://127.0.0.1:${refused}` },
      { name: 'hangs-1', server: `https://127.0.0.1:${blackholes[0]!.port}` },
      { name: 'hangs-2', server: `https://127.0.0.1:${blackholes[1]!.port}` },
      { name: 'with-exec', server: cluster.server, exec: { command: plugin, args: ['--cluster', 'real'] } },
    ]);
    const broken = path.join(tmp.dir, 'broken.yaml');
    fs.writeFileSync(broken, 'apiVersion: v1\nclusters:\n  - name: x\n    cluster: [oops\n');
    env = { ...process.env, KUBECONFIG: [cluster.kubeconfigPath, broken, others].join(path.delimiter), HOME: tmp.dir };
  });

  afterAll(async () => {
    await cluster?.stop();
    await Promise.all(blackholes?.map((b) => b.close()) ?? []);
    tmp.cleanup();
  });

  it('probes every context in parallel: reachable, refused, timed out, needs consent', async () => {
    const services = testServices(env, path.join(tmp.dir, 'config'));
    try {
      const started = Date.now();
      const list = await services.contexts.list({ probe: true });
      const elapsed = Date.now() - started;
      const byName = Object.fromEntries(list.contexts.map((c) => [c.name, c]));
      expect(byName[cluster.contextName]).toMatchObject({ reachable: true, version: 'v1.34.4', error: null, current: true });
      expect(byName.refused).toMatchObject({ reachable: false });
      expect(byName.refused!.error).toMatch(/connection refused/);
      expect(byName['hangs-1']!.error).toMatch(/within 5 s/);
      expect(byName['hangs-2']!.error).toMatch(/within 5 s/);
      // Two 5 s deadlines in sequence would take 10 s; in parallel they take one.
      expect(elapsed).toBeLessThan(9_000);
      expect(byName['with-exec']).toMatchObject({ reachable: false, error: 'exec plugin needs consent' });
      expect(byName['with-exec']!.exec).toMatchObject({ command: path.join(tmp.dir, 'plugin.sh'), args: ['--cluster', 'real'], consented: false });
      expect(fs.existsSync(marker)).toBe(false);
      // The broken file is reported with its line, and did not hide the good ones.
      expect(list.problems).toHaveLength(1);
      expect(list.problems[0]!.file).toContain('broken.yaml');
      expect(list.problems[0]!.line).toBeGreaterThan(0);
    } finally {
      services.dispose();
    }
  });

  it('runs an exec plugin only after consent for exactly that command', async () => {
    const configDir = path.join(tmp.dir, 'config-consent');
    const services = testServices(env, configDir);
    try {
      const before = await services.contexts.list({ probe: true });
      const plugin = before.contexts.find((c) => c.name === 'with-exec')!.exec!;
      expect(fs.existsSync(marker)).toBe(false);
      await services.contexts.grantExecConsent(plugin);
      const after = await services.contexts.list({ probe: true });
      const ctx = after.contexts.find((c) => c.name === 'with-exec')!;
      expect(ctx.exec!.consented).toBe(true);
      expect(fs.existsSync(marker)).toBe(true);
      // The token is rejected by the cluster, but the plugin ran and the server answered.
      expect(ctx.error).toMatch(/credentials were rejected/);
      expect(ctx.reachable).toBe(true);
      // Consent was stored in the settings file, not in memory only.
      const stored = JSON.parse(fs.readFileSync(path.join(configDir, 'settings.json'), 'utf8'));
      expect(stored.execConsents).toHaveLength(1);
    } finally {
      services.dispose();
      fs.rmSync(marker, { force: true });
    }
  });

  it('`slipway contexts --json` prints the documented shape and warns about the broken file on stderr', async () => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(['contexts', '--json'], { stdout, stderr, env: { ...env, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'cli-config') } });
    expect(code).toBe(0);
    const out = JSON.parse(stdout.text());
    expect(Object.keys(out.contexts[0]).sort()).toEqual(['current', 'error', 'name', 'namespace', 'plainHttp', 'reachable', 'server', 'user', 'version']);
    expect(out.contexts.find((c: { name: string }) => c.name === cluster.contextName).reachable).toBe(true);
    expect(out.contexts.find((c: { name: string }) => c.name === 'with-exec').error).toBe('exec plugin needs consent');
    expect(stderr.text()).toMatch(/broken\.yaml:\d+: invalid YAML/);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('`--allow-exec` runs the plugin for that invocation only', async () => {
    const stdout = captureStream();
    const code = await runCli(['contexts', '--json', '--allow-exec'], { stdout, stderr: captureStream(), env: { ...env, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'cli-config2') } });
    expect(code).toBe(0);
    expect(fs.existsSync(marker)).toBe(true);
    const settings = path.join(tmp.dir, 'cli-config2', 'settings.json');
    expect(fs.existsSync(settings) ? JSON.parse(fs.readFileSync(settings, 'utf8')).execConsents ?? [] : []).toEqual([]);
  });

  it('reaches a plain-HTTP server (the real `kubectl proxy` on loopback) and refuses credentials in clear text to another machine', async () => {
    fs.rmSync(marker, { force: true }); // the --allow-exec test ran the plugin
    // kubectl proxy holds the cluster's credentials and serves the API without TLS on a port it picks.
    const proxy = await startKubectlProxy(path.join(CONTROL_PLANE_BIN, 'kubectl'), cluster.kubeconfigPath);
    const port = proxy.port;
    try {
      const file = writePlainHttpKubeconfig(path.join(tmp.dir, 'plain-http.yaml'), proxy.url, path.join(tmp.dir, 'plugin.sh'));
      const plainEnv = { ...env, KUBECONFIG: file };
      const services = testServices(plainEnv, path.join(tmp.dir, 'config-plain'), { allowExec: true });
      try {
        const list = await services.contexts.list({ probe: true });
        const byName = Object.fromEntries(list.contexts.map((c) => [c.name, c]));
        expect(byName['through-proxy']).toMatchObject({ server: `http://127.0.0.1:${port}`, plainHttp: true, reachable: true, version: 'v1.34.4', error: null });
        for (const name of ['remote-token', 'remote-plugin']) {
          expect(byName[name]).toMatchObject({ plainHttp: true, reachable: null });
          expect(byName[name]!.error).toContain('is plain HTTP to another machine');
          await expect(services.clients.forContext(name)).rejects.toMatchObject({ code: 'INSECURE_CONNECTION' });
        }
        expect(byName['remote-plugin']!.error).toContain('a credential plugin');
        // Even with --allow-exec the plugin never ran.
        expect(fs.existsSync(marker)).toBe(false);
        // The promotion path reads through the same proxy.
        const client = await services.clients.forContext('through-proxy');
        expect((await client.request<{ items: unknown[] }>({ path: '/api/v1/namespaces' })).body.items.length).toBeGreaterThan(0);
      } finally {
        services.dispose();
      }
      const stdout = captureStream();
      const code = await runCli(['contexts'], { stdout, stderr: captureStream(), env: { ...plainEnv, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'cli-plain') } });
      expect(code).toBe(0);
      const row = stdout.text().split('\n').find((l) => l.includes('through-proxy'))!;
      expect(row).toContain(`http://127.0.0.1:${port} (plain HTTP)`);
      expect(row).toContain('ok v1.34.4');
      expect(stdout.text().split('\n').find((l) => l.includes('remote-token'))).toContain('plain HTTP to another machine');
    } finally {
      proxy.close();
    }
  });
});
