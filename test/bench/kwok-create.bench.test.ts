import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClusterRequestSchema } from '../../shared/models/clusters';
import { requireControlPlane } from '../support/control-plane';
import { testClusterName, testKwokProvider } from '../support/cluster-harness';
import { recordFigures } from './support/results';

const enabled = requireControlPlane('kwok create benchmark');
const RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Create-to-ready of a simulated cluster with cached binaries: from `create` to a cluster whose
 * API answers and whose nodes are Ready, as `slipway cluster create` does it; and the start of a
 * stopped one (its ports checked, then kwokctl start until the API answers).
 */
describe.runIf(enabled)('simulated cluster create-to-ready', () => {
  const { provider, workdir, dispose } = testKwokProvider();
  afterAll(dispose);

  it('measures bare and GPU clusters', async () => {
    const kubeconfig = path.join(workdir, 'kubeconfig');
    const measure = async (shape: { nodes: number; gpuNodes: number; metricsServer: boolean }) => {
      const times: number[] = [];
      const deletes: number[] = [];
      const restarts: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const name = testClusterName('bench');
        const request = createClusterRequestSchema.parse({ provider: 'kwok', name, nodes: shape.nodes, gpuNodes: shape.gpuNodes, gpusPerNode: 8, addons: { metricsServer: shape.metricsServer } });
        const io = { progress: () => {}, signal: new AbortController().signal };
        const t0 = performance.now();
        const summary = await provider.create(request, kubeconfig, io);
        times.push(performance.now() - t0);
        expect(summary.status).toBe('running');
        // Stop, then start again until the API answers (kwokctl --wait), ports checked first.
        await provider.stop(name);
        const tStart = performance.now();
        await provider.start(name, kubeconfig);
        restarts.push(performance.now() - tStart);
        const t1 = performance.now();
        await provider.delete(name, kubeconfig, io);
        deletes.push(performance.now() - t1);
      }
      return { times, deletes, restarts };
    };
    const bare = await measure({ nodes: 0, gpuNodes: 0, metricsServer: false });
    const gpu = await measure({ nodes: 1, gpuNodes: 2, metricsServer: true });
    recordFigures(
      'kwok-create',
      {
        runs: RUNS,
        bareCreateMedianMs: Math.round(median(bare.times)),
        bareCreateMaxMs: Math.round(Math.max(...bare.times)),
        gpuClusterCreateMedianMs: Math.round(median(gpu.times)),
        gpuClusterCreateMaxMs: Math.round(Math.max(...gpu.times)),
        gpuClusterShape: '1 CPU node + 2 GPU nodes x 8 GPUs, metrics-server',
        deleteMedianMs: Math.round(median([...bare.deletes, ...gpu.deletes])),
        startStoppedMedianMs: Math.round(median([...bare.restarts, ...gpu.restarts])),
      },
      { gpuClusterCreateMedianMs: '< 10000' },
    );
  });
});
