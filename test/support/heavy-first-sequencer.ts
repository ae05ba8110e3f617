import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that take minutes, longest first (figures from CI runs on 2 cores). Integration and
 * e2e share one group of two workers; starting these first lets the two workers finish together,
 * where vitest's own order on a clean clone (larger files first, project by project) could leave
 * one worker idle while the other starts a long file last.
 */
export const HEAVY_FIRST = [
  'test/integration/kind-real.test.ts',
  'test/e2e/real-kind.test.ts',
  'test/integration/kwok-hpa.test.ts',
  'test/integration/kwok-custom-metrics.test.ts',
  'test/integration/kwok-provider.test.ts',
  'test/integration/watch-faults.test.ts',
  'test/integration/promote-clusters.test.ts',
  'test/integration/kind-provider.test.ts',
];

/** vitest's order (group, cached durations, size), with the files of {@link HEAVY_FIRST} first in each group. */
export default class HeavyFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = HEAVY_FIRST.indexOf(path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/'));
      return index === -1 ? HEAVY_FIRST.length : index;
    };
    // Array.prototype.sort is stable: files outside the list keep vitest's order.
    return sorted
      .map((spec, position) => ({ spec, position }))
      .sort((a, b) => a.spec.project.config.sequence.groupOrder - b.spec.project.config.sequence.groupOrder || rank(a.spec) - rank(b.spec) || a.position - b.position)
      .map(({ spec }) => spec);
  }
}
