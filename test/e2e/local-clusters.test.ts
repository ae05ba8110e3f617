import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { requireControlPlane } from '../support/control-plane';
import { processesMentioning } from '../support/cluster-harness';
import { tempDir, writeKubeconfig } from '../support/fixtures';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';

const enabled = requireControlPlane('local clusters e2e') && requireChromium('local clusters e2e') && requireBuild('local clusters e2e');
const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/**
 * A simulated cluster made by the real `slipway cluster create` shows on the Clusters page with a
 * "simulated" badge, stops and starts from its row, and the page deletes it (after a confirmation) with its kubeconfig context.
 */
describe.runIf(enabled)('Local clusters on the Clusters page (serve mode, Chromium)', () => {
  const tmp = tempDir('slipway-e2e-local-');
  const env = {
    ...process.env,
    HOME: tmp.dir,
    KUBECONFIG: path.join(tmp.dir, 'kubeconfig'),
    SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'),
  };
  const slipway = (...args: string[]) => exec(process.execPath, [path.join(root, 'resources/cli/slipway.mjs'), ...args], { env, cwd: root });
  let serve: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    writeKubeconfig(env.KUBECONFIG, [{ name: 'prod', server: 'https://prod.example:6443' }]);
    await slipway('cluster', 'create', 'e2e-sim', '--provider', 'kwok', '--gpu-nodes', '2', '--gpus-per-node', '4', '--no-metrics-server');
    serve = await startServeProcess(env);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await slipway('cluster', 'delete', 'e2e-sim').catch(() => undefined);
    tmp.cleanup();
  });

  it('shows the simulated cluster, stops and starts it, and deletes it after confirmation', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(serve.url);
    const table = page.getByRole('table', { name: 'Local clusters' });
    const row = table.locator('tr[data-cluster="kwok/e2e-sim"]');
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('simulated');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('running');
    expect(text).toContain('3 nodes');
    expect(text).toContain('8 GPUs on 2 nodes');
    expect(text).toContain('kwok-e2e-sim');
    // The kubeconfig contexts table lists the merged context too.
    await expect.poll(() => page.locator('tr[data-context="kwok-e2e-sim"]').count(), { timeout: 20_000 }).toBe(1);
    await page.screenshot({ path: path.join(tmp.dir, 'local-clusters.png'), fullPage: true });
    fs.mkdirSync(path.join(root, 'test/e2e/screenshots'), { recursive: true });
    fs.copyFileSync(path.join(tmp.dir, 'local-clusters.png'), path.join(root, 'test/e2e/screenshots/local-clusters.png'));

    // Stop and start again from the row: the real control plane goes away and comes back.
    const clusterDir = path.join(env.SLIPWAY_CONFIG_DIR, 'kwok/clusters/e2e-sim');
    await row.getByRole('button', { name: 'Stop e2e-sim' }).click();
    await expect.poll(() => row.locator('.badge').allTextContents(), { timeout: 30_000 }).toContain('stopped');
    expect(processesMentioning(clusterDir)).toEqual([]);
    await row.getByRole('button', { name: 'Start e2e-sim' }).click();
    await expect.poll(() => row.locator('.badge').allTextContents(), { timeout: 60_000 }).toContain('running');
    expect(processesMentioning(clusterDir).length).toBeGreaterThanOrEqual(5);
    await expect.poll(() => row.getByRole('button', { name: 'Stop e2e-sim' }).count()).toBe(1);

    // Cancel first: nothing happens.
    await row.getByRole('button', { name: 'Delete e2e-sim' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete cluster “e2e-sim”?' });
    expect(await dialog.textContent()).toContain('removes the context kwok-e2e-sim');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(fs.existsSync(path.join(env.SLIPWAY_CONFIG_DIR, 'kwok/clusters/e2e-sim'))).toBe(true);

    await row.getByRole('button', { name: 'Delete e2e-sim' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(0);
    expect(fs.existsSync(path.join(env.SLIPWAY_CONFIG_DIR, 'kwok/clusters/e2e-sim'))).toBe(false);
    expect(fs.readFileSync(env.KUBECONFIG, 'utf8')).not.toContain('kwok-e2e-sim');
    expect(processesMentioning(path.join(env.SLIPWAY_CONFIG_DIR, 'kwok'))).toEqual([]);
    await expect.poll(() => page.locator('tr[data-context="kwok-e2e-sim"]').count(), { timeout: 20_000 }).toBe(0);
    expect(await page.locator('tr[data-context="prod"]').count()).toBe(1);

    await page.getByRole('button', { name: 'Create cluster' }).click();
    await expect.poll(() => page.url()).toContain('#/clusters/new');
    expect(consoleErrors).toEqual([]);
  });
});
