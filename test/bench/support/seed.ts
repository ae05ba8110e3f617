/**
 * Seeds a simulated cluster with many nodes and pods, for list/watch benchmarks. Pods are bound
 * to nodes round-robin (`spec.nodeName`), as a busy scheduler would have placed them, and kwok
 * takes each to Running. Talks to the API server with the product's KubeClient; no CLI needed.
 */
import fs from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../../main/kube/kube-client';
import { nodeManifests } from '../../../main/clusters/kwok/gpu-nodes';

export interface SeedOptions {
  nodes: number;
  pods: number;
  namespace?: string;
  /** Requests in flight at once. */
  concurrency?: number;
  onProgress?: (created: number) => void;
}

export function clientFor(kubeconfigPath: string, contextName: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromString(fs.readFileSync(kubeconfigPath, 'utf8'));
  kc.setCurrentContext(contextName);
  return new KubeClient(kc, contextName);
}

async function pool(total: number, concurrency: number, work: (i: number) => Promise<void>, onDone?: (n: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        await work(i);
        if (++done % 500 === 0) onDone?.(done);
      }
    }),
  );
}

/** Creates `nodes` simulated nodes (bench-node-N) and `pods` pods spread across them. */
export async function seedPods(client: KubeClient, options: SeedOptions): Promise<{ nodeMs: number; podMs: number }> {
  const namespace = options.namespace ?? 'seed';
  const concurrency = options.concurrency ?? 32;
  const started = Date.now();
  const nodes = nodeManifests({ nodes: options.nodes, gpuNodes: 0, gpusPerNode: 1, gpuProduct: 'x', gpuMemoryMiB: 1 }, 'v1.34.4').map((n, i) => {
    const name = `bench-node-${i}`;
    return { ...n, metadata: { ...n.metadata, name, labels: { ...n.metadata.labels, 'kubernetes.io/hostname': name }, annotations: { ...n.metadata.annotations, 'metrics.k8s.io/resource-metrics-path': `/metrics/nodes/${name}/metrics/resource` } } };
  });
  await pool(nodes.length, concurrency, async (i) => {
    await client.request({ method: 'POST', path: '/api/v1/nodes', body: nodes[i] });
  });
  const nodeMs = Date.now() - started;
  await client.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } }).catch((e: { details?: { status?: number } }) => {
    if (e.details?.status !== 409) throw e;
  });
  const podsStarted = Date.now();
  await pool(
    options.pods,
    concurrency,
    async (i) => {
      await client.request({
        method: 'POST',
        path: `/api/v1/namespaces/${namespace}/pods`,
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `seed-${i}`, labels: { app: 'seed', shard: String(i % 10) } },
          spec: {
            nodeName: `bench-node-${i % options.nodes}`,
            containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
          },
        },
        timeoutMs: 60_000,
      });
    },
    options.onProgress,
  );
  return { nodeMs, podMs: Date.now() - podsStarted };
}

/** LISTs every pod in pages of `limit` (limit + continue); returns the count, pages and time. */
export async function pagedList(client: KubeClient, path: string, limit = 500): Promise<{ items: number; pages: number; ms: number; bytes: number }> {
  const started = performance.now();
  let items = 0;
  let pages = 0;
  let bytes = 0;
  let token: string | undefined;
  do {
    const res = await client.request<{ items: unknown[]; metadata: { continue?: string } }>({ path, query: { limit, continue: token }, timeoutMs: 60_000 });
    items += res.body.items.length;
    bytes += Number(res.headers['content-length'] ?? 0) || JSON.stringify(res.body).length;
    pages++;
    token = res.body.metadata.continue || undefined;
  } while (token);
  return { items, pages, ms: performance.now() - started, bytes };
}
