import { AppError } from '../../../shared/errors';
import { PROVIDER_IDS, type ProviderId } from '../../../shared/models/clusters';
import type { CliCommand } from '../command';

/** `slipway cluster delete NAME`: deletes a local cluster and removes its kubeconfig context. */
export const clusterDeleteCommand: CliCommand = {
  path: ['cluster', 'delete'],
  summary: 'Delete a local cluster and its kubeconfig context',
  usage: 'slipway cluster delete NAME [--provider kind|k3d|kwok] [--json]',
  options: { provider: { type: 'string' } },
  async run(ctx) {
    const [name, ...extra] = ctx.positionals;
    if (!name || extra.length > 0) throw new AppError('INVALID_ARGUMENT', name ? `Unexpected argument "${extra[0]}".` : 'Which cluster? Give its name.', { fix: `Usage: ${clusterDeleteCommand.usage}` });
    const clusters = ctx.services().clusters;
    let provider = ctx.flags.provider as string | undefined;
    if (provider !== undefined && !(PROVIDER_IDS as readonly string[]).includes(provider)) {
      throw new AppError('INVALID_ARGUMENT', `Unknown provider "${provider}".`, { fix: `Use one of: ${PROVIDER_IDS.join(', ')}.` });
    }
    if (!provider) {
      // Without --provider, the name decides; it must not be ambiguous.
      const matches = (await clusters.list(ctx.signal)).clusters.filter((c) => c.name === name);
      if (matches.length === 0) throw new AppError('NOT_FOUND', `No local cluster named "${name}".`, { fix: 'Run `slipway cluster list` to see the clusters.' });
      if (matches.length > 1) {
        throw new AppError('INVALID_ARGUMENT', `Several clusters are named "${name}" (${matches.map((m) => m.provider).join(', ')}).`, { fix: 'Add --provider to say which.' });
      }
      provider = matches[0]!.provider;
    }
    await clusters.delete(provider as ProviderId, name, {
      signal: ctx.signal,
      progress: (update) => ctx.stderr.write(`[${String(update.percent).padStart(3)}%] ${update.phase}\n`),
    });
    ctx.print({ deleted: true, provider, name, contextName: `${provider}-${name}`, kubeconfigPath: clusters.kubeconfigPath() }, () => `Deleted ${provider} cluster "${name}"; context ${provider}-${name} was removed from ${clusters.kubeconfigPath()}.`);
  },
};
