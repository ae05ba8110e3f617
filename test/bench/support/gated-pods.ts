import type { KubeClient } from '../../../main/kube/kube-client';

/**
 * Creates `count` pods held by a scheduling gate: no scheduler, kubelet or kwok ever touches
 * them, so after a burst of our own updates the server goes quiet and "the cache equals a fresh
 * LIST" is a well-defined check (kwok-managed pods keep being reconciled for minutes).
 */
export async function createGatedPods(client: KubeClient, namespace: string, count: number, concurrency = 32): Promise<number> {
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        await client.request({
          method: 'POST',
          path: `/api/v1/namespaces/${namespace}/pods`,
          timeoutMs: 60_000,
          body: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: `seed-${i}`, labels: { app: 'burst', shard: String(i % 10) } },
            spec: {
              schedulingGates: [{ name: 'slipway.dev/hold' }],
              containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
            },
          },
        });
      }
    }),
  );
  return Date.now() - started;
}
