/**
 * The load panel in Chromium: on a simulated cluster (Slipway's metrics adapter registered), the
 * HPA page of the sample queue workers pushes queue_depth up, the real HPA controller scales the
 * workers to ceil(50 / 10) = 5, and a release lets them fall back to 1 after the 15 s window.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { tempDir } from '../support/fixtures';
import { waitForServiceAccount } from '../integration/watch-fixtures';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';

// Functions passed to page.evaluate run inside Chromium; the Node tsconfig has no DOM types.
declare const window: { location: { hash: string } };

const enabled = requireControlPlane('load panel e2e') && requireChromium('load panel e2e') && requireBuild('load panel e2e');
const sample = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/samples/inference-queue/queue-worker.yaml'), 'utf8');

describe.runIf(enabled)('the load panel drives an HPA on an External metric', () => {
  const tmp = tempDir();
  let cluster: TestCluster;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1, metricsServer: true });
    await waitForServiceAccount(cluster);
    await cluster.apply(sample);
    serve = await startServeProcess({ ...process.env, KUBECONFIG: cluster.kubeconfigPath, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'), HOME: tmp.dir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.goto(serve.url);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await cluster?.stop();
    tmp.cleanup();
  });

  it('pushes queue depth up, the HPA scales the workers to 5, and a release brings them back to 1', async () => {
    await page.evaluate(() => (window.location.hash = '#/workloads/hpa'));
    const details = page.getByLabel('Autoscaler inference-queue');
    await expect.poll(() => details.count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => details.getByTestId('hpa-stabilization').textContent(), { timeout: 15_000 }).toBe('0 s up, 15 s down');
    const load = page.getByRole('group', { name: 'Load queue_depth{queue=inference}' });
    await expect.poll(() => load.count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByLabel('Load for inference-queue').textContent()).toContain('15 s scale-down stabilization window');

    await load.getByRole('button', { name: 'Push load (50)' }).click();
    await expect.poll(() => load.getByRole('status').textContent(), { timeout: 15_000 }).toContain('series queue_depth{queue=inference} = 50');
    const replicas = details.getByTestId('hpa-detail-replicas');
    await expect.poll(() => replicas.textContent(), { timeout: 120_000 }).toContain('5 current / 5 desired');
    // The metric the HPA saw, next to its target: 50 queued over 5 workers.
    await expect.poll(() => details.getByRole('table', { name: 'Metrics' }).textContent(), { timeout: 30_000 }).toContain('10 (avg)');

    await load.getByRole('button', { name: 'Release (0)' }).click();
    await expect.poll(() => replicas.textContent(), { timeout: 120_000 }).toContain('1 current / 1 desired');
    await expect.poll(() => details.textContent(), { timeout: 30_000 }).toContain('All metrics below target');

    // A value that is not a number is refused where it is typed.
    await load.getByLabel('Value').fill('-3');
    expect(await load.getByRole('button', { name: 'Set' }).isDisabled()).toBe(true);
    fs.mkdirSync('test/e2e/screenshots', { recursive: true });
    await page.screenshot({ path: 'test/e2e/screenshots/load-panel.png', fullPage: true });
  }, 360_000);
});
