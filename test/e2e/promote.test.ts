import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { tempDir } from '../support/fixtures';
import { setupCloud, setupLaptop } from '../integration/promote-fixtures';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';

const enabled = requireControlPlane('promote e2e') && requireChromium('promote e2e') && requireBuild('promote e2e');
const samples = path.resolve(__dirname, '../../resources/samples');

describe.runIf(enabled)('Promote page in Chromium (serve mode)', () => {
  const tmp = tempDir('slipway-promote-e2e-');
  let laptop: TestCluster;
  let cloud: TestCluster;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    [laptop, cloud] = await Promise.all([startCluster(), startCluster()]);
    await Promise.all([setupLaptop(laptop), setupCloud(cloud)]);
    serve = await startServeProcess({
      ...process.env,
      KUBECONFIG: [laptop.kubeconfigPath, cloud.kubeconfigPath].join(path.delimiter),
      SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'),
      HOME: tmp.dir,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(`${serve.url}#/promote`);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await Promise.all([laptop?.stop(), cloud?.stop()]);
    tmp.cleanup();
  });

  it('plans, diffs, applies with live progress, lists the promotion and rolls it back', async () => {
    await page.locator('a[href="#/promote"]').click();
    await page.getByLabel('Sample').selectOption({ label: 'training-job' });
    await expect.poll(() => page.getByLabel('Bundle objects').textContent(), { timeout: 20_000 }).toContain('Job ml/finetune-resnet');
    await page.getByLabel('Context', { exact: true }).selectOption(cloud.contextName);
    await page.getByLabel('Start from').selectOption({ label: 'gke (example)' });
    expect(await page.getByLabel('Profile (YAML)').inputValue()).toContain('namespace: ml-prod');
    // The gke example's Artifact Registry is fictional, and test traffic stays on loopback.
    await page.getByLabel('Check images in the target registry').uncheck();

    await page.getByRole('button', { name: 'Preflight' }).click();
    const checks = page.getByRole('table', { name: 'Preflight checks' });
    await expect.poll(() => checks.textContent(), { timeout: 30_000 }).toContain('Enough nvidia.com/gpu');
    expect(await page.getByRole('region', { name: 'Preflight' }).getByRole('heading').textContent()).toContain('passed');

    await page.getByRole('button', { name: 'Diff' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Diff' }).getByRole('status').textContent().catch(() => ''), { timeout: 30_000 }).toBe('1 to create · 1 to change · 0 unchanged');

    // The inline editor: an invalid profile disables the actions and names the line.
    const editor = page.getByLabel('Profile (YAML)');
    const good = await editor.inputValue();
    await editor.fill(`${good}replicas:\n  web: -1\n`);
    expect(await page.getByRole('alert').first().textContent()).toMatch(/line \d+: replicas\.web: /);
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    await editor.fill(good);

    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByLabel('Promotion progress').count(), { timeout: 20_000 }).toBe(1);
    const result = page.getByRole('region', { name: 'Apply result' });
    await expect.poll(() => result.textContent().catch(() => ''), { timeout: 60_000 }).toContain('succeeded');
    expect(await result.textContent()).toContain('Job ml-prod/finetune-resnet');
    const job = JSON.parse(await cloud.kubectl(['get', 'job', 'finetune-resnet', '-n', 'ml-prod', '-o', 'json']));
    expect(job.spec.template.spec.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-a100' });

    const history = page.getByRole('table', { name: 'Promotion history' });
    await expect.poll(() => history.textContent().catch(() => ''), { timeout: 20_000 }).toContain(`training-job → ${cloud.contextName} (gke)`);
    await page.screenshot({ path: path.join(tmp.dir, 'promote.png'), fullPage: true });
    fs.mkdirSync('test/e2e/screenshots', { recursive: true });
    fs.copyFileSync(path.join(tmp.dir, 'promote.png'), 'test/e2e/screenshots/promote.png');

    await history.getByRole('button', { name: 'Roll back' }).click();
    await expect.poll(() => page.getByLabel('Rollback result').textContent().catch(() => ''), { timeout: 30_000 }).toContain('Job ml-prod/finetune-resnet deleted');
    await expect(cloud.kubectl(['get', 'job', 'finetune-resnet', '-n', 'ml-prod'])).rejects.toThrow(/NotFound/);
    await expect.poll(() => history.textContent()).toContain('rolled back');
    expect(consoleErrors).toEqual([]);
  });

  it('shows a bad bundle\'s file and line', async () => {
    const bad = path.join(tmp.dir, 'bad');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'x.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
    await page.getByLabel('Folder, manifest file or kustomization').fill(bad);
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 20_000 }).toContain(`${path.join(bad, 'x.yaml')}:5: invalid YAML`);
    expect(fs.existsSync(path.join(samples, 'training-job'))).toBe(true);
  });

  it('a Secret preflight names can be left out or mapped to the target\'s from the page, saved in the profile, and preflight runs again', async () => {
    const bundle = path.join(tmp.dir, 'with-secret');
    fs.mkdirSync(bundle);
    fs.writeFileSync(
      path.join(bundle, 'app.yaml'),
      [
        'apiVersion: v1\nkind: Secret\nmetadata: {name: hf-token, namespace: ml}\nstringData: {token: laptop-only}',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reader, namespace: ml}\nspec:\n  selector: {matchLabels: {app: reader}}\n  template:\n    metadata: {labels: {app: reader}}\n    spec:\n      containers: [{name: c, image: "gcr.io/acme/c:1", envFrom: [{secretRef: {name: hf-token}}], resources: {requests: {cpu: 100m}}}]',
      ].join('\n---\n'),
    );
    // The target's own Secret, which the mapping points at.
    await cloud.kubectl(['create', 'secret', 'generic', 'hf-token-prod', '-n', 'ml-prod', '--from-literal=token=prod']);
    await page.getByLabel('Folder, manifest file or kustomization').fill(bundle);
    await expect.poll(() => page.getByLabel('Bundle objects').textContent(), { timeout: 20_000 }).toContain('Secret ml/hf-token');
    await page.getByLabel('Context', { exact: true }).selectOption(cloud.contextName);
    await page.getByLabel('Start from').selectOption({ label: 'gke (example)' });
    await page.getByRole('button', { name: 'Preflight' }).click();
    const checks = page.getByRole('table', { name: 'Preflight checks' });
    await expect.poll(() => checks.locator('[data-check="secrets"]').textContent().catch(() => ''), { timeout: 30_000 }).toContain('ml-prod/hf-token (token)');

    // Keyboard only: the radio group takes arrow keys, the button Enter.
    const row = page.getByRole('group', { name: /^Secret hf-token/ });
    await row.getByRole('radio', { name: /Copy/ }).focus();
    await page.keyboard.press('ArrowDown');
    expect(await row.getByRole('radio', { name: 'Leave out' }).isChecked()).toBe(true);
    await row.getByRole('button', { name: 'Save for hf-token' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => checks.locator('[data-check="secrets"]').count(), { timeout: 30_000 }).toBe(0);
    const stored = () => JSON.parse(fs.readFileSync(path.join(tmp.dir, 'config', 'settings.json'), 'utf8')).promotionProfiles.find((p: { name: string }) => p.name === 'gke');
    expect(stored().secrets).toEqual({ 'hf-token': null });
    expect(await page.getByLabel('Profile (YAML)').inputValue()).toContain('hf-token: null');

    // Map it to the target's Secret: a bad name is refused in place, a good one checked in the target.
    await row.getByRole('radio', { name: /Map to existing Secret/ }).check();
    const name = row.getByRole('textbox', { name: 'Target Secret for hf-token' });
    await name.fill('HF_Token');
    await name.press('Enter');
    expect(await row.getByRole('alert').textContent()).toContain('“HF_Token” is not a Secret name');
    await name.fill('hf-token-prod');
    await name.press('Enter');
    await expect.poll(() => checks.locator('[data-check="secret:ml-prod/hf-token-prod"]').textContent().catch(() => ''), { timeout: 30_000 }).toContain('ml-prod/hf-token-prod exists in the target');
    expect(stored().secrets).toEqual({ 'hf-token': 'hf-token-prod' });
    expect(await page.getByRole('region', { name: 'Preflight' }).getByRole('heading').textContent()).not.toContain('failed');
    // For a look at the control in dark mode (the palette follows color-scheme).
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('region', { name: 'Secrets' }).screenshot({ path: 'test/e2e/screenshots/promote-secrets-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(consoleErrors).toEqual([]);
  });

  it('an apply runs on through a page reload, the page re-attaches to its progress, and Cancel still cancels it', async () => {
    const bundle = path.join(tmp.dir, 'never-ready');
    fs.mkdirSync(bundle);
    // No node matches: the Deployment never becomes ready, so the apply sits in its readiness wait.
    fs.writeFileSync(
      path.join(bundle, 'deploy.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: never-ready, namespace: ml}\nspec:\n  selector: {matchLabels: {app: never-ready}}\n  template:\n    metadata: {labels: {app: never-ready}}\n    spec:\n      nodeSelector: {e2e.slipway.dev/nowhere: "true"}\n      containers: [{name: c, image: "gcr.io/acme/c:1", resources: {requests: {cpu: 100m}}}]\n',
    );
    await page.getByLabel('Folder, manifest file or kustomization').fill(bundle);
    await expect.poll(() => page.getByLabel('Bundle objects').textContent(), { timeout: 20_000 }).toContain('never-ready');
    await page.getByLabel('Context', { exact: true }).selectOption(cloud.contextName);
    await page.getByRole('button', { name: 'Apply' }).click();
    const progress = page.getByLabel('Promotion progress');
    await expect.poll(() => progress.textContent().catch(() => ''), { timeout: 60_000 }).toContain('wait');

    await page.reload();
    // A new page: it finds the apply still running in the backend and follows it.
    await expect.poll(() => page.getByLabel('Promotion progress').textContent().catch(() => ''), { timeout: 30_000 }).toContain('wait');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByLabel('Promotion progress').count(), { timeout: 30_000 }).toBe(0);
    const dir = path.join(tmp.dir, 'config', 'promotions');
    const newest = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().pop()!;
    await expect.poll(() => JSON.parse(fs.readFileSync(path.join(dir, newest), 'utf8')).status, { timeout: 30_000 }).toBe('interrupted');
  });
});
