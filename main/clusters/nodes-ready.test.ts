import { describe, expect, it } from 'vitest';
import { clusterNodeProblems, nodeProblem } from './nodes-ready';

const node = (name: string, ready: string | null, taints: { key: string; effect: string }[] = [], reason?: string) => ({
  metadata: { name },
  spec: { taints },
  status: { conditions: ready === null ? [] : [{ type: 'Ready', status: ready, ...(reason ? { reason } : {}) }] },
});

describe('node readiness after create', () => {
  it('names what keeps a node from taking work', () => {
    expect(nodeProblem(node('gpu-node-0', null))).toBe('node gpu-node-0 is not Ready (no Ready condition reported yet)');
    expect(nodeProblem(node('w', 'False', [], 'KubeletNotReady'))).toBe('node w is not Ready (KubeletNotReady)');
    expect(nodeProblem(node('w', 'Unknown'))).toBe('node w is not Ready (Ready=Unknown)');
    expect(nodeProblem(node('gpu-node-0', 'True', [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]))).toBe('node gpu-node-0 is tainted node.kubernetes.io/not-ready:NoSchedule');
    expect(nodeProblem(node('c', 'True', [{ key: 'node.cloudprovider.kubernetes.io/uninitialized', effect: 'NoSchedule' }]))).toBe('node c is tainted node.cloudprovider.kubernetes.io/uninitialized:NoSchedule');
    // A taint the user asked for (a GPU pool's) is not a start-up taint: the node is ready.
    expect(nodeProblem(node('g', 'True', [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }]))).toBeNull();
  });

  it('waits for every named node, or for the count', () => {
    const nodes = [node('k-control-plane', 'True'), node('k-worker', 'False', [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }], 'KubeletNotReady'), node('other-cluster-node', null)];
    expect(clusterNodeProblems(nodes, { names: ['k-control-plane', 'k-worker', 'k-worker2'], count: 3 })).toEqual(['node k-worker2 has not registered yet', 'node k-worker is not Ready (KubeletNotReady)']);
    expect(clusterNodeProblems(nodes.slice(0, 1), { names: ['k-control-plane'], count: 1 })).toEqual([]);
    expect(clusterNodeProblems(nodes.slice(0, 1), { count: 2 })).toEqual(['1 of 2 nodes have registered']);
  });
});
