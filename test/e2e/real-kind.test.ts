/**
 * Slipway in Chromium (serve mode) on a real kind cluster that the Create Cluster page makes on
 * the test Docker with the offline node image: live phases while it is created, then the logs of
 * a real container, a shell in it through the pod terminal, and an HPA scaling on real CPU load.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runCli } from '../../main/cli';
import k8sVersions from '../../scripts/k8s-versions.json';
import { CONTROL_PLANE_BIN, requireControlPlane } from '../support/control-plane';
import { captureStream, tempDir, writeKubeconfig } from '../support/fixtures';
import { requireRealKindCluster } from '../support/real-docker';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';

declare const window: { location: { hash: string } };

const setup = requireControlPlane('real kind e2e') && requireChromium('real kind e2e') && requireBuild('real kind e2e') ? requireRealKindCluster('real kind e2e') : null;
const exec = promisify(execFile);
const BUSYBOX = `docker.io/library/busybox:${k8sVersions.kindNode.busybox}`;

describe.runIf(setup)('Slipway on a real kind cluster in Chromium', () => {
  const name = `e2e-kind-${process.pid % 100_000}`;
  const context = `kind-${name}`;
  const image = `slipway-test/e2e-web:${process.pid}`;
  const tmp = tempDir('slipway-e2e-kind-');
  const kubeconfig = writeKubeconfig(path.join(tmp.dir, 'kubeconfig'), [{ name: 'prod', server: 'https://prod.example:6443' }]);
  const env = { HOME: tmp.dir, KUBECONFIG: kubeconfig, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'), PATH: setup!.path, DOCKER_HOST: setup!.dockerHost, SHELL: '/bin/bash' };
  const toolEnv = { ...process.env, ...env };
  const kubectl = async (...args: string[]) => (await exec(path.join(CONTROL_PLANE_BIN, 'kubectl'), ['--context', context, ...args], { env: toolEnv })).stdout;
  const slipway = async (...argv: string[]) => {
    const stderr = captureStream();
    const code = await runCli(argv, { stdout: captureStream(), stderr, env });
    return { code, stderr: stderr.text() };
  };
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const shot = async (file: string) => {
    fs.mkdirSync('test/e2e/screenshots', { recursive: true });
    await page.screenshot({ path: `test/e2e/screenshots/${file}.png`, fullPage: true });
  };

  beforeAll(async () => {
    serve = await startServeProcess(toolEnv);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(serve.url);
    await expect.poll(() => page.url()).not.toContain('token=');
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await slipway('cluster', 'delete', name);
    tmp.cleanup();
  }, 300_000);

  it('the Create Cluster page creates a real two-node kind cluster, with live phases', async () => {
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create cluster' }).waitFor();
    await page.getByLabel('kind').check();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Workers', { exact: true }).fill('1');
    await page.getByLabel('Node image (optional)').fill(setup!.image);
    const preflight = page.getByRole('region', { name: 'Preflight' });
    await expect.poll(() => preflight.getByRole('heading').textContent(), { timeout: 60_000 }).toContain('Ready to create');

    await page.getByRole('button', { name: 'Create cluster' }).click();
    await page.getByRole('region', { name: 'Progress' }).waitFor();
    // The phases as the page shows them while kind and Slipway work (polled, so a fast one may be missed).
    const phases = new Set<string>();
    const created = page.getByRole('status', { name: 'Cluster created' });
    const deadline = Date.now() + 600_000;
    while (!(await created.count()) && Date.now() < deadline) {
      const phase = await page.getByTestId('create-phase').textContent().catch(() => null);
      if (phase) phases.add(phase);
      await page.waitForTimeout(500);
    }
    await created.waitFor({ timeout: 1_000 });
    expect(phases.has('Creating nodes')).toBe(true);
    expect([...phases].at(-1) === 'Ready' || (await page.getByTestId('create-phase').textContent()) === 'Ready').toBe(true);
    const log = (await page.getByTestId('create-log').textContent()) ?? '';
    for (const line of ['Ensuring node image', 'Starting control-plane', 'Installing CNI', 'Installing StorageClass', 'Joining worker nodes', 'Applying metrics-server']) expect(log).toContain(line);
    expect(await created.textContent()).toContain(`context ${context}`);
    await shot('real-kind-created');
    // The cluster is real: two Ready nodes, as kubectl sees them.
    expect((await kubectl('get', 'nodes', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}')).trim()).toBe('True True');
  }, 660_000);

  it('shows the logs of a real container and runs a shell in it from the pod terminal', async () => {
    const ctx = path.join(tmp.dir, 'web');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'serve.sh'), 'echo "e2e web up on $(busybox hostname)"\nwhile sleep 2; do echo "tick $(busybox date +%s)"; done\n');
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${BUSYBOX}\nCOPY serve.sh /serve.sh\nCMD ["/bin/sh", "/serve.sh"]\n`);
    await exec('docker', ['build', '-q', '-t', image, ctx], { env: toolEnv });
    expect((await slipway('image', 'load', image, '--cluster', name)).code).toBe(0);
    await kubectl('create', 'deployment', 'web', `--image=${image}`);
    await kubectl('patch', 'deployment', 'web', '--type=json', '-p', '[{"op":"add","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"Never"}]');
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=180s');
    const pod = (await kubectl('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}')).trim();

    await page.evaluate(() => (window.location.hash = '#/workloads/pods'));
    const row = page.getByRole('row').filter({ hasText: pod });
    await row.waitFor({ timeout: 60_000 });
    await row.click();
    const logs = page.getByLabel(`Logs of ${pod}`).getByTestId('log-lines');
    await expect.poll(() => logs.textContent(), { timeout: 60_000 }).toContain(`e2e web up on ${pod}`);
    await expect.poll(async () => ((await logs.textContent()) ?? '').split('tick').length, { timeout: 30_000 }).toBeGreaterThan(2);
    await shot('real-kind-logs');

    await page.getByLabel(`Pod ${pod}`).getByRole('button', { name: 'Open terminal' }).click();
    const term = page.getByTestId('terminal');
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 30_000 }).not.toBe('connecting…');
    expect(await page.getByTestId('terminal-status').textContent()).not.toMatch(/^exited/);
    await term.click();
    await page.keyboard.type('echo "IN-$(busybox hostname)-$((6 * 7))"\n');
    await expect.poll(() => term.textContent(), { timeout: 30_000 }).toContain(`IN-${pod}-42`);
    await shot('real-kind-terminal');
  }, 400_000);

  it('shows an HPA scaling on real CPU load', async () => {
    await kubectl('create', 'deployment', 'burn', `--image=${image}`, '--', '/bin/sh', '-c', 'while :; do :; done');
    await kubectl('patch', 'deployment', 'burn', '--type=json', '-p', JSON.stringify([
      { op: 'add', path: '/spec/template/spec/containers/0/imagePullPolicy', value: 'Never' },
      { op: 'add', path: '/spec/template/spec/containers/0/resources', value: { requests: { cpu: '20m' }, limits: { cpu: '50m' } } },
    ]));
    await kubectl('autoscale', 'deployment', 'burn', '--cpu=50%', '--min=1', '--max=2');
    await page.evaluate(() => (window.location.hash = '#/workloads/hpa'));
    const row = page.getByRole('row').filter({ hasText: 'default/burn' });
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toContain('Deployment/burn');
    await expect.poll(() => row.getByTestId('hpa-replicas').textContent(), { timeout: 360_000, interval: 2_000 }).toBe('2 / 2');
    await row.click();
    const details = page.getByLabel('Autoscaler burn');
    await expect.poll(() => details.textContent(), { timeout: 60_000 }).toContain('SuccessfulRescale');
    await shot('real-kind-hpa');
    expect(consoleErrors).toEqual([]);
  }, 480_000);
});
