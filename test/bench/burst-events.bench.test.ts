import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../main/kube/kube-client';
import { WatchService } from '../../main/kube/watch/watch-service';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { tempDir } from '../support/fixtures';
import { requireChromium } from '../e2e/support/browser';
import { requireBuild } from '../e2e/support/serve-process';
import { waitForServiceAccount } from '../integration/watch-fixtures';
import { recordFigures } from './support/results';
import { clientFor } from './support/seed';
import { createGatedPods } from './support/gated-pods';
import { openLivePage, percentile, type BenchRecord, type LivePage } from './support/live-page';
import { growthPerHour, processRssMB, rendererHeapMB } from './support/memory';

// Functions passed to page.evaluate run inside Chromium; the Node tsconfig has no DOM types.
declare const window: any;

const enabled = requireControlPlane('burst benchmark') && requireChromium('burst benchmark') && requireBuild('burst benchmark');
const PODS = 10_000;
const RATE = 500;
const SECONDS = 60;
/** Idle watching after the burst, sampled for memory growth (Lens users report ~108 MB/h idle). */
const IDLE_SECONDS = 180;
const IDLE_SAMPLE_SECONDS = 20;

/**
 * 500 watch events a second for 60 s (pod status updates that change what the Pods table shows)
 * while the Pods page is open, on 10,000 pods held by a scheduling gate so nothing but the burst
 * changes them: renderer long tasks, main→renderer messages per second, and
 * whether the engine's cache and the page converge to a fresh LIST afterwards. Then three idle
 * minutes with the page still watching: renderer heap (after GC) and backend RSS over time.
 */
