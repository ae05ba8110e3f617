import { z } from 'zod';
import { method, task, type TaskProgress } from './define';

/** A detachable task that is running (or finished a short while ago) in the backend. */
export interface TaskRun {
  /** Carried by every progress event of the task as `runId`. */
  runId: string;
  /** The task's wire name, e.g. `promote.apply`. */
  task: string;
  startedAt: string;
  /** The latest progress it reported. */
  progress?: TaskProgress;
  /** Absent while it runs. */
  state: 'running' | 'succeeded' | 'failed';
}

const runId = z.string().regex(/^[a-f0-9]{16}$/, 'a run id from a progress event or tasks.listRunning');

/**
 * Detachable tasks (a promotion's apply and rollback) survive the page that started them: a
 * closed WebSocket (an SSH tunnel blip, a reload) does not cancel them. A page finds them here
 * and re-attaches to their progress; only an explicit unsubscribe or `cancel` stops one.
 */
export const tasksContract = {
  /** Detachable tasks running now, and those that ended in the last few minutes (their results wait for a re-attach). */
  listRunning: method<Record<string, never>, TaskRun[]>(z.object({}).strict()),
  /**
   * Follows one run: its latest progress at once, then every update, and its result (or error)
   * at the end. Unsubscribing stops following, never the run. NOT_FOUND for an unknown id.
   */
  attach: task<{ runId: string }, TaskProgress, unknown>(z.object({ runId }).strict()),
  /** Cancels a run (as unsubscribing from the task that started it would). */
  cancel: method<{ runId: string }, { cancelled: boolean }>(z.object({ runId }).strict()),
} as const;
