import { AppError } from '../../../shared/errors';
import { PROVIDER_IDS, type ProviderId } from '../../../shared/models/clusters';
import type { CliContext } from '../command';

/**
 * The cluster a `cluster delete|start|stop NAME [--provider P]` command means. Without
 * `--provider` the name decides, and it must not be ambiguous.
 */
export async function resolveClusterTarget(ctx: CliContext, usage: string): Promise<{ provider: ProviderId; name: string }> {
  const [name, ...extra] = ctx.positionals;
  if (!name || extra.length > 0) throw new AppError('INVALID_ARGUMENT', name ? `Unexpected argument "${extra[0]}".` : 'Which cluster? Give its name.', { fix: `Usage: ${usage}` });
  const provider = ctx.flags.provider as string | undefined;
  if (provider !== undefined) {
    if (!(PROVIDER_IDS as readonly string[]).includes(provider)) {
      throw new AppError('INVALID_ARGUMENT', `Unknown provider "${provider}".`, { fix: `Use one of: ${PROVIDER_IDS.join(', ')}.` });
    }
    return { provider: provider as ProviderId, name };
  }
  const matches = (await ctx.services().clusters.list(ctx.signal)).clusters.filter((c) => c.name === name);
  if (matches.length === 0) throw new AppError('NOT_FOUND', `No local cluster named "${name}".`, { fix: 'Run `slipway cluster list` to see the clusters.' });
  if (matches.length > 1) {
    throw new AppError('INVALID_ARGUMENT', `Several clusters are named "${name}" (${matches.map((m) => m.provider).join(', ')}).`, { fix: 'Add --provider to say which.' });
  }
  return { provider: matches[0]!.provider, name };
}
