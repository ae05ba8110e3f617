import type { TaskProgress } from '../../../shared/contract/define';
import type { CliContext } from '../command';

/**
 * Progress of long promotion work on stderr (stdout stays the result), one line per phase change;
 * with `everyLine` (a tool's own output, e.g. `docker push`) one line per update.
 */
export function progressPrinter(ctx: CliContext, options: { everyLine?: boolean } = {}): { progress(update: TaskProgress): void; signal: AbortSignal } {
  let last = '';
  return {
    signal: ctx.signal,
    progress(update) {
      if (ctx.json) return;
      const line = `${update.phase}${update.message ? ` — ${update.message}` : ''}`;
      if (update.phase !== last || ctx.flags.verbose || options.everyLine) ctx.stderr.write(`[${String(update.percent).padStart(3)}%] ${line}\n`);
      last = update.phase;
    },
  };
}
