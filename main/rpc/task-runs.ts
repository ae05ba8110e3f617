/**
 * Runs of detachable tasks, shared by every connection of one backend: a run outlives the
 * connection that started it, keeps its latest progress for whoever attaches next, and keeps its
 * result for a while after it ends so a page that comes back late still learns how it ended.
 */
import { randomBytes } from 'node:crypto';
import type { TaskProgress } from '../../shared/contract/define';
import type { TaskRun } from '../../shared/contract/tasks';
import { AppError, type WireError } from '../../shared/errors';
import { toDisposable, type Disposable } from '../../shared/disposable';

/** How long a finished run's result waits for a re-attach. */
export const KEEP_FINISHED_MS = 15 * 60_000;

export type RunOutcome = { result: unknown; error?: undefined } | { error: WireError; result?: undefined };

interface Run {
  info: TaskRun;
  abort: AbortController;
  listeners: Set<(progress: TaskProgress) => void>;
  enders: Set<(outcome: RunOutcome) => void>;
  outcome?: RunOutcome;
}

export class TaskRuns implements Disposable {
  private readonly runs = new Map<string, Run>();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Registers a run of `task`; `abort` is what cancelling it aborts. */
  start(task: string, abort: AbortController): string {
    const runId = randomBytes(8).toString('hex');
    this.runs.set(runId, { info: { runId, task, startedAt: new Date().toISOString(), state: 'running' }, abort, listeners: new Set(), enders: new Set() });
    return runId;
  }

  progress(runId: string, progress: TaskProgress): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.info.progress = progress;
    for (const listener of [...run.listeners]) listener(progress);
  }

  finish(runId: string, outcome: RunOutcome): void {
    const run = this.runs.get(runId);
    if (!run || run.outcome) return;
    run.outcome = outcome;
    run.info.state = outcome.error ? 'failed' : 'succeeded';
    for (const end of [...run.enders]) end(outcome);
    run.listeners.clear();
    run.enders.clear();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.runs.delete(runId);
    }, KEEP_FINISHED_MS);
    timer.unref();
    this.timers.add(timer);
  }

  list(): TaskRun[] {
    return [...this.runs.values()].map((r) => structuredClone(r.info));
  }

  /**
   * Follows a run: the latest progress at once, then each update; `onEnd` with its outcome (at
   * once when it has ended). Disposing stops following, never the run.
   */
  attach(runId: string, onProgress: (progress: TaskProgress) => void, onEnd: (outcome: RunOutcome) => void): Disposable {
    const run = this.runs.get(runId);
    if (!run) throw new AppError('NOT_FOUND', `No task run ${runId}.`, { fix: 'It ended long ago or the backend restarted; see the promotion history.' });
    if (run.info.progress) onProgress(run.info.progress);
    if (run.outcome) {
      onEnd(run.outcome);
      return toDisposable(() => {});
    }
    run.listeners.add(onProgress);
    run.enders.add(onEnd);
    return toDisposable(() => {
      run.listeners.delete(onProgress);
      run.enders.delete(onEnd);
    });
  }

  /** Adds a listener the starting connection drops when it closes. */
  listen(runId: string, onProgress: (progress: TaskProgress) => void): Disposable {
    const run = this.runs.get(runId);
    if (!run) return toDisposable(() => {});
    run.listeners.add(onProgress);
    return toDisposable(() => run.listeners.delete(onProgress));
  }

  cancel(runId: string): boolean {
    const run = this.runs.get(runId);
    if (!run || run.outcome) return false;
    run.abort.abort();
    return true;
  }

  /** Cancels what still runs (backend shutdown) and forgets everything. */
  dispose(): void {
    for (const run of this.runs.values()) if (!run.outcome) run.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.runs.clear();
  }
}
