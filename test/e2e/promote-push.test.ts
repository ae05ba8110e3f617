import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { tempDir } from '../support/fixtures';
import { requireRealDocker } from '../support/real-docker';
import { requireRegistry, startRegistry, type TestRegistry } from '../support/real-registry';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';

const suite = 'Push images e2e';
const ready = requireControlPlane(suite) && requireChromium(suite) && requireBuild(suite) && requireRegistry(suite);
const dockerHost = ready ? requireRealDocker(suite) : null;

/**
 * The Promote page's preflight finds a rewritten image missing in a real registry, offers Push
 * images, pushes it with the real Docker, and preflights again: now it is there, by tag.
 */
describe.runIf(Boolean(dockerHost))('Push images on the Promote page (serve mode, real registry and Docker)', () => {
  const tmp = tempDir('slipway-push-e2e-');
  const name = `slipway-push-e2e-${randomBytes(4).toString('hex')}`;
  const source = `localhost:5001/ml/${name}:1`;
  const bundle = path.join(tmp.dir, 'bundle');
  let cluster: TestCluster;
  let registry: TestRegistry;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const docker = (args: string[], input?: Buffer) => spawnSync('docker', args, { env: { ...process.env, DOCKER_HOST: dockerHost! }, input, encoding: 'utf8', timeout: 60_000 });

  beforeAll(async () => {
    [cluster, registry] = await Promise.all([startCluster(), startRegistry()]);
    const root = path.join(tmp.dir, 'rootfs');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'hello.txt'), `hello from ${name}\n`);
    const imported = docker(['import', '-', source], spawnSync('tar', ['-C', root, '-cf', '-', '.']).stdout);
    if (imported.status !== 0) throw new Error(`docker import: ${imported.stderr}`);
    fs.mkdirSync(bundle);
    fs.writeFileSync(path.join(bundle, 'job.yaml'), `apiVersion: batch/v1\nkind: Job\nmetadata: {name: train, namespace: default}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - {name: train, image: ${source}}\n`);
    fs.mkdirSync(path.join(tmp.dir, 'docker'));
    serve = await startServeProcess({
      ...process.env,
      KUBECONFIG: cluster.kubeconfigPath,
      SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'),
      HOME: tmp.dir,
      DOCKER_HOST: dockerHost!,
      DOCKER_CONFIG: path.join(tmp.dir, 'docker'),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${serve.url}#/promote`);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    docker(['image', 'rm', '-f', source, `${registry?.host}/ml/${name}:1`]);
    await Promise.all([cluster?.stop(), registry?.stop()]);
    tmp.cleanup();
  });

  it('fails preflight on the missing image, pushes it with the button, and preflight then finds it by digest', async () => {
    await page.getByLabel('Folder, manifest file or kustomization').fill(bundle);
    await expect.poll(() => page.getByLabel('Bundle objects').textContent(), { timeout: 20_000 }).toContain('Job default/train');
    await page.getByLabel('Context', { exact: true }).selectOption(cluster.contextName);
    await page.getByLabel('Profile (YAML)').fill(`name: to-registry\nimages:\n  rewrites:\n    - {from: "localhost:5001/", to: "${registry.host}/"}\n`);
    await page.getByRole('button', { name: 'Preflight' }).click();
    const row = page.locator(`tr[data-check="image:${registry.host}/ml/${name}:1"]`);
    await expect.poll(() => row.textContent().catch(() => ''), { timeout: 30_000 }).toContain(`is not in ${registry.host}`);
    const push = page.getByRole('region', { name: 'Preflight' }).getByLabel('Push images');
    expect(await push.textContent()).toContain(`${source} → ${registry.host}/ml/${name}:1`);

    await push.getByRole('button', { name: 'Push images' }).click();
    await expect.poll(() => row.textContent().catch(() => ''), { timeout: 60_000 }).toContain('a tag can move');
    const head = await fetch(`${registry.url}/v2/ml/${name}/manifests/1`, { method: 'HEAD', headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' } });
    const digest = head.headers.get('docker-content-digest');
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await row.textContent()).toContain(`pin ${registry.host}/ml/${name}:1@${digest}`);
    expect(await page.getByRole('button', { name: 'Push images' }).count()).toBe(0);
  });
});
