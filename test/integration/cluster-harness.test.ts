import { afterAll, describe, expect, it } from 'vitest';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';

const enabled = requireControlPlane('cluster harness');

describe.runIf(enabled)('cluster harness', () => {
  const clusters: TestCluster[] = [];
  afterAll(async () => {
    await Promise.all(clusters.map((c) => c.stop()));
  });

  it('starts two independent clusters with their own servers and stops them', async () => {
    const [a, b] = await Promise.all([startCluster(), startCluster()]);
    clusters.push(a!, b!);
    expect(a!.server).not.toBe(b!.server);
    await a!.createNamespace('only-in-a');
    const inB = await b!.kubectl(['get', 'namespaces', '-o', 'name']);
    expect(inB).not.toContain('only-in-a');
    expect(await a!.kubectl(['get', 'namespaces', '-o', 'name'])).toContain('only-in-a');
    await a!.stop();
    await expect(a!.kubectl(['get', 'namespaces', '--request-timeout=2s'])).rejects.toThrow();
  });
});
