import { formatTable, type CliCommand } from '../command';
import { formatHistory } from '../../promote/format-text';

/** `slipway history`: every recorded promotion, newest first. */
export const historyCommand: CliCommand = {
  path: ['history'],
  summary: 'List recorded promotions (newest first)',
  usage: 'slipway history [--json]',
  async run(ctx) {
    const list = ctx.services().promote.listHistory();
    ctx.print({ promotions: list }, () => (list.length === 0 ? 'No promotions yet. Try `slipway promote BUNDLE --to CONTEXT --apply`.' : formatTable(['ID', 'WHEN (UTC)', 'BUNDLE', 'TARGET', 'PROFILE', 'STATUS', 'OBJECTS'], formatHistory(list))));
  },
};