describe.runIf(enabled)('burst of 500 events/s for 60 s', () => {
  const tmp = tempDir();
  let cluster: TestCluster;
  let client: KubeClient;
  /** The load generator has its own connections, as another actor on the cluster would. */
  let loadClient: KubeClient;
  let live: LivePage;

  beforeAll(async () => {
    cluster = await startCluster();
    client = clientFor(cluster.kubeconfigPath, cluster.contextName);
    loadClient = clientFor(cluster.kubeconfigPath, cluster.contextName);
    await cluster.createNamespace('bench');
    await waitForServiceAccount(cluster, 'bench');
    await createGatedPods(client, 'bench', PODS);
    live = await openLivePage(cluster.kubeconfigPath, path.join(tmp.dir, 'config'), cluster.contextName);
  });
  afterAll(async () => {
    await live?.close();
    client?.dispose();
    loadClient?.dispose();
    await cluster?.stop();
    tmp.cleanup();
  });

  const statusPatch = (restarts: number) => ({
    status: {
      containerStatuses: [
        { name: 'main', image: 'registry.k8s.io/pause:3.10', imageID: '', ready: true, started: true, restartCount: restarts, state: { running: { startedAt: '2025-01-01T00:00:00Z' } } },
      ],
    },
  });

  it('keeps long tasks p95 ≤ 50 ms and ≤ 10 messages/s, and converges', async () => {
    const { page } = live;
    await page.evaluate(() => (window.location.hash = '#/workloads/pods'));
    await expect.poll(() => page.getByTestId('pod-count').textContent(), { timeout: 60_000 }).toContain(`of ${PODS} pods`);
    // An engine in this process too, to compare its cache with a fresh LIST afterwards.
    const engine = new WatchService(async () => client, { lingerMs: 0, probeIntervalMs: 0 });
    const { informer, release } = engine.acquire({ context: cluster.contextName, resource: { group: '', plural: 'pods' }, namespace: 'bench' });
    await expect.poll(() => informer.synced, { timeout: 30_000 }).toBe(true);
    const servePid = live.serve.child.pid!;
    const memoryBefore = { rendererHeapMB: await rendererHeapMB(page), backendRssMB: processRssMB(servePid) };
    await page.evaluate(() => {
      window.__bench.messages.length = 0;
      window.__bench.longTasks.length = 0;
    });
    const startedAt = await page.evaluate(() => performance.now());

    // The burst: RATE status patches per second, paced every 100 ms.
    const restarts = new Map<number, number>();
    let sent = 0;
    let failed = 0;
    const t0 = Date.now();
    const inflight = new Set<Promise<void>>();
    for (let tick = 0; tick < SECONDS * 10; tick++) {
      const due = t0 + tick * 100;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      for (let i = 0; i < RATE / 10; i++) {
        const pod = (sent * 7919) % PODS;
        const n = (restarts.get(pod) ?? 0) + 1;
        restarts.set(pod, n);
        sent++;
        const p = loadClient
          .request({ method: 'PATCH', path: `/api/v1/namespaces/bench/pods/seed-${pod}/status`, body: statusPatch(n), contentType: 'application/merge-patch+json', timeoutMs: 30_000 })
          .then(
            () => undefined,
            () => void failed++,
          )
          .finally(() => inflight.delete(p));
        inflight.add(p);
      }
      // Never more than a few seconds of backlog: a slower server lowers the rate, reported below.
      while (inflight.size > RATE * 2) await Promise.race(inflight);
    }
    await Promise.all(inflight);
    const burstSeconds = (Date.now() - t0) / 1000;

    const record = (await page.evaluate(() => window.__bench)) as BenchRecord;
    const endAt = await page.evaluate(() => performance.now());
    const perSecond = new Map<number, number>();
    for (const m of record.messages) if (m.at >= startedAt) perSecond.set(Math.floor((m.at - startedAt) / 1000), (perSecond.get(Math.floor((m.at - startedAt) / 1000)) ?? 0) + 1);
    const counts = [...perSecond.values()];
    const longTasks = record.longTasks.filter((t) => t.at >= startedAt).map((t) => t.ms);

    const elapsed = (endAt - startedAt) / 1000;
    const figures = {
      pods: PODS,
      targetEventsPerSecond: RATE,
      seconds: SECONDS,
      patchesSent: sent,
      patchesFailed: failed,
      achievedEventsPerSecond: Math.round(sent / burstSeconds),
      messagesPerSecondMax: Math.max(0, ...counts),
      messagesPerSecondMean: Math.round((record.messages.filter((m) => m.at >= startedAt).length / elapsed) * 10) / 10,
      longTasks: longTasks.length,
      longTaskP95Ms: Math.round(percentile(longTasks, 95)),
      longTaskMaxMs: Math.round(Math.max(0, ...longTasks)),
      burstSeconds: Math.round(burstSeconds),
    };
    recordFigures('burst-500-events-per-second', { ...figures, converged: 'pending' });
    // Convergence: the engine's cache equals a fresh LIST (names and resourceVersions)…
    const fresh = async () => {
      const items: KubeObject[] = [];
      let token: string | undefined;
      do {
        const res = await client.request<{ items: KubeObject[]; metadata: { continue?: string } }>({ path: '/api/v1/namespaces/bench/pods', query: { limit: 500, continue: token } });
        items.push(...res.body.items);
        token = res.body.metadata.continue || undefined;
      } while (token);
      return items;
    };
    const rvs = (objects: Iterable<KubeObject>) => JSON.stringify([...objects].map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort());
    let listed: KubeObject[] = [];
    const convergeStart = Date.now();
    await expect
      .poll(async () => {
        listed = await fresh();
        if (rvs(informer.cache.values()) === rvs(listed)) return true;
        const cached = new Map([...informer.cache.values()].map((o) => [o.metadata.name, o.metadata.resourceVersion]));
        const differ = listed.filter((o) => cached.get(o.metadata.name) !== o.metadata.resourceVersion);
        const behind = differ.filter((o) => Number(cached.get(o.metadata.name) ?? 0) < Number(o.metadata.resourceVersion)).length;
        const newest = Math.max(...listed.map((o) => Number(o.metadata.resourceVersion)));
        return `${differ.length} pods differ (${behind} behind the server); newest pod rv on server ${newest}, cache rv ${informer.lastResourceVersion}, phase ${informer.status.phase}, stats ${JSON.stringify(informer.stats)}; e.g. ${differ[0]?.metadata.name} server ${differ[0]?.metadata.resourceVersion} cache ${cached.get(differ[0]?.metadata.name ?? '')}`;
      }, { timeout: 60_000, interval: 1_000 })
      .toBe(true);
    // …and the page shows the final restart counts (sampled through the filter box).
    const samples = [...restarts.keys()].slice(0, 8);
    for (const pod of samples) {
      await page.getByLabel('Filter pods').fill(`seed-${pod}`);
      // The filter keeps seed-N and seed-N0…; sorted by name, seed-N comes first.
      const row = page.getByTestId('vtable-body').getByRole('row').first();
      await expect.poll(() => row.locator('[role="cell"]').first().textContent(), { timeout: 20_000 }).toBe(`seed-${pod}`);
      const server = listed.find((p) => p.metadata.name === `seed-${pod}`)!;
      const expected = String(server.status.containerStatuses[0].restartCount);
      await expect.poll(() => row.locator('[role="cell"]').nth(4).textContent(), { timeout: 20_000 }).toBe(expected);
    }
    const convergeMs = Date.now() - convergeStart;
    release();
    engine.dispose();

    // Idle with the 10,000-pod page open and watching: memory must level off, not climb.
    await page.getByLabel('Filter pods').fill('');
    const renderer: { seconds: number; mb: number }[] = [];
    const backend: { seconds: number; mb: number }[] = [];
    const idleStart = Date.now();
    for (let t = 0; t <= IDLE_SECONDS; t += IDLE_SAMPLE_SECONDS) {
      const wait = idleStart + t * 1000 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      renderer.push({ seconds: t, mb: await rendererHeapMB(page) });
      backend.push({ seconds: t, mb: processRssMB(servePid) });
    }
    const round = (mb: number) => Math.round(mb * 10) / 10;
    const memory = {
      rendererHeapBeforeBurstMB: round(memoryBefore.rendererHeapMB),
      rendererHeapAfterBurstMB: round(renderer[0]!.mb),
      rendererHeapAfterIdleMB: round(renderer.at(-1)!.mb),
      rendererIdleGrowthMBPerHour: round(growthPerHour(renderer)),
      backendRssBeforeBurstMB: round(memoryBefore.backendRssMB),
      backendRssAfterBurstMB: round(backend[0]!.mb),
      backendRssAfterIdleMB: round(backend.at(-1)!.mb),
      // RSS falls while the heap shrinks back after the burst, so a slope over it says little;
      // the before/after pair is the honest figure. Its peak during the idle window is kept too.
      backendRssIdlePeakMB: round(Math.max(...backend.map((b) => b.mb))),
      idleSeconds: IDLE_SECONDS,
    };

    recordFigures(
      'burst-500-events-per-second',
      { ...figures, convergedAfterBurstMs: convergeMs, pageShowsFinalState: true, ...memory },
      { longTaskP95Ms: '≤ 50', messagesPerSecondMax: '≤ 10', achievedEventsPerSecond: '500', rendererIdleGrowthMBPerHour: '≈ 0 (renderer heap after GC; Lens users report ~108 MB/h)' },
    );
    expect(figures.messagesPerSecondMax).toBeLessThanOrEqual(10);
    expect(figures.longTaskP95Ms).toBeLessThanOrEqual(50);
  });
});
