import { describe, expect, it } from 'vitest';
import { labelValueProblem } from '../../../shared/k8s/labels';
import { GPU_RESOURCE, nodeManifests } from './gpu-nodes';

const shape = { nodes: 1, gpuNodes: 2, gpusPerNode: 4, gpuProduct: 'NVIDIA-H100-80GB-HBM3', gpuMemoryMiB: 81559 };

describe('simulated node manifests', () => {
  it('makes CPU nodes and GPU nodes that look like GPU feature discovery labelled them', () => {
    const nodes = nodeManifests(shape, 'v1.34.4');
    expect(nodes.map((n) => n.metadata.name)).toEqual(['node-0', 'gpu-node-0', 'gpu-node-1']);
    const gpu = nodes[2]!;
    expect(gpu.status.capacity[GPU_RESOURCE]).toBe('4');
    expect(gpu.status.allocatable[GPU_RESOURCE]).toBe('4');
    expect(gpu.metadata.labels).toMatchObject({
      'nvidia.com/gpu.present': 'true',
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
      'nvidia.com/gpu.count': '4',
      'nvidia.com/gpu.memory': '81559',
      'kubernetes.io/hostname': 'gpu-node-1',
    });
    expect(gpu.status.capacity).toMatchObject({ cpu: '48', memory: '512Gi', pods: '110' });
    expect(gpu.metadata.annotations['metrics.k8s.io/resource-metrics-path']).toBe('/metrics/nodes/gpu-node-1/metrics/resource');
    const cpu = nodes[0]!;
    expect(cpu.status.capacity[GPU_RESOURCE]).toBeUndefined();
    expect(cpu.metadata.labels['nvidia.com/gpu.present']).toBeUndefined();
    expect(cpu.status.nodeInfo.kubeletVersion).toBe('v1.34.4');
  });

  it('sizes small GPU nodes like a workstation', () => {
    const [node] = nodeManifests({ ...shape, nodes: 0, gpuNodes: 1, gpusPerNode: 1 }, 'v1.34.4');
    expect(node!.status.capacity).toMatchObject({ cpu: '12', memory: '128Gi', [GPU_RESOURCE]: '1' });
  });

  it('makes no nodes when none are asked for', () => {
    expect(nodeManifests({ ...shape, nodes: 0, gpuNodes: 0 }, 'v1.34.4')).toEqual([]);
  });

  it('accepts only valid label values as GPU product names', () => {
    expect(labelValueProblem('NVIDIA-A100-SXM4-40GB')).toBeNull();
    expect(labelValueProblem('NVIDIA H100')).toMatch(/letters, digits/);
    expect(labelValueProblem('-x')).toMatch(/starting and ending/);
    expect(labelValueProblem('x'.repeat(64))).toBe('at most 63 characters');
  });
});
