import { describe, expect, it } from 'vitest';
import type { ClusterSummary } from '../../../shared/models/clusters';
import { deleteConsequences, localClusterRow, localClustersView } from './local-clusters';

const demo: ClusterSummary = {
  name: 'demo',
  provider: 'kwok',
  contextName: 'kwok-demo',
  status: 'running',
  simulated: true,
  nodes: 3,
  gpuNodes: 2,
  gpus: 8,
  kubernetesVersion: 'v1.34.4',
  detail: '2 × 4 NVIDIA-H100-80GB-HBM3',
};

describe('local clusters view model', () => {
  it('describes a simulated GPU cluster', () => {
    expect(localClusterRow(demo)).toEqual({
      key: 'kwok/demo',
      name: 'demo',
      provider: 'kwok',
      providerLabel: 'kwok',
      simulated: true,
      status: { label: 'running', tone: 'ok' },
      nodes: '3 nodes',
      gpus: '8 GPUs on 2 nodes',
      contextName: 'kwok-demo',
      detail: '2 × 4 NVIDIA-H100-80GB-HBM3',
      kubernetesVersion: 'v1.34.4',
      power: 'stop',
    });
  });

  it('says what it does not know, and singular counts', () => {
    const row = localClusterRow({ name: 'x', provider: 'kind', contextName: 'kind-x', status: 'unknown', simulated: false, nodes: 1, gpus: 0 });
    expect(row.nodes).toBe('1 node');
    expect(row.gpus).toBe('no GPUs');
    expect(row.status).toEqual({ label: 'degraded', tone: 'warn' });
    // A degraded cluster is offered Start, which brings back what crashed.
    expect(row.power).toBe('start');
    const bare = localClusterRow({ name: 'y', provider: 'k3d', contextName: 'k3d-y', status: 'stopped', simulated: false });
    expect([bare.nodes, bare.gpus, bare.status.label, bare.power]).toEqual(['—', '—', 'stopped', 'start']);
  });

  it('orders rows by provider then name and lists provider problems', () => {
    const view = localClustersView({
      clusters: [{ ...demo, name: 'zeta' }, { ...demo, name: 'alpha' }, { ...demo, name: 'k', provider: 'kind', contextName: 'kind-k', simulated: false }],
      problems: [{ provider: 'kind', code: 'TOOL_NOT_FOUND', message: 'kind was not found.', fix: 'Install kind.' }],
    });
    expect(view.rows.map((r) => r.key)).toEqual(['kind/k', 'kwok/alpha', 'kwok/zeta']);
    expect(view.problems).toEqual(['kind: kind was not found. Install kind.']);
  });

  it('names the context that delete removes', () => {
    expect(deleteConsequences({ name: 'demo', simulated: true, contextName: 'kwok-demo' })).toContain('removes the context kwok-demo');
    expect(deleteConsequences({ name: 'demo', simulated: true, contextName: 'kwok-demo' })).toContain('simulated control plane');
  });
});
