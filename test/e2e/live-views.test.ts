import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CONTROL_PLANE_BIN, requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { closedPort, tempDir, writeKubeconfig } from '../support/fixtures';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';
import { faultTargetOf, startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { boundClaim, cpuNode, deploymentWithHpa, gpuNode, gpuPod, waitForServiceAccount } from '../integration/watch-fixtures';

// Functions passed to page.evaluate run inside Chromium; the Node tsconfig has no DOM types.
declare const window: { location: { hash: string } };

const enabled = requireControlPlane('live views e2e') && requireChromium('live views e2e') && requireBuild('live views e2e');

/** A Job whose pod waits (Pending, so the Job is active) until a node of pool=training exists. */
const gatedJob = `apiVersion: batch/v1
kind: Job
metadata: { name: resnet-train, namespace: default }
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      nodeSelector: { pool: training }
      containers:
      - name: train
        image: nvcr.io/nvidia/pytorch:24.01-py3
        resources: { limits: { nvidia.com/gpu: "1" } }
`;

describe.runIf(enabled)('live views in Chromium (serve mode, simulated cluster)', () => {
  const tmp = tempDir();
  let cluster: TestCluster;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let proxy: FaultProxy;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    await cluster.apply([gpuNode('gpu-a', 8), gpuNode('gpu-b', 4, 'NVIDIA-L40S'), cpuNode('cpu-a')].join('---\n'));
    await waitForServiceAccount(cluster);
    await cluster.apply([gpuPod('llm-finetune', 'gpu-a', 2), boundClaim('dataset'), deploymentWithHpa('inference', 1)].join('---\n'));
    const offline = writeKubeconfig(path.join(tmp.dir, 'offline.yaml'), [{ name: 'offline-lab', server: `https://127.0.0.1:${await closedPort()}` }]);
    // The same cluster once more, through the fault proxy, to make it disappear and come back.
    proxy = await startFaultProxy(faultTargetOf(cluster));
    const flaky = proxy.writeKubeconfig(path.join(tmp.dir, 'flaky.yaml'), 'flaky-lab');
    serve = await startServeProcess({
      ...process.env,
      KUBECONFIG: [cluster.kubeconfigPath, offline, flaky].join(path.delimiter),
      SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'),
      HOME: tmp.dir,
      SHELL: '/bin/bash',
      // The local terminal runs the real kubectl from the control-plane build.
      PATH: `${CONTROL_PLANE_BIN}${path.delimiter}${process.env.PATH}`,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(serve.url);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await proxy?.close();
    await cluster?.stop();
    tmp.cleanup();
  });

  const shot = async (name: string) => {
    fs.mkdirSync('test/e2e/screenshots', { recursive: true });
    await page.screenshot({ path: `test/e2e/screenshots/${name}.png`, fullPage: true });
  };

  it('overview shows GPU nodes with capacity, allocatable and requested, and a dead context beside it as reconnecting', async () => {
    await page.evaluate(() => (window.location.hash = '#/overview'));
    const section = page.locator(`section[data-context="${cluster.contextName}"]`);
    const gpuRow = section.getByRole('row').filter({ hasText: 'gpu-a' });
    await expect.poll(() => gpuRow.textContent(), { timeout: 30_000 }).toContain('2 / 8 / 8');
    expect(await gpuRow.textContent()).toContain('NVIDIA-H100-80GB-HBM3');
    expect(await section.getByTestId('gpu-card').textContent()).toContain('2 / 12');
    await expect.poll(() => section.textContent(), { timeout: 15_000 }).toContain('Kubernetes v1.34.4');
    // A second, unreachable context: it says so, and the live one keeps updating.
    await page.locator('label[data-context="offline-lab"] input').check();
    const offline = page.locator('section[data-context="offline-lab"]');
    await expect.poll(() => offline.textContent(), { timeout: 10_000 }).toMatch(/reconnecting|unreachable|refused/);
    await cluster.apply(gpuPod('eval', 'gpu-b', 1));
    await expect.poll(() => section.getByRole('row').filter({ hasText: 'gpu-b' }).textContent(), { timeout: 15_000 }).toContain('1 / 4 / 4');
    await shot('live-overview');
    await page.locator('label[data-context="offline-lab"] input').uncheck();
  });

  it('Ctrl+K finds a pod by part of its name; Enter opens its page with its logs; Escape closes and gives focus back', async () => {
    await page.evaluate(() => (window.location.hash = '#/clusters'));
    await page.getByRole('heading', { name: 'Clusters', exact: true }).waitFor();
    await page.keyboard.press('Control+K');
    const dialog = page.getByRole('dialog', { name: 'Command palette' });
    const input = dialog.getByRole('combobox');
    await expect.poll(() => input.evaluate((el) => el === el.ownerDocument.activeElement), { timeout: 5_000 }).toBe(true);
    await page.keyboard.type('finetun');
    // The pods of the watched context arrive from the live view; the pod itself ranks first.
    const first = dialog.getByRole('option').first();
    await expect.poll(() => first.textContent(), { timeout: 20_000 }).toContain('llm-finetune');
    expect(await first.getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));
    await shot('palette-open');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/workloads/pods/${cluster.contextName}/default/llm-finetune`);
    expect(await dialog.count()).toBe(0);
    await page.getByLabel('Pod llm-finetune').waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Logs of llm-finetune').count()).toBe(1);
    await shot('palette-pod');

    // Escape: closed, and the button that had focus has it again.
    const opener = page.getByRole('button', { name: /Go to…/ });
    await opener.click();
    await dialog.waitFor();
    await page.keyboard.type('settings');
    await page.keyboard.press('Escape');
    expect(await dialog.count()).toBe(0);
    expect(await opener.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await page.evaluate(() => window.location.hash)).toBe(`#/workloads/pods/${cluster.contextName}/default/llm-finetune`);
  });

  it('a cluster that disappears shows reconnecting within 2 s and recovers by itself', async () => {
    await page.evaluate(() => (window.location.hash = '#/overview'));
    await page.locator('label[data-context="flaky-lab"] input').check();
    const flaky = page.locator('section[data-context="flaky-lab"]');
    await expect.poll(() => flaky.getByRole('row').filter({ hasText: 'gpu-a' }).count(), { timeout: 20_000 }).toBe(1);
    const cut = Date.now();
    proxy.inject({ kind: 'drop' });
    await expect.poll(() => flaky.getByTestId('reconnecting').count(), { timeout: 2_000, interval: 50 }).toBe(1);
    const shownAfterMs = Date.now() - cut;
    expect(shownAfterMs).toBeLessThan(2_000);
    // The last known state stays on screen while reconnecting.
    expect(await flaky.getByRole('row').filter({ hasText: 'gpu-a' }).count()).toBe(1);
    await page.screenshot({ path: 'test/e2e/screenshots/live-reconnecting.png', fullPage: true });
    proxy.clear();
    await expect.poll(() => flaky.getByTestId('reconnecting').count(), { timeout: 15_000 }).toBe(0);
    await page.locator('label[data-context="flaky-lab"] input').uncheck();
  });

  it('HPA page shows a scale-up made by the HPA controller as it happens', async () => {
    await page.evaluate(() => (window.location.hash = '#/workloads/hpa'));
    const row = page.getByRole('row').filter({ hasText: 'default/inference' });
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Deployment/inference');
    // No metrics-server here: the page says so and offers to install it.
    await expect.poll(() => page.getByRole('alert', { name: 'Metrics API missing' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByRole('button', { name: 'Install metrics-server' }).count()).toBe(1);
    // Raising minReplicas makes the real HPA controller rescale the Deployment (no metrics needed).
    await cluster.kubectl(['patch', 'hpa', 'inference', '--type=merge', '-p', '{"spec":{"minReplicas":3}}']);
    await expect.poll(() => row.getByTestId('hpa-replicas').textContent(), { timeout: 60_000 }).toBe('3 / 3');
    const details = page.getByLabel('Autoscaler inference');
    await expect.poll(() => details.textContent(), { timeout: 30_000 }).toContain('SuccessfulRescale');
    expect(await details.textContent()).toContain('AbleToScale: True');
    expect(await details.getByTestId('hpa-chart').locator('canvas').count()).toBeGreaterThan(0);
    await shot('live-hpa');
  });

  it('storage page shows the bound PVC with its volume and class', async () => {
    await page.evaluate(() => (window.location.hash = '#/workloads/storage'));
    const claim = page.getByRole('table', { name: `Claims of ${cluster.contextName}` }).getByRole('row').filter({ hasText: 'default/dataset' });
    await expect.poll(() => claim.textContent(), { timeout: 30_000 }).toContain('Bound');
    expect(await claim.textContent()).toContain('dataset-pv');
    expect(await claim.textContent()).toContain('50Gi');
    expect(await page.getByRole('row').filter({ hasText: 'kubernetes.io/no-provisioner' }).count()).toBe(1);
    expect(await page.getByRole('table', { name: `Volumes of ${cluster.contextName}` }).getByRole('row').filter({ hasText: 'dataset-pv' }).textContent()).toContain('default/dataset');
    await shot('live-storage');
  });

  it('training page shows a job going from Running to Succeeded', async () => {
    await page.evaluate(() => (window.location.hash = '#/workloads/training'));
    await cluster.apply(gatedJob);
    const row = page.getByRole('row').filter({ hasText: 'default/resnet-train' });
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Running');
    await row.click();
    const details = page.getByLabel('Training job resnet-train');
    await expect.poll(() => details.textContent(), { timeout: 15_000 }).toContain('resnet-train-');
    // The node the job waits for arrives: the scheduler binds the pod, kwok runs and completes it.
    await cluster.apply(gpuNode('gpu-train', 2).replace('type: kwok', 'type: kwok\n    pool: training'));
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toContain('Succeeded');
    expect(await row.textContent()).toMatch(/Pods 0\/1\/0/);
    await shot('live-training');
  });

  it('a local terminal with the cluster as KUBECONFIG context runs kubectl get nodes', async () => {
    await page.evaluate(() => (window.location.hash = '#/workloads/terminal'));
    const term = page.getByTestId('terminal');
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 20_000 }).toContain(`kubectl context ${cluster.contextName}`);
    await term.click();
    await page.keyboard.type('kubectl get nodes -o name | sort | tr "\\n" " "; echo END-OF-LIST\n');
    await expect.poll(() => term.textContent(), { timeout: 20_000 }).toContain('node/cpu-a node/gpu-a node/gpu-b node/gpu-train END-OF-LIST');
    await shot('live-terminal');
    expect(consoleErrors).toEqual([]);
  });
});
