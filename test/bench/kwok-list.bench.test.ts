import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../main/kube/kube-client';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { recordFigures } from './support/results';
import { clientFor, pagedList, seedPods } from './support/seed';

const enabled = requireControlPlane('kwok paged LIST benchmark');
const NODES = 100;
const PODS = 10_000;

/** 10,000 pods on 100 simulated nodes; how long a paged LIST (limit 500 + continue) of them takes. */
describe.runIf(enabled)('paged LIST of 10,000 pods', () => {
  let cluster: TestCluster;
  let client: KubeClient;

  beforeAll(async () => {
    cluster = await startCluster();
    client = clientFor(cluster.kubeconfigPath, cluster.contextName);
  });
  afterAll(async () => {
    client?.dispose();
    await cluster?.stop();
  });

  it('seeds the cluster and lists it in pages', async () => {
    const seeded = await seedPods(client, { nodes: NODES, pods: PODS, onProgress: (n) => process.stdout.write(`  seeded ${n} pods\r`) });
    const lists = [];
    for (let i = 0; i < 3; i++) lists.push(await pagedList(client, '/api/v1/pods', 500));
    for (const l of lists) expect(l.items).toBe(PODS);
    const unpaged = await pagedList(client, '/api/v1/pods', 0);
    const best = Math.min(...lists.map((l) => l.ms));
    recordFigures(
      'kwok-list-10k-pods',
      {
        nodes: NODES,
        pods: PODS,
        seedNodesMs: seeded.nodeMs,
        seedPodsMs: seeded.podMs,
        seedPodsPerSecond: Math.round(PODS / (seeded.podMs / 1000)),
        pagedListPages: lists[0]!.pages,
        pagedListFirstMs: Math.round(lists[0]!.ms),
        pagedListBestMs: Math.round(best),
        pagedListMegabytes: Math.round(lists[0]!.bytes / 1e5) / 10,
        unpagedListMs: Math.round(unpaged.ms),
      },
      { pagedListBestMs: '< 5000' },
    );
  });
});
