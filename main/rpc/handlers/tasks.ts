import type { SlipwayContract } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';

/** Runs of detachable tasks: list, re-attach (following never cancels), cancel. */
export function tasksHandlers({ taskRuns }: Services): Handlers<SlipwayContract>['tasks'] {
  return {
    listRunning: () => taskRuns.list(),
    attach: ({ runId }, io) =>
      new Promise((resolve, reject) => {
        const following = taskRuns.attach(runId, io.progress, (outcome) => (outcome.error ? reject(AppError.fromWire(outcome.error)) : resolve(outcome.result)));
        io.signal.addEventListener(
          'abort',
          () => {
            following.dispose();
            reject(new AppError('CANCELLED', 'Stopped following the run (it goes on).'));
          },
          { once: true },
        );
      }),
    cancel: ({ runId }) => ({ cancelled: taskRuns.cancel(runId) }),
  };
}
