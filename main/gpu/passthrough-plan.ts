import { AppError } from '../../shared/errors';

/** The GPUs one node gets: explicit host indexes, or every GPU (`all`). */
export type NodeGpus = number[] | 'all';

/** How GPUs are spread over kind workers; workers without GPUs have an empty list. */
export interface PassthroughPlan {
  workers: NodeGpus[];
  /** Things the user should know (workers added to hold GPU groups, MIG ignored, …). */
  notes: string[];
}

/** Parses `0,1/2` into [[0,1],[2]]; rejects a GPU given twice. */
export function parseGpuGroups(assignment: string): number[][] {
  const groups = assignment.split('/').map((g) => g.split(',').map((i) => Number(i.trim())));
  const seen = new Set<number>();
  for (const index of groups.flat()) {
    if (!Number.isInteger(index) || index < 0) {
      throw new AppError('INVALID_ARGUMENT', `"${assignment}" is not a GPU assignment.`, { fix: 'Use all, none, split, or GPU index groups like 0,1/2.' });
    }
    if (seen.has(index)) {
      throw new AppError('INVALID_ARGUMENT', `GPU ${index} appears twice in "${assignment}"; a GPU can belong to one worker only.`, {
        fix: 'List each GPU index once, e.g. 0/1 or 0,1/2.',
      });
    }
    seen.add(index);
  }
  return groups;
}

/**
 * Spreads GPUs over kind workers:
 * - `none`: no GPUs; `workers` CPU workers.
 * - `all`: the first worker gets every GPU (mounted as `all`).
 * - `split`: one worker per host GPU (needs the host's GPU indexes).
 * - `0,1/2`: one worker per group, in order.
 * GPU groups take the first workers; when there are more groups than `workers`, workers are
 * added (and a note says so) rather than silently dropping GPUs. When `available` is given,
 * every index must exist on the host.
 */
export function planKindGpus(assignment: string, workers: number, available?: readonly number[]): PassthroughPlan {
  const notes: string[] = [];
  let groups: NodeGpus[];
  if (assignment === 'none') groups = [];
  else if (assignment === 'all') groups = ['all'];
  else if (assignment === 'split') {
    if (!available) {
      throw new AppError('INVALID_ARGUMENT', '`--gpus split` needs to know how many GPUs the host has.', {
        fix: 'Pass --gpu-count N, or list the groups yourself (e.g. 0/1).',
      });
    }
    if (available.length === 0) throw noGpus();
    groups = available.map((i) => [i]);
  } else {
    const parsed = parseGpuGroups(assignment);
    if (available) {
      if (available.length === 0) throw noGpus();
      const missing = parsed.flat().filter((i) => !available.includes(i));
      if (missing.length) {
        throw new AppError('GPU_UNAVAILABLE', `GPU ${missing.join(', ')} does not exist on this machine; it has GPU ${formatIndexes(available)}.`, {
          fix: `Use GPU indexes from \`slipway gpus\` (${formatIndexes(available)}).`,
          details: { missing, available },
        });
      }
    }
    groups = parsed;
  }
  if (groups.length > workers) {
    if (workers > 0 || groups.length > 1) notes.push(`Workers raised from ${workers} to ${groups.length} so that each GPU group gets its own worker.`);
  }
  const count = Math.max(workers, groups.length);
  return { workers: Array.from({ length: count }, (_, i) => groups[i] ?? []), notes };
}

function noGpus(): AppError {
  return new AppError('GPU_UNAVAILABLE', 'GPUs were requested, but this machine has no NVIDIA GPU that nvidia-smi can see.', {
    fix: 'Create the cluster with --gpus none, or run `slipway gpus` to see why no GPU is found.',
  });
}

function formatIndexes(indexes: readonly number[]): string {
  return indexes.length ? indexes.join(', ') : 'none';
}

/** Every host GPU index a plan assigns (`all` expands to `available`). */
export function assignedIndexes(plan: PassthroughPlan, available: readonly number[] = []): number[] {
  return plan.workers.flatMap((g) => (g === 'all' ? [...available] : g));
}
