/**
 * The kind path in Chromium on the real thing: the Create Cluster page drives the real kind v0.33
 * against the private test Docker with the offline node image, and shows its live phases; then the
 * Workloads pages show the logs of a real container, run a command in it through the exec
 * terminal, and watch an HPA scale on CPU that metrics-server scrapes from the real kubelet.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import k8sVersions from '../../scripts/k8s-versions.json';
import { CONTROL_PLANE_BIN, requireControlPlane } from '../support/control-plane';
import { tempDir, writeKubeconfig } from '../support/fixtures';
import { requireRealKindCluster } from '../support/real-docker';
import { queueSampleOnBusybox, REAL_KIND } from '../support/real-kind';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';

// The page's globals, for the code run inside it (this file is compiled without the DOM library).
interface SeenElement { textContent: string | null; getAttribute(name: string): string | null }
declare const document: { body: unknown; querySelector(selector: string): SeenElement | null };
declare const window: { createSeen: { phases: string[]; percents: number[] } };
declare const MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };

const setup = requireRealKindCluster('real kind e2e');
const enabled = Boolean(setup) && requireControlPlane('real kind e2e') && requireChromium('real kind e2e') && requireBuild('real kind e2e');
const exec = promisify(execFile);
/** Debian's busybox-static, preloaded in the node image (local-path's helper image). */
const BUSYBOX = `docker.io/library/busybox:${k8sVersions.kindNode.busybox}`;

/** A pod that prints numbered ticks, and a CPU burner with an HPA on CPU utilization. */
function workloads(): string {
  const pod = (name: string, command: string, resources?: object) => ({
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name, image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', command], ...(resources ? { resources } : {}) }] },
    },
  });
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'e2e' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ticker', namespace: 'e2e' }, spec: pod('ticker', 'i=0; while :; do i=$((i+1)); echo "tick $i from $(hostname)"; sleep 1; done') },
      // Any CPU the loop gets is far above 50 % of a 10m request, so the HPA wants its maximum.
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'burn', namespace: 'e2e' }, spec: pod('burn', 'while :; do :; done', { requests: { cpu: '10m' }, limits: { cpu: '100m' } }) },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'burn', namespace: 'e2e' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'burn' }, minReplicas: 1, maxReplicas: 2, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
      },
    ],
  });
}

