/**
 * The load panel in Chromium: on a simulated cluster (Slipway's metrics adapter registered), the
 * HPA page of the sample queue workers pushes queue_depth up, the real HPA controller scales the
 * workers to ceil(50 / 10) = 5, and a release lets them fall back to 1 after the 15 s window;
 * on the CPU sample it pushes each pod's simulated use over its target and the HPA scales.
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
import { structuralCrd } from '../../main/promote/demo/demo-setup';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';

// Functions passed to page.evaluate run inside Chromium; the Node tsconfig has no DOM types.
declare const window: { location: { hash: string } };

const enabled = requireControlPlane('load panel e2e') && requireChromium('load panel e2e') && requireBuild('load panel e2e');
const samples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/samples');
const sample = fs.readFileSync(path.join(samples, 'inference-queue/queue-worker.yaml'), 'utf8');
const inference = fs.readFileSync(path.join(samples, 'inference/inference.yaml'), 'utf8');

/** KEDA's CRDs (keda.sh/v1alpha1), reduced to a structural schema as the demo's PyTorchJob CRD is. */
const kedaCrd = (kind: string, plural: string) => JSON.stringify(structuralCrd({ group: 'keda.sh', version: 'v1alpha1', kind, plural }));

describe.runIf(enabled)('the load panel drives HPAs on an External metric and on CPU; KEDA scalers are shown with their HPA', () => {
  const tmp = tempDir();
  let cluster: TestCluster;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // A GPU node for the CPU sample, whose inference pod asks for one.
    cluster = await startCluster({ nodes: 1, gpuNodes: 1, gpusPerNode: 4, metricsServer: true });
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

  it('lists a KEDA ScaledObject with its triggers and state, and its HPA under it rather than twice', async () => {
    await cluster.apply([kedaCrd('ScaledObject', 'scaledobjects'), kedaCrd('ScaledJob', 'scaledjobs')].join('\n---\n'));
    const created = async () => cluster.kubectl(['get', 'crd', 'scaledobjects.keda.sh', 'scaledjobs.keda.sh', '-o', 'name']).catch(() => '');
    await expect.poll(created, { timeout: 30_000 }).toContain('scaledjobs.keda.sh');
    await expect
      .poll(() => cluster.apply(JSON.stringify({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'orders', namespace: 'default' }, spec: { scaleTargetRef: { name: 'orders-worker' }, minReplicaCount: 0, maxReplicaCount: 20, triggers: [{ type: 'rabbitmq', metadata: { queueName: 'orders', value: '5', host: 'amqp://guest:guest@rabbitmq:5672/' } }] } })).then(() => 'ok', (e: Error) => e.message), { timeout: 30_000 })
      .toBe('ok');
    // What KEDA's operator writes: its status, and the HPA it owns.
    const status = { hpaName: 'keda-hpa-orders', externalMetricNames: ['s0-rabbitmq-orders'], conditions: [{ type: 'Ready', status: 'True', reason: 'ScaledObjectReady' }, { type: 'Active', status: 'True', reason: 'ScalerActive', message: 'Scaling is performed because triggers are active' }] };
    await cluster.kubectl(['patch', 'scaledobject', 'orders', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
    const uid = (await cluster.kubectl(['get', 'scaledobject', 'orders', '-o', 'jsonpath={.metadata.uid}'])).trim();
    await cluster.apply(
      JSON.stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'keda-hpa-orders', namespace: 'default', labels: { 'scaledobject.keda.sh/name': 'orders' }, ownerReferences: [{ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'orders', uid, controller: true }] },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders-worker' }, minReplicas: 1, maxReplicas: 20, metrics: [{ type: 'External', external: { metric: { name: 's0-rabbitmq-orders', selector: { matchLabels: { 'scaledobject.keda.sh/name': 'orders' } } }, target: { type: 'AverageValue', averageValue: '5' } } }] },
      }),
    );

    const scalers = page.getByRole('table', { name: /KEDA scalers of/ });
    await expect.poll(() => scalers.textContent().catch(() => ''), { timeout: 30_000 }).toContain('ScaledObject default/orders');
    const text = (await scalers.textContent()) ?? '';
    expect(text).toContain('rabbitmq: queueName=orders, value=5');
    expect(text).not.toContain('guest');
    expect(text).toContain('keda-hpa-orders');
    expect(await scalers.getByTestId('keda-state').textContent()).toBe('Ready: TrueActive');
    // Listed under its ScaledObject only.
    const hpas = page.getByRole('table', { name: /^Autoscalers of/ });
    await expect.poll(() => hpas.textContent(), { timeout: 15_000 }).toContain('default/inference-queue');
    expect(await hpas.textContent()).not.toContain('keda-hpa-orders');

    // The scaler's row opens the HPA it owns in the details.
    await scalers.getByRole('row', { name: /ScaledObject default\/orders/ }).click();
    const owned = page.getByLabel('Autoscaler keda-hpa-orders');
    await expect.poll(() => owned.count(), { timeout: 15_000 }).toBe(1);
    expect(await owned.textContent()).toContain('Made and owned by KEDA ScaledObject orders');
  }, 120_000);

  it('pushes CPU on simulated pods as a share of their request, and the HPA scales on it', async () => {
    await cluster.apply(inference);
    await page.evaluate(() => (window.location.hash = '#/workloads/hpa'));
    await page.getByRole('table', { name: /^Autoscalers of/ }).getByRole('row', { name: /default\/inference(?!-)/ }).click();
    const cpu = page.getByRole('group', { name: 'Load CPU (% of each pod’s request)' });
    await expect.poll(() => cpu.count(), { timeout: 30_000 }).toBe(1);
    // The sample's HPA targets 60 %: the push is twice that, of a 500m request.
    await cpu.getByRole('button', { name: 'Push load (120)' }).click();
    await expect.poll(() => cpu.getByRole('status').textContent(), { timeout: 15_000 }).toContain('cpu load 600m per container (120% of its request) on deployment/inference');
    expect((await cluster.kubectl(['get', 'deployment', 'inference', '-o', "jsonpath={.spec.template.metadata.annotations['slipway\\.dev/cpu-load']}"])).trim()).toBe('600m');
    // metrics-server scrapes kwok's simulated use; the real controller scales past 1.
    const replicas = page.getByLabel('Autoscaler inference').getByTestId('hpa-detail-replicas');
    await expect.poll(async () => Number(/(\d+) desired/.exec((await replicas.textContent()) ?? '')?.[1] ?? 0), { timeout: 150_000 }).toBeGreaterThan(1);
  }, 240_000);
});
