import { AppError } from '../../../shared/errors';
import type { CliCommand } from '../command';
import { formatRollback } from '../../promote/format-text';
import { progressPrinter } from './promote-progress';

/** `slipway rollback ID`: restores what a promotion changed, removes what it created (never PVCs). */
export const rollbackCommand: CliCommand = {
  path: ['rollback'],
  summary: 'Roll back a promotion: restore what it changed, remove what it created (never PVCs)',
  usage: 'slipway rollback ID [--json]',
  async run(ctx) {
    const [id] = ctx.positionals;
    if (!id) throw new AppError('INVALID_ARGUMENT', 'Which promotion? Pass its id.', { fix: 'Run `slipway history` to see the ids.' });
    const result = await ctx.services().promote.rollback(id, progressPrinter(ctx));
    ctx.print(result, () => formatRollback(result));
    return result.objects.some((o) => o.action === 'failed') ? 1 : 0;
  },
};