describe.runIf(enabled)('real kind in Chromium: create, logs, exec, HPA, object actions', () => {
  const tmp = tempDir('slipway-e2e-kind-');
  const name = `e2e-kind-${process.pid % 100_000}`;
  const context = `kind-${name}`;
  fs.mkdirSync(path.join(tmp.dir, 'kube'));
  const kubeconfig = writeKubeconfig(path.join(tmp.dir, 'kube', 'config'), [{ name: 'prod', server: 'https://prod.example:6443' }]);
  const env = {
    ...process.env,
    HOME: tmp.dir,
    KUBECONFIG: kubeconfig,
    SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'),
    PATH: setup?.path ?? '',
    DOCKER_HOST: setup?.dockerHost ?? '',
    // A network of its own, removed again with the cluster.
    KIND_EXPERIMENTAL_DOCKER_NETWORK: `${name}-net`,
  };
  const kubectl = async (...args: string[]) => (await exec(path.join(CONTROL_PLANE_BIN, 'kubectl'), ['--context', context, ...args], { env, maxBuffer: 16 << 20 })).stdout;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    serve = await startServeProcess(env);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    // Whatever a failed test left: the cluster and its network are this suite's alone.
    await exec(REAL_KIND, ['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfig], { env }).catch(() => undefined);
    await exec('docker', ['network', 'rm', `${name}-net`], { env }).catch(() => undefined);
    tmp.cleanup();
  }, 300_000);

  const shot = async (file: string) => {
    fs.mkdirSync('test/e2e/screenshots', { recursive: true });
    await page.screenshot({ path: `test/e2e/screenshots/${file}.png`, fullPage: true });
  };

  it('the Create Cluster page creates a real kind cluster and shows its phases as they happen', async () => {
    await page.goto(serve.url);
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create cluster' }).waitFor();
    // The radio's name is the provider and its hint.
    await page.getByRole('radio', { name: /^kind\b/ }).check();
    await page.getByLabel('Name', { exact: true }).fill(name);
    // One node: kind lets a lone control plane run workloads.
    await page.getByLabel('Workers', { exact: true }).fill('0');
    await page.getByLabel('Node image (optional)').fill(setup!.image);
    const preflight = page.getByRole('region', { name: 'Preflight' });
    await expect.poll(() => preflight.getByRole('heading').textContent(), { timeout: 60_000 }).toContain('Ready to create');

    // Record every phase and percent the page renders, as it renders them: a MutationObserver
    // sees each change, where sampling from the test (slow when the machine is busy) misses some.
    await page.evaluate(() => {
      const seen = { phases: [] as string[], percents: [] as number[] };
      window.createSeen = seen;
      const record = () => {
        const phase = document.querySelector('[data-testid="create-phase"]')?.textContent;
        const percent = document.querySelector('[role="progressbar"][aria-label="Creation progress"]')?.getAttribute('aria-valuenow');
        if (phase && seen.phases.at(-1) !== phase) seen.phases.push(phase);
        if (percent != null && seen.percents.at(-1) !== Number(percent)) seen.percents.push(Number(percent));
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    });
    await page.getByRole('button', { name: 'Create cluster' }).click();
    const created = page.getByRole('status', { name: 'Cluster created' });
    await created.waitFor({ timeout: 600_000 }).catch(() => undefined);
    const { phases, percents } = await page.evaluate(() => window.createSeen);
    const log = (await page.getByTestId('create-log').textContent()) ?? '';
    expect(await created.isVisible(), `not created in time; phases ${phases.join(' → ')}; log:\n${log.slice(-3000)}`).toBe(true);
    // The long phases are seen live, in order. (The short ones — metrics-server is one apply — may
    // come in the same tick as the next and never render on their own; the log shows them below.)
    expect(phases).toEqual(expect.arrayContaining(['Preflight', 'Creating nodes', 'Ready']));
    expect(phases.indexOf('Preflight')).toBeLessThan(phases.indexOf('Creating nodes'));
    expect(phases.indexOf('Creating nodes')).toBeLessThan(phases.indexOf('Ready'));
    if (phases.includes('metrics-server')) expect(phases.indexOf('Creating nodes')).toBeLessThan(phases.indexOf('metrics-server'));
    // Several distinct figures on the way up, in order, ending at 100.
    expect(percents.length).toBeGreaterThan(3);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(percents.at(-1)).toBe(100);
    // kind's own step lines, from the real binary.
    expect(log).toContain('Starting control-plane');
    expect(log).toContain('Applying metrics-server');
    expect(await created.textContent()).toContain(`context ${context}`);
    await shot('real-kind-created');
    // The real node exists and is Ready.
    expect(await kubectl('get', 'nodes', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}')).toBe('True');
  }, 660_000);

  it('shows the logs of a real container as it writes them', async () => {
    fs.writeFileSync(path.join(tmp.dir, 'workloads.json'), workloads());
    await kubectl('apply', '-f', path.join(tmp.dir, 'workloads.json'));
    await kubectl('-n', 'e2e', 'rollout', 'status', 'deployment/ticker', '--timeout=180s');
    const pod = (await kubectl('-n', 'e2e', 'get', 'pods', '-l', 'app=ticker', '-o', 'jsonpath={.items[0].metadata.name}')).trim();

    await page.goto(`${serve.origin}/#/workloads/pods`);
    const section = page.locator(`section.live-section[data-context="${context}"]`);
    const row = section.getByRole('row').filter({ hasText: pod });
    await row.waitFor({ timeout: 60_000 });
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toContain('Running');
    await row.click();
    const lines = page.getByLabel(`Logs of ${pod}`).getByTestId('log-lines');
    await expect.poll(() => lines.textContent(), { timeout: 60_000 }).toMatch(new RegExp(`tick \\d+ from ${pod}`));
    // Following: a tick numbered higher than any seen so far arrives without a reload.
    const highest = (text: string | null) => Math.max(0, ...[...(text ?? '').matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    const first = highest(await lines.textContent());
    await expect.poll(async () => highest(await lines.textContent()), { timeout: 30_000 }).toBeGreaterThan(first + 1);
    await shot('real-kind-logs');
  }, 300_000);

  it('the exec terminal runs a command inside the real container', async () => {
    const pod = (await kubectl('-n', 'e2e', 'get', 'pods', '-l', 'app=ticker', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
    await page.getByLabel(`Pod ${pod}`).getByRole('button', { name: 'Open terminal' }).click();
    await expect.poll(() => page.url()).toContain(`#/workloads/terminal/pod/${context}/e2e/${pod}`);
    const status = page.getByTestId('terminal-status');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).not.toBe('connecting…');
    const terminal = page.getByTestId('terminal');
    await terminal.click();
    // Worked out inside the pod: its hostname, and arithmetic the page could not fake.
    await page.keyboard.type('echo "in $(hostname): $((6*7))"; cat /proc/1/cmdline | tr "\\0" " "; echo\n');
    await expect.poll(() => terminal.textContent(), { timeout: 30_000 }).toContain(`in ${pod}: 42`);
    // The command line of PID 1 comes in a later chunk than the echo, so it is waited for too.
    await expect.poll(() => terminal.textContent(), { timeout: 30_000 }).toContain('while :; do i=$((i+1))');
    await shot('real-kind-terminal');
  }, 120_000);

  it('the Autoscalers page shows the HPA scaling on CPU that metrics-server scrapes from the kubelet', async () => {
    await page.goto(`${serve.origin}/#/workloads/hpa`);
    const section = page.locator(`section.live-section[data-context="${context}"]`);
    const row = section.getByRole('row').filter({ hasText: 'e2e/burn' });
    await row.waitFor({ timeout: 60_000 });
    try {
      await expect.poll(() => row.getByTestId('hpa-replicas').textContent(), { timeout: 480_000, interval: 5_000 }).toBe('2 / 2');
    } catch (error) {
      // Say why: the metrics API, what it reports, and the HPA's own conditions.
      const why = await Promise.all([
        kubectl('get', 'apiservice', 'v1beta1.metrics.k8s.io', '-o', 'jsonpath={.status.conditions}').catch((e) => String(e)),
        kubectl('-n', 'e2e', 'get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/e2e/pods').catch((e) => String(e)),
        kubectl('-n', 'e2e', 'get', 'hpa', 'burn', '-o', 'jsonpath={.status}').catch((e) => String(e)),
        kubectl('-n', 'kube-system', 'logs', 'deployment/metrics-server', '--tail=20').catch((e) => String(e)),
      ]);
      throw new Error(`${String(error)}\n${why.join('\n---\n')}`);
    }
    await row.click();
    const details = page.getByLabel('Autoscaler burn');
    await expect.poll(() => details.textContent(), { timeout: 30_000 }).toMatch(/cpu/i);
    const events = await kubectl('-n', 'e2e', 'get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler,involvedObject.name=burn', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}{"\\n"}{end}');
    expect(events).toMatch(/SuccessfulRescale:New size: 2; reason: cpu resource utilization \(percentage of request\) above target/);
    const chart = details.getByTestId('hpa-chart');
    await expect.poll(() => chart.getAttribute('data-peak-desired'), { timeout: 30_000 }).toBe('2');
    await shot('real-kind-hpa');

    // The history lives in the backend: a reload shows the same story.
    await page.reload();
    await row.click();
    await expect.poll(() => page.getByLabel('Autoscaler burn').getByTestId('hpa-chart').getAttribute('data-peak-desired'), { timeout: 60_000 }).toBe('2');

    // A backend that never watched this HPA still shows the scale-up, from the controller's event.
    const fresh = await startServeProcess(env);
    try {
      const other = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await other.goto(fresh.url);
      await other.goto(`${fresh.origin}/#/workloads/hpa`);
      await other.locator(`section.live-section[data-context="${context}"]`).getByRole('row').filter({ hasText: 'e2e/burn' }).click();
      const backfilled = other.getByLabel('Autoscaler burn').getByTestId('hpa-chart');
      await expect.poll(() => backfilled.getAttribute('data-event-samples'), { timeout: 60_000 }).not.toBe('0');
      expect(await backfilled.getAttribute('data-peak-desired')).toBe('2');
      await other.close();
    } finally {
      await fresh.stop();
    }
  }, 600_000);

  it('the load panel drives the demo’s queue sample on kind through Slipway’s in-cluster metrics adapter: 1 → 5 → 1', async () => {
    fs.writeFileSync(path.join(tmp.dir, 'queue-worker.json'), queueSampleOnBusybox('e2e', BUSYBOX));
    await kubectl('apply', '-f', path.join(tmp.dir, 'queue-worker.json'));
    await page.goto(`${serve.origin}/#/workloads/hpa`);
    const section = page.locator(`section.live-section[data-context="${context}"]`);
    await section.getByRole('row').filter({ hasText: 'e2e/inference-queue' }).click();
    const details = page.getByLabel('Autoscaler inference-queue');
    const load = details.getByRole('group', { name: 'Load queue_depth{queue=inference}' });
    await expect.poll(() => load.count(), { timeout: 60_000 }).toBe(1);
    await load.getByRole('button', { name: 'Push load (50)' }).click();
    await expect.poll(() => load.getByRole('status').textContent(), { timeout: 15_000 }).toContain('series queue_depth{queue=inference} = 50');
    const replicas = details.getByTestId('hpa-detail-replicas');
    await expect.poll(() => replicas.textContent(), { timeout: 240_000, interval: 3_000 }).toContain('5 current / 5 desired');
    await shot('real-kind-load-panel');
    await load.getByRole('button', { name: 'Release (0)' }).click();
    await expect.poll(() => replicas.textContent(), { timeout: 240_000, interval: 3_000 }).toContain('1 current / 1 desired');
    await kubectl('-n', 'e2e', 'delete', 'deployment/inference-queue', 'hpa/inference-queue', '--wait=false');
  }, 540_000);

  it('object details: a pod deleted from its panel is replaced, a Deployment scaled, a YAML edit applied after its dry-run diff, a Job suspended and resumed', async () => {
    const podNames = async () => (await kubectl('-n', 'e2e', 'get', 'pods', '-l', 'app=ticker', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').filter(Boolean);
    const [pod] = await podNames();
    await page.goto(`${serve.origin}/#/workloads/pods`);
    const section = page.locator(`section.live-section[data-context="${context}"]`);
    await section.getByRole('row').filter({ hasText: pod! }).click();
    await page.getByLabel(`Pod ${pod}`).getByRole('link', { name: 'Details', exact: true }).click();
    await expect.poll(() => page.url()).toContain(`#/object/${context}/core/Pod/e2e/${pod}`);
    const podPanel = page.getByLabel(`Details of Pod e2e/${pod}`);
    await podPanel.getByRole('link', { name: /^ReplicaSet ticker-/ }).waitFor({ timeout: 30_000 });
    await podPanel.getByRole('button', { name: 'Delete' }).click();
    const confirmDelete = page.getByRole('dialog', { name: `Delete Pod e2e/${pod}?` });
    expect(await confirmDelete.textContent()).toContain(`in context ${context}. Its controller will create a replacement.`);
    await confirmDelete.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => podPanel.getByRole('status').first().textContent(), { timeout: 30_000 }).toContain(`Deleted Pod e2e/${pod} in ${context}.`);
    await expect.poll(async () => (await podNames()).filter((n) => n !== pod).length, { timeout: 120_000, interval: 2_000 }).toBe(1);

    // A shared link opens the Deployment's details directly.
    await page.goto(`${serve.origin}/#/object/${context}/apps/Deployment/e2e/ticker`);
    const deployment = page.getByLabel('Details of Deployment e2e/ticker');
    await deployment.getByRole('button', { name: 'Scale' }).click();
    const confirmScale = page.getByRole('dialog', { name: 'Scale Deployment e2e/ticker?' });
    await confirmScale.getByLabel('Replicas').fill('2');
    expect(await confirmScale.textContent()).toContain(`This sets Deployment e2e/ticker in context ${context} to 2 replicas (now 1).`);
    await confirmScale.getByRole('button', { name: 'Scale', exact: true }).click();
    await expect.poll(() => kubectl('-n', 'e2e', 'get', 'deployment', 'ticker', '-o', 'jsonpath={.spec.replicas}'), { timeout: 30_000 }).toBe('2');
    await expect.poll(async () => (await podNames()).length, { timeout: 120_000, interval: 2_000 }).toBe(2);

    await deployment.getByRole('button', { name: 'Edit YAML' }).click();
    const editor = deployment.getByRole('textbox', { name: 'YAML' });
    const yaml = await editor.inputValue();
    expect(yaml).not.toContain('managedFields');
    await editor.fill(yaml.replace(/^ {2}name: ticker\n/m, '  name: ticker\n  labels:\n    team: vision\n'));
    await deployment.getByRole('button', { name: 'Review changes' }).click();
    await expect.poll(() => deployment.getByLabel('Dry-run diff').textContent(), { timeout: 30_000 }).toContain('+ metadata.labels: {"team":"vision"}');
    // The dry run changed nothing.
    expect(await kubectl('-n', 'e2e', 'get', 'deployment', 'ticker', '-o', 'jsonpath={.metadata.labels}')).toBe('');
    await shot('real-kind-edit-diff');
    await deployment.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect.poll(() => kubectl('-n', 'e2e', 'get', 'deployment', 'ticker', '-o', 'jsonpath={.metadata.labels.team}'), { timeout: 30_000 }).toBe('vision');

    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'sleeper', namespace: 'e2e' }, spec: { template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'sleep', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', 'sleep 3600'] }] } } } };
    fs.writeFileSync(path.join(tmp.dir, 'job.json'), JSON.stringify(job));
    await kubectl('apply', '-f', path.join(tmp.dir, 'job.json'));
    const jobPods = async () => (await kubectl('-n', 'e2e', 'get', 'pods', '-l', 'batch.kubernetes.io/job-name=sleeper', '--field-selector', 'status.phase=Running', '-o', 'name')).trim();
    // When a wait on the Job fails, say where it stands.
    const jobState = async () => [await kubectl('-n', 'e2e', 'get', 'job', 'sleeper', '-o', 'jsonpath={.spec.suspend} {.status}'), await kubectl('-n', 'e2e', 'get', 'pods', '-o', 'wide')].join('\n');
    const untilRunning = async (want: boolean) => {
      try {
        if (want) await expect.poll(jobPods, { timeout: 120_000, interval: 2_000 }).not.toBe('');
        else await expect.poll(jobPods, { timeout: 120_000, interval: 2_000 }).toBe('');
      } catch (error) {
        throw new Error(`${String(error)}\n${await jobState()}`);
      }
    };
    await untilRunning(true);
    await page.goto(`${serve.origin}/#/object/${context}/batch/Job/e2e/sleeper`);
    const jobPanel = page.getByLabel('Details of Job e2e/sleeper');
    await jobPanel.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('dialog', { name: 'Suspend Job e2e/sleeper?' }).getByRole('button', { name: 'Suspend', exact: true }).click();
    await expect.poll(() => kubectl('-n', 'e2e', 'get', 'job', 'sleeper', '-o', 'jsonpath={.spec.suspend}'), { timeout: 30_000 }).toBe('true');
    // Suspending stops the running pod; the panel now offers Resume.
    await untilRunning(false);
    await expect.poll(() => jobPanel.getByRole('button', { name: 'Resume' }).isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await jobPanel.getByRole('button', { name: 'Suspend' }).isDisabled()).toBe(true);
    await jobPanel.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('dialog', { name: 'Resume Job e2e/sleeper?' }).getByRole('button', { name: 'Resume', exact: true }).click();
    await expect.poll(() => kubectl('-n', 'e2e', 'get', 'job', 'sleeper', '-o', 'jsonpath={.spec.suspend}'), { timeout: 30_000 }).toBe('false');
    await untilRunning(true);
    await shot('real-kind-job-resumed');
  }, 600_000);

  it('the Forwards page serves a real HTTP server in a pod and follows its replacement; pasted YAML is applied to this cluster and rolled back', async () => {
    const web = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace: 'e2e' },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'web' } },
            template: {
              metadata: { labels: { app: 'web' } },
              spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', 'mkdir -p /www && echo "served by $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www'], ports: [{ containerPort: 8080 }] }] },
            },
          },
        },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'e2e' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
      ],
    };
    fs.writeFileSync(path.join(tmp.dir, 'web.json'), JSON.stringify(web));
    await kubectl('apply', '-f', path.join(tmp.dir, 'web.json'));
    await kubectl('-n', 'e2e', 'rollout', 'status', 'deployment/web', '--timeout=180s');
    const webPod = async () => (await kubectl('-n', 'e2e', 'get', 'pods', '-l', 'app=web', '--field-selector', 'status.phase=Running', '-o', 'jsonpath={.items[*].metadata.name}')).trim();
    const first = await webPod();

    await page.goto(`${serve.origin}/#/forwards/start/${context}/e2e/service/web`);
    const form = page.getByRole('form', { name: 'Start a forward' });
    await form.getByLabel('Remote port').fill('80');
    await form.getByRole('button', { name: 'Start forward' }).click();
    const forwards = page.getByRole('table', { name: 'Forwards' });
    await expect.poll(() => forwards.locator('code').first().textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const url = (await forwards.locator('code').first().textContent())!;
    expect(await (await fetch(url)).text()).toBe(`served by ${first}\n`);
    // The pod goes; the Deployment replaces it; the same local URL reaches the new one.
    await kubectl('-n', 'e2e', 'delete', 'pod', first, '--wait=true');
    await kubectl('-n', 'e2e', 'rollout', 'status', 'deployment/web', '--timeout=180s');
    await expect.poll(async () => (await fetch(url).then((r) => r.text()).catch(() => '')).trim(), { timeout: 60_000, interval: 2_000 }).toMatch(/^served by web-/);
    expect((await (await fetch(url)).text()).trim()).not.toBe(`served by ${first}`);
    await shot('real-kind-forward');
    await forwards.getByRole('button', { name: `Stop ${url}` }).click();
    await expect.poll(() => fetch(url).then(() => 'answered', () => 'refused'), { timeout: 20_000 }).toBe('refused');

    // The laptop loop: pasted YAML, applied to this cluster through preflight, diff and apply, then rolled back.
    // From the Overview's "Deploy to this cluster": the Promote page opens with this context as the target and a sample as the bundle.
    await page.goto(`${serve.origin}/#/overview`);
    await page.getByLabel(`Deploy to ${context}`).getByRole('button', { name: 'Deploy to this cluster' }).click();
    await expect.poll(() => page.url()).toContain(`#/promote/to/${context}/`);
    await expect.poll(() => page.getByLabel('Bundle objects').textContent().catch(() => ''), { timeout: 20_000 }).not.toBe('');
    await expect.poll(() => page.getByLabel('Context', { exact: true }).inputValue(), { timeout: 20_000 }).toBe(context);
    await page.getByText('Paste YAML…').click();
    await page.getByLabel('Pasted YAML').fill('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pasted-settings\n  namespace: e2e\ndata:\n  lr: "0.001"\n');
    await page.getByRole('button', { name: 'Use as bundle' }).click();
    await expect.poll(() => page.getByLabel('Bundle objects').textContent().catch(() => ''), { timeout: 20_000 }).toContain('ConfigMap e2e/pasted-settings');
    await page.getByRole('button', { name: 'Apply' }).click();
    const result = page.getByRole('region', { name: 'Apply result' });
    await expect.poll(() => result.textContent().catch(() => ''), { timeout: 60_000 }).toContain('succeeded');
    expect(await kubectl('-n', 'e2e', 'get', 'configmap', 'pasted-settings', '-o', 'jsonpath={.data.lr}')).toBe('0.001');
    const history = page.getByRole('table', { name: 'Promotion history' });
    await expect.poll(() => history.textContent().catch(() => ''), { timeout: 20_000 }).toContain(context);
    await history.getByRole('button', { name: 'Roll back' }).first().click();
    await expect.poll(() => page.getByLabel('Rollback result').textContent().catch(() => ''), { timeout: 30_000 }).toContain('ConfigMap e2e/pasted-settings deleted');
    expect(await kubectl('-n', 'e2e', 'get', 'configmap', 'pasted-settings', '--ignore-not-found', '-o', 'name')).toBe('');
  }, 600_000);

  it('deleting from the cluster list removes the cluster, its network and its context', async () => {
    await page.goto(`${serve.origin}/#/clusters`);
    const row = page.locator(`tr[data-cluster="kind/${name}"]`);
    await row.waitFor({ timeout: 60_000 });
    await row.getByRole('button', { name: `Delete ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete cluster “${name}”?` });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.locator(`tr[data-cluster="kind/${name}"]`).count(), { timeout: 180_000, interval: 2_000 }).toBe(0);
    expect((await exec('docker', ['ps', '-aq', '--filter', `label=io.x-k8s.kind.cluster=${name}`], { env })).stdout.trim()).toBe('');
    expect((await exec('docker', ['network', 'ls', '--format', '{{.Name}}'], { env })).stdout.split('\n')).not.toContain(`${name}-net`);
    expect(fs.readFileSync(kubeconfig, 'utf8')).not.toContain(context);
    expect(consoleErrors).toEqual([]);
  }, 240_000);
});
