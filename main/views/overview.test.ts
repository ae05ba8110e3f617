import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { fixture } from './fixtures/load';
import { nodeRows, overviewSummary } from './overview';
import { podRow } from './pods';

describe('overview', () => {
  const nodes = fixture<KubeObject[]>('nodes-gpu.json');
  const pods = fixture<KubeObject[]>('pods-gpu.json');

  it('per node: GPU capacity, allocatable, requested by unfinished pods (init containers as the scheduler counts them)', () => {
    const rows = nodeRows(nodes, pods);
    const gpu0 = rows.find((r) => r.name === 'gpu-node-0')!;
    // train-0 asks 2; train-1 asks max(init 4, app 1) = 4; the Succeeded pod's 8 no longer count.
    expect(gpu0.gpu).toEqual({ capacity: 8, allocatable: 7, requested: 6, product: 'NVIDIA-A100-SXM4-80GB', memoryMiB: 81920, resource: 'nvidia.com/gpu' });
    expect(gpu0.cpu).toEqual({ allocatable: 127.5, requested: 8.5 });
    expect(gpu0.problems).toEqual(['DiskPressure (KubeletHasDiskPressure)']);
    expect(gpu0).toMatchObject({ ready: true, roles: ['worker'], kubeletVersion: 'v1.31.4', pods: 2 });
    const gke = rows.find((r) => r.name === 'gke-a3-pool')!;
    expect(gke).toMatchObject({ ready: false, unschedulable: true, gpu: { capacity: 8, requested: 1, product: 'nvidia-h100-80gb' } });
    expect(gke.problems[0]).toBe('Ready=Unknown (NodeStatusUnknown)');
  });

  it('a node with no status shows as not ready with zero resources', () => {
    const broken = nodeRows(nodes, pods).find((r) => r.name === 'broken-node')!;
    expect(broken).toMatchObject({ ready: false, problems: ['Ready condition missing'], gpu: { capacity: 0, allocatable: 0, requested: 0 } });
  });

  it('cluster totals', () => {
    const summary = overviewSummary(nodeRows(nodes, pods), pods);
    expect(summary.gpu).toEqual({ capacity: 16, allocatable: 15, requested: 7, products: ['NVIDIA-A100-SXM4-80GB', 'nvidia-h100-80gb'], gpuNodes: 2 });
    expect(summary).toMatchObject({ nodes: 4, readyNodes: 1, pods: { total: 5, running: 3, pending: 1, failed: 0 } });
  });

  it('pod rows show the waiting reason, ready containers and restarts', () => {
    expect(podRow(pods[0]!)).toMatchObject({ phase: 'CrashLoopBackOff', ready: '1/2', restarts: 3, gpus: 2, node: 'gpu-node-0', containers: ['a', 'sidecar'] });
  });
});
