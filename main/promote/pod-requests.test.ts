import { describe, expect, it } from 'vitest';
import { podAmounts } from './pod-requests';

const GiB = 2 ** 30;

describe('what a pod counts against a quota', () => {
  it('sums containers; a limit stands in for a missing request; limits come from limits only', () => {
    const spec = {
      containers: [
        { name: 'a', resources: { requests: { cpu: '500m' }, limits: { memory: '2Gi', 'nvidia.com/gpu': 1 } } },
        { name: 'b', resources: { requests: { cpu: '250m', memory: '1Gi' } } },
      ],
    };
    expect(Object.fromEntries(podAmounts(spec, 'requests'))).toEqual({ cpu: 0.75, memory: 3 * GiB, 'nvidia.com/gpu': 1 });
    expect(Object.fromEntries(podAmounts(spec, 'limits'))).toEqual({ memory: 2 * GiB, 'nvidia.com/gpu': 1 });
  });

  it('takes the larger of the running containers and the biggest init container, counting sidecars', () => {
    const spec = {
      initContainers: [
        { name: 'download', resources: { requests: { cpu: '2', memory: '512Mi' } } },
        { name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '100m', memory: '128Mi' } } },
        { name: 'warmup', resources: { requests: { cpu: '1', memory: '4Gi' } } },
      ],
      containers: [{ name: 'train', resources: { requests: { cpu: '1', memory: '2Gi' } } }],
      overhead: { cpu: '50m' },
    };
    const requests = Object.fromEntries(podAmounts(spec, 'requests'));
    // cpu: max(train 1 + proxy 0.1, download 2, warmup 1 + proxy 0.1) = 2, plus 0.05 overhead.
    expect(requests.cpu).toBeCloseTo(2.05);
    // memory: max(2Gi + 128Mi, 512Mi, 4Gi + 128Mi) = 4Gi + 128Mi.
    expect(requests.memory).toBe(4 * GiB + 128 * 2 ** 20);
    // No limits anywhere: overhead does not invent one.
    expect(Object.fromEntries(podAmounts(spec, 'limits'))).toEqual({});
  });

  it('tolerates a spec with nothing in it', () => {
    expect(podAmounts({}, 'requests').size).toBe(0);
    expect(podAmounts({ containers: [null, 'x', { name: 'c' }] }, 'requests').size).toBe(0);
  });
});
