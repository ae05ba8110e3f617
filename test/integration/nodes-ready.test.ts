import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFromKubeconfig } from '../../main/clusters/kubeconfig-client';
import { NODES_READY_PHASE, waitForNodesReady } from '../../main/clusters/nodes-ready';
import type { KubeClient } from '../../main/kube/kube-client';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { requireControlPlane } from '../support/control-plane';
import { recordingIo } from '../support/provider-io';

const enabled = requireControlPlane('waiting for nodes after create');

/** The shared waiter against a real control plane, where kwok makes nodes Ready and nothing lifts a cloud taint. */
describe.runIf(enabled)('waitForNodesReady', () => {
  let cluster: TestCluster;
  let client: KubeClient;
  const node = (name: string, taints: object[] = []) => JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints } });

  beforeAll(async () => {
    cluster = await startCluster();
    client = clientFromKubeconfig(fs.readFileSync(cluster.kubeconfigPath, 'utf8'), cluster.contextName);
  });
  afterAll(async () => {
    client?.dispose();
    await cluster?.stop();
  });

  it('names the node and the start-up taint past its deadline, and returns once the taint is gone', async () => {
    await cluster.kubectl(['create', '-f', '-'], node('uninit-0', [{ key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' }]));
    const io = recordingIo();
    const error = await waitForNodesReady(client, io, { names: ['uninit-0'], count: 1, timeoutMs: 3_000, intervalMs: 200, percent: 90 }).catch((e) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    // kwok made it Ready; only the taint (that a cloud controller would lift) holds it back.
    expect(error.message).toBe("The cluster's nodes were not ready within 3 s: node uninit-0 is tainted node.cloudprovider.kubernetes.io/uninitialized:NoSchedule.");
    expect(io.updates.every((u) => u.phase === NODES_READY_PHASE)).toBe(true);

    const waiting = waitForNodesReady(client, recordingIo(), { names: ['uninit-0'], count: 1, timeoutMs: 60_000, intervalMs: 200, percent: 90 });
    await cluster.kubectl(['taint', 'node', 'uninit-0', 'node.cloudprovider.kubernetes.io/uninitialized-']);
    await expect(waiting).resolves.toBeUndefined();
  });

  it('says which node has not registered, and stops when cancelled', async () => {
    const error = await waitForNodesReady(client, recordingIo(), { names: ['ghost-0'], count: 1, timeoutMs: 1_000, intervalMs: 200, percent: 90 }).catch((e) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: "The cluster's nodes were not ready within 1 s: node ghost-0 has not registered yet." });
    const io = recordingIo((u) => u.phase === NODES_READY_PHASE);
    await expect(waitForNodesReady(client, io, { names: ['ghost-0'], count: 1, timeoutMs: 60_000, percent: 90 })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
