import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { assignedIndexes, parseGpuGroups, planKindGpus } from './passthrough-plan';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AppError).code;
  }
  return 'no error';
};

describe('kind GPU passthrough plans', () => {
  it('0/1 with 2 workers: one GPU per worker', () => {
    expect(planKindGpus('0/1', 2, [0, 1])).toEqual({ workers: [[0], [1]], notes: [] });
  });

  it('groups: 0,1/2 gives the first worker two GPUs and the second one; extra workers get none', () => {
    expect(planKindGpus('0,1/2', 3, [0, 1, 2, 3]).workers).toEqual([[0, 1], [2], []]);
  });

  it('all: the first worker gets every GPU; none: CPU workers only', () => {
    expect(planKindGpus('all', 2).workers).toEqual(['all', []]);
    expect(planKindGpus('none', 2).workers).toEqual([[], []]);
    expect(planKindGpus('none', 0).workers).toEqual([]);
  });

  it('split: one worker per host GPU, raising the worker count with a note', () => {
    const plan = planKindGpus('split', 1, [0, 1, 2]);
    expect(plan.workers).toEqual([[0], [1], [2]]);
    expect(plan.notes).toEqual(['Workers raised from 1 to 3 so that each GPU group gets its own worker.']);
    expect(assignedIndexes(plan)).toEqual([0, 1, 2]);
    expect(codeOf(() => planKindGpus('split', 1))).toBe('INVALID_ARGUMENT');
  });

  it('rejects a GPU index the host does not have, naming the ones it has', () => {
    let error: AppError | undefined;
    try {
      planKindGpus('0/3', 2, [0, 1]);
    } catch (e) {
      error = e as AppError;
    }
    expect(error?.code).toBe('GPU_UNAVAILABLE');
    expect(error?.message).toBe('GPU 3 does not exist on this machine; it has GPU 0, 1.');
  });

  it('rejects GPUs requested on a machine without GPUs, and a GPU given twice', () => {
    expect(codeOf(() => planKindGpus('0', 1, []))).toBe('GPU_UNAVAILABLE');
    expect(codeOf(() => parseGpuGroups('0/0'))).toBe('INVALID_ARGUMENT');
    expect(parseGpuGroups('0,1/2')).toEqual([[0, 1], [2]]);
  });
});
