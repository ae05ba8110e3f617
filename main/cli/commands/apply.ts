import { AppError } from '../../../shared/errors';
import type { CliCommand } from '../command';
import { PROMOTION_OPTIONS, bundleArgument, runPromotion } from './promote';

/**
 * `slipway apply PATH --context C`: the laptop loop. A folder, a manifest file or a kustomization
 * applied to one context through the promotion engine — preflight, server-side diff, safe
 * server-side apply, readiness — so it lands in the history and `slipway rollback` undoes it.
 */
export const applyCommand: CliCommand = {
  path: ['apply'],
  summary: 'Apply a folder, manifest or kustomization to a context (with history and rollback)',
  usage:
    'slipway apply PATH --context NAME [--profile FILE|NAME] [--plan|--diff] [--force-conflicts] [--prune] [--wait SECONDS] [--json]',
  options: { context: { type: 'string' }, ...PROMOTION_OPTIONS },
  async run(ctx) {
    const bundle = bundleArgument(ctx, applyCommand.usage);
    const context = ctx.flags.context;
    if (typeof context !== 'string' || !context)
      throw new AppError('INVALID_ARGUMENT', 'apply needs --context.', { fix: 'Run `slipway contexts` to list them.' });
    return runPromotion(ctx, bundle, context, 'apply');
  },
};
