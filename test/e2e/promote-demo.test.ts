import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { requireControlPlane } from '../support/control-plane';
import { tempDir } from '../support/fixtures';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';

const enabled = requireControlPlane('demo e2e') && requireChromium('demo e2e') && requireBuild('demo e2e');
const cli = path.resolve(__dirname, '../../resources/cli/slipway.mjs');

/** Runs the real `slipway` CLI as a child process; resolves with its exit code and output. */
function slipway(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.runIf(enabled)('slipway demo', () => {
  const tmp = tempDir('slipway-demo-e2e-');
  const env = { ...process.env, HOME: tmp.dir, KUBECONFIG: path.join(tmp.dir, 'kubeconfig'), SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config') };
  let serve: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    serve = await startServeProcess(env);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    // Whatever happened, the demo's clusters go away.
    await slipway(['demo', '--clean'], env);
    tmp.cleanup();
  });

  it('tells the whole story, shows it in the GUI, is idempotent and cleans up', async () => {
    const first = await slipway(['demo', '--pace', '0'], env);
    expect(first.stderr).not.toContain('slipway: [');
    expect(first.code).toBe(0);
    for (const step of ['[1/7] Creating the simulated "laptop" cluster', '[2/7] Creating the simulated "cloud" cluster', '[4/7] Deploying the samples on the laptop', '[5/7] Driving load', '[6/7] Waiting for the training job', '[7/7] Promoting namespace ml']) {
      expect(first.stdout).toContain(step);
    }
    expect(first.stdout).toMatch(/HPA inference: [2-4] replica\(s\)/);
    // The queue workers follow queue_depth, an External metric: ceil(50 / 10) = 5, then back to 1.
    expect(first.stdout).toMatch(/HPA inference-queue: 5 replica\(s\), desired 5, queue 10 per worker \(target 10\)/);
    expect(first.stdout).toMatch(/The queue drains[^\n]*\n(.*\n)*.*HPA inference-queue: 1 replica\(s\), desired 1/);
    expect(first.stdout).toMatch(/created +HorizontalPodAutoscaler ml-prod\/inference-queue/);
    expect(first.stdout).toContain('finetune-resnet completed');
    expect(first.stdout).toMatch(/created +Deployment ml-prod\/inference \(rolled out/);
    expect(first.stdout).toMatch(/Promotion \S+: succeeded/);
    expect(first.stdout).toContain('slipway serve');

    const page = await browser.newPage();
    await page.goto(`${serve.url}#/promote`);
    const history = page.getByRole('table', { name: 'Promotion history' });
    await expect.poll(() => history.textContent().catch(() => ''), { timeout: 20_000 }).toContain('laptop-ml → kwok-cloud (gke)');

    const again = await slipway(['demo', '--pace', '0', '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ laptop: 'kwok-laptop', cloud: 'kwok-cloud', promotion: { status: 'succeeded' }, queueReplicas: { peak: 5, drained: 1 }, trainingCompleted: true });
    expect(again.stderr).toContain('already there, reused');
    expect(again.stderr).toMatch(/unchanged +Deployment ml-prod\/inference/);
    expect(again.stderr).not.toMatch(/^ +(created|configured) /m);

    const clean = await slipway(['demo', '--clean'], env);
    expect(clean.stdout).toContain('deleted kwok-laptop, kwok-cloud');
    const list = await slipway(['cluster', 'list', '--json'], env);
    expect(JSON.parse(list.stdout).clusters).toEqual([]);
  });
});
