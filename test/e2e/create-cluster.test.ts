/**
 * The Create Cluster page in Chromium against `slipway serve`, with the kind shim backed by a
 * real simulated control plane: fill the form, see the detected GPUs and preflight, create, follow
 * the phases and log, and find the new cluster in the list with its context selected.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { requireControlPlane, CONTROL_PLANE_BIN } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { makeShims, type ShimSetup } from '../support/shims';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';

const enabled = requireControlPlane('create cluster e2e') && requireChromium('create cluster e2e') && requireBuild('create cluster e2e');

describe.runIf(enabled)('Create Cluster page in Chromium (kind shim on a simulated control plane)', () => {
  let backing: TestCluster;
  let shims: ShimSetup;
  let serve: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    backing = await startCluster();
    shims = makeShims({
      tools: ['docker', 'kind', 'k3d', 'nvidia-smi', 'nvidia-ctk'],
      nvidiaSmi: 'eight-gpus',
      dockerRuntime: 'nvidia',
      backingKubeconfig: backing.kubeconfigPath,
      kubectl: path.join(CONTROL_PLANE_BIN, 'kubectl'),
    });
    serve = await startServeProcess({ ...shims.env });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await backing?.stop();
    shims?.cleanup();
  });

  async function openCreatePage(page: Page) {
    await page.goto(serve.url);
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await expect.poll(() => page.url()).toContain('#/clusters/new');
    await page.getByRole('heading', { level: 1, name: 'Create cluster' }).waitFor();
  }

  it('creates a 2-worker kind cluster with GPUs 0/1 and shows it in the list with its context selected', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await openCreatePage(page);

    await page.getByLabel('Name', { exact: true }).fill('e2e-gpu');
    await page.getByLabel('Workers', { exact: true }).fill('2');
    await page.getByLabel('GPUs', { exact: true }).selectOption('groups');
    await page.getByLabel('GPU groups', { exact: true }).fill('0/1');
    await page.getByLabel('Pods per GPU (time-slicing)').fill('2');

    // The detected GPUs are listed next to the choice.
    const detected = page.getByLabel('Detected GPUs');
    await expect.poll(() => detected.locator('.gpu-line').count(), { timeout: 20_000 }).toBe(8);
    expect(await detected.locator('.gpu-line').first().textContent()).toBe('GPU 0 · NVIDIA H100 80GB HBM3 · 81559 MiB');

    // Preflight: the relevant doctor checks, the name, the GPU plan.
    const preflight = page.getByRole('region', { name: 'Preflight' });
    await expect.poll(() => preflight.getByRole('heading').textContent(), { timeout: 30_000 }).toContain('Ready to create');
    const checks = preflight.getByRole('list', { name: 'Preflight checks' });
    const ids = await checks.locator('li').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-check')}:${li.getAttribute('data-status')}`));
    expect(ids).toEqual([
      'name:ok', 'container-engine:ok', 'docker-daemon:ok', 'kind:ok', 'nvidia-driver:ok', 'nvidia-container-toolkit:ok',
      'docker-default-runtime:ok', 'nvidia-volume-mounts:ok', 'gpu-plan:ok',
    ]);
    expect(await checks.locator('li[data-check="gpu-plan"]').textContent()).toContain('worker 1 → GPU 0; worker 2 → GPU 1');

    await page.getByRole('button', { name: 'Create cluster' }).click();
    const progress = page.getByRole('region', { name: 'Progress' });
    await progress.waitFor();
    const created = page.getByRole('status', { name: 'Cluster created' });
    await created.waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('create-phase').textContent()).toBe('Ready');
    expect(await page.getByRole('progressbar', { name: 'Creation progress' }).getAttribute('aria-valuenow')).toBe('100');
    const log = (await page.getByTestId('create-log').textContent()) ?? '';
    for (const line of [' ✓ Joining worker nodes 🚜', 'e2e-gpu-worker: Install nvidia-container-toolkit', 'e2e-gpu-worker2: Hide GPUs not assigned to the node', 'Applying NVIDIA device plugin (2 pods per GPU)', 'Applying metrics-server']) {
      expect(log).toContain(line);
    }
    expect(await created.textContent()).toContain('context kind-e2e-gpu');
    await created.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shims.dir, 'create-cluster.png') });
    fs.mkdirSync('test/e2e/screenshots', { recursive: true });
    fs.copyFileSync(path.join(shims.dir, 'create-cluster.png'), 'test/e2e/screenshots/create-cluster.png');

    // The device plugin landed in the (simulated) cluster with the sharing config.
    expect(JSON.parse(await backing.kubectl(['get', 'configmap', '-n', 'kube-system', 'nvidia-device-plugin-config', '-o', 'json'])).data['config.yaml']).toContain('replicas: 2');

    await page.getByRole('button', { name: 'Show in the cluster list' }).click();
    const row = page.locator('tr[data-cluster="kind/e2e-gpu"]');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.textContent()).toContain('running');
    const context = page.locator('tr[data-context="kind-e2e-gpu"]');
    await expect.poll(() => context.textContent(), { timeout: 20_000 }).toContain('current');
    expect(consoleErrors).toEqual([]);
  });

  it('preflight blocks a name that exists, and says plainly that k3d gives every node all GPUs', async () => {
    const page = await browser.newPage();
    await openCreatePage(page);
    await page.getByLabel('Name', { exact: true }).fill('e2e-gpu');
    const preflight = page.getByRole('region', { name: 'Preflight' });
    await expect.poll(() => preflight.getByRole('heading').textContent(), { timeout: 30_000 }).toContain('1 problem to fix first');
    const name = preflight.locator('li[data-check="name"]');
    expect(await name.getAttribute('data-status')).toBe('fail');
    expect(await name.textContent()).toContain('A kind cluster named "e2e-gpu" already exists.');
    expect(await page.getByRole('button', { name: 'Create cluster' }).isDisabled()).toBe(true);

    await page.getByLabel('k3d').check();
    await page.getByLabel('GPUs', { exact: true }).selectOption('all');
    expect(await page.getByRole('note').textContent()).toBe('k3d gives every node all requested GPUs; it cannot give different GPUs to different nodes. Use kind for one GPU per worker.');
  });

  it('the Doctor panel lists every check with its status', async () => {
    const page = await browser.newPage();
    await openCreatePage(page);
    await page.getByRole('button', { name: 'Doctor' }).click();
    await expect.poll(() => page.url()).toContain('#/clusters/doctor');
    const list = page.getByRole('list', { name: 'Doctor checks' });
    await list.waitFor({ timeout: 30_000 });
    expect(await list.locator('li[data-check="docker-daemon"]').getAttribute('data-status')).toBe('ok');
    expect(await list.locator('li[data-check="gpu-smoke-test"]').getAttribute('data-status')).toBe('skip');
    await page.getByRole('button', { name: 'Run GPU smoke test' }).click();
    await expect.poll(() => list.locator('li[data-check="gpu-smoke-test"]').getAttribute('data-status'), { timeout: 30_000 }).toBe('ok');
    expect(shims.commands()).toContainEqual(['docker', 'run', '--rm', '-v', '/dev/null:/var/run/nvidia-container-devices/all', 'ubuntu:22.04', 'nvidia-smi', '-L']);
  });
});
