import type { TaskProgress } from '../../shared/contract/define';
import type { ProviderIo } from '../../main/clusters/provider';

/** A ProviderIo that keeps every progress update; `abortWhen` cancels on the first matching one. */
export function recordingIo(abortWhen?: (update: TaskProgress) => boolean): ProviderIo & { updates: TaskProgress[]; log(): string[]; controller: AbortController } {
  const controller = new AbortController();
  const updates: TaskProgress[] = [];
  return {
    controller,
    signal: controller.signal,
    updates,
    log: () => updates.flatMap((u) => u.log ?? []),
    progress(update) {
      updates.push(update);
      if (abortWhen?.(update) && !controller.signal.aborted) controller.abort();
    },
  };
}
