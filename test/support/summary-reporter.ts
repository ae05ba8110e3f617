import type { Reporter, TestModule } from 'vitest/node';

/** How many of the slowest files the closing summary names. */
const SLOWEST_SHOWN = 8;

/**
 * Prints a closing summary after vitest's own: the slowest files (where the suite's time goes),
 * each failed test with the first line of its error, and last one line, `N passed, N failed,
 * N skipped`, so CI can read the counts whatever the runner. Failures come last because CI keeps
 * only the tail of the output.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const failures: string[] = [];
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passed++;
        else if (result.state === 'failed') {
          failedHere++;
          failures.push(`${module.moduleId.replace(`${process.cwd()}/`, '')} > ${test.fullName}: ${firstLine(result.errors?.[0]?.message)}`);
        } else skipped++;
      }
      // A file that failed to load, or whose hooks failed (its tests then show as skipped), is
      // still a failure.
      if (module.state() === 'failed' && failedHere === 0) {
        failedHere = 1;
        // A failed beforeAll belongs to its describe block, not to the file.
        const error = [...module.errors(), ...[...module.children.allSuites()].flatMap((suite) => suite.errors())][0];
        failures.push(`${module.moduleId.replace(`${process.cwd()}/`, '')}: ${firstLine(error?.message)}`);
      }
      failed += failedHere;
    }
    for (const error of unhandledErrors) failures.push(`unhandled: ${firstLine((error as Error)?.message ?? String(error))}`);
    failed += unhandledErrors.length;

    const slowest = [...testModules]
      .map((module) => ({ file: module.moduleId.replace(`${process.cwd()}/`, ''), ms: module.diagnostic().duration }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SLOWEST_SHOWN);
    const lines = ['', 'slowest files:', ...slowest.map(({ file, ms }) => `  ${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`)];
    if (failures.length > 0) lines.push('failed:', ...failures.map((line) => `  ✗ ${line}`));
    lines.push(`${passed} passed, ${failed} failed, ${skipped} skipped`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

function firstLine(message: string | undefined): string {
  return (message ?? 'no message').split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? 'no message';
}
