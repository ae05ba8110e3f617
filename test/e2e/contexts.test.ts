import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CONTROL_PLANE_BIN, requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { closedPort, startKubectlProxy, tempDir, writeKubeconfig, writePlainHttpKubeconfig } from '../support/fixtures';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';

const enabled = requireControlPlane('contexts e2e') && requireChromium('contexts e2e') && requireBuild('contexts e2e');

describe.runIf(enabled)('Clusters page in Chromium (serve mode)', () => {
  const tmp = tempDir();
  let cluster: TestCluster;
  let serve: ServeProcess;
  let browser: Browser;
  let proxy: Awaited<ReturnType<typeof startKubectlProxy>>;
  const marker = path.join(tmp.dir, 'exec-ran');

  beforeAll(async () => {
    cluster = await startCluster();
    const plugin = path.join(tmp.dir, 'token-helper');
    fs.writeFileSync(plugin, `#!/bin/sh\ntouch ${marker}\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'\n`, { mode: 0o755 });
    const others = writeKubeconfig(path.join(tmp.dir, 'others.yaml'), [
      { name: 'offline-lab', server: `https://127.0.0.1:${await closedPort()}` },
      { name: 'sso-cluster', server: cluster.server, exec: { command: plugin, args: ['login', '--profile', 'ml'] } },
    ]);
    const broken = path.join(tmp.dir, 'broken.yaml');
    fs.writeFileSync(broken, 'clusters: [\n');
    proxy = await startKubectlProxy(path.join(CONTROL_PLANE_BIN, 'kubectl'), cluster.kubeconfigPath);
    const plainHttp = writePlainHttpKubeconfig(path.join(tmp.dir, 'plain-http.yaml'), proxy.url, plugin);
    serve = await startServeProcess({
      ...process.env,
      KUBECONFIG: [cluster.kubeconfigPath, others, broken, plainHttp].join(path.delimiter),
      SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'),
      HOME: tmp.dir,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    proxy?.close();
    await cluster?.stop();
    tmp.cleanup();
  });

  it('lists contexts with reachability, the broken file, and asks consent before running an exec plugin', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(serve.url);
    // The token leaves the address bar once read.
    await expect.poll(() => page.url()).not.toContain('token=');

    const row = (name: string) => page.locator(`tr[data-context="${name}"]`);
    await expect.poll(() => row(cluster.contextName).textContent(), { timeout: 20_000 }).toContain('reachable · v1.34.4');
    await expect.poll(() => row('offline-lab').textContent(), { timeout: 20_000 }).toContain('unreachable');
    expect(await row('offline-lab').textContent()).toContain('connection refused');
    expect(await row('sso-cluster').textContent()).toContain('needs consent');
    // kubectl proxy on loopback: reachable, and marked plain HTTP; credentials in clear text to another machine: refused.
    await expect.poll(() => row('through-proxy').textContent(), { timeout: 20_000 }).toContain('reachable · v1.34.4');
    expect(await row('through-proxy').textContent()).toContain(`${proxy.url} plain HTTP`);
    expect(await row('remote-token').textContent()).toContain('refused: plain HTTP');
    expect(await row('remote-plugin').textContent()).toContain("does not send a credential plugin's token over it in clear text, nor run the plugin");
    expect(await page.getByRole('alert', { name: 'Kubeconfig problems' }).textContent()).toContain('broken.yaml');
    expect(fs.existsSync(marker)).toBe(false);

    await row('sso-cluster').getByRole('button', { name: 'Review credential plugin…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Allow this credential plugin to run?' });
    expect(await dialog.getByTestId('consent-command').textContent()).toBe(path.join(tmp.dir, 'token-helper'));
    expect(await dialog.getByTestId('consent-args').textContent()).toBe('login --profile ml');
    expect(fs.existsSync(marker)).toBe(false);
    await dialog.getByRole('button', { name: 'Allow and connect' }).click();
    await expect.poll(() => fs.existsSync(marker), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => row('sso-cluster').textContent(), { timeout: 20_000 }).toContain('credentials were rejected');
    expect(consoleErrors).toEqual([]);
    await page.screenshot({ path: path.join(tmp.dir, 'clusters.png') });
    fs.mkdirSync('test/e2e/screenshots', { recursive: true });
    fs.copyFileSync(path.join(tmp.dir, 'clusters.png'), 'test/e2e/screenshots/clusters.png');
  });

  it('shows how to get in when the page has no token', async () => {
    const page = await browser.newPage();
    await page.goto(serve.origin + '/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('needs its access token');
  });

  it('refuses a socket opened by a page of another origin, even one that knows the token', async () => {
    const evil = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<title>other site</title>'));
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
      const page = await browser.newPage();
      await page.goto(evilOrigin);
      const wsUrl = `${serve.origin.replace('http', 'ws')}/rpc?token=${new URL(serve.url).searchParams.get('token')}`;
      const outcome = await page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url);
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('refused');
          }),
        wsUrl,
      );
      expect(outcome).toBe('refused');
      await expect.poll(() => serve.output()).toContain(`foreign Origin ${evilOrigin}`);
    } finally {
      evil.close();
    }
  });
});
