import { defineConfig } from 'vitest/config';
import HeavyFirstSequencer from './test/support/heavy-first-sequencer';

const summary = ['default', './test/support/summary-reporter.ts'];

export default defineConfig({
  test: {
    reporters: summary,
    sequence: { sequencer: HeavyFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          environment: 'node',
          include: ['main/**/*.test.ts', 'shared/**/*.test.ts', 'test/support/**/*.test.ts', 'renderer/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'dom',
          sequence: { groupOrder: 0 },
          environment: 'jsdom',
          include: ['renderer/**/*.test.tsx'],
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          environment: 'node',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // 2-core machines: control planes are heavy; a few files at a time.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          // With the integration files, in one pool of two workers: each e2e file has its own
          // serve process, Chromium and clusters, so it can run beside any other file.
          sequence: { groupOrder: 1 },
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'bench',
          sequence: { groupOrder: 2 },
          environment: 'node',
          include: ['test/bench/**/*.bench.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
