import { describe, expect, it } from 'vitest';
import { describeNodeAffinity, matchesNodeAffinity, requiredNodeAffinity, type NodeSelectorTerm } from './node-affinity';

const a100 = { name: 'gpu-1', labels: { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-a100', 'topology.kubernetes.io/zone': 'us-central1-a', 'gpu-count': '8' } };
const cpu = { name: 'cpu-1', labels: { 'topology.kubernetes.io/zone': 'us-central1-b' } };

describe('required node affinity', () => {
  it('reads the required terms of a pod spec, and none when absent', () => {
    const term = { matchExpressions: [{ key: 'a', operator: 'Exists' }] };
    expect(requiredNodeAffinity({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } } })).toEqual([term]);
    expect(requiredNodeAffinity({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } } })).toEqual([]);
    expect(requiredNodeAffinity({})).toEqual([]);
  });

  it('matches every operator as the scheduler does', () => {
    const one = (key: string, operator: string, values?: string[]): NodeSelectorTerm[] => [{ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] }];
    expect(matchesNodeAffinity(one('cloud.google.com/gke-accelerator', 'In', ['nvidia-tesla-a100', 'nvidia-h100-80gb']), a100)).toBe(true);
    expect(matchesNodeAffinity(one('cloud.google.com/gke-accelerator', 'In', ['nvidia-h100-80gb']), a100)).toBe(false);
    expect(matchesNodeAffinity(one('cloud.google.com/gke-accelerator', 'NotIn', ['nvidia-tesla-t4']), a100)).toBe(true);
    // NotIn and DoesNotExist match nodes without the label.
    expect(matchesNodeAffinity(one('cloud.google.com/gke-accelerator', 'NotIn', ['nvidia-tesla-t4']), cpu)).toBe(true);
    expect(matchesNodeAffinity(one('cloud.google.com/gke-accelerator', 'DoesNotExist'), cpu)).toBe(true);
    expect(matchesNodeAffinity(one('cloud.google.com/gke-accelerator', 'Exists'), cpu)).toBe(false);
    expect(matchesNodeAffinity(one('gpu-count', 'Gt', ['4']), a100)).toBe(true);
    expect(matchesNodeAffinity(one('gpu-count', 'Lt', ['4']), a100)).toBe(false);
    expect(matchesNodeAffinity(one('gpu-count', 'Gt', ['four']), a100)).toBe(false);
    expect(matchesNodeAffinity(one('gpu-count', 'Gt', ['4']), cpu)).toBe(false);
    expect(matchesNodeAffinity(one('gpu-count', 'Sideways', ['4']), a100)).toBe(false);
  });

  it('ORs terms, ANDs inside a term, knows metadata.name fields, and an empty term matches nothing', () => {
    const terms: NodeSelectorTerm[] = [
      { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-central1-a'] }, { key: 'gpu-count', operator: 'Exists' }] },
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['cpu-1'] }] },
    ];
    expect(matchesNodeAffinity(terms, a100)).toBe(true);
    expect(matchesNodeAffinity(terms, cpu)).toBe(true);
    expect(matchesNodeAffinity(terms, { name: 'other', labels: { 'topology.kubernetes.io/zone': 'us-central1-a' } })).toBe(false);
    expect(matchesNodeAffinity([{}], a100)).toBe(false);
    expect(matchesNodeAffinity([], cpu)).toBe(true);
    expect(describeNodeAffinity(terms)).toBe('topology.kubernetes.io/zone In (us-central1-a) and gpu-count Exists or metadata.name In (cpu-1)');
  });
});
