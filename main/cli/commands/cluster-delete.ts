import type { CliCommand } from '../command';
import { resolveClusterTarget } from './cluster-target';

/** `slipway cluster delete NAME`: deletes a local cluster and removes its kubeconfig context. */
export const clusterDeleteCommand: CliCommand = {
  path: ['cluster', 'delete'],
  summary: 'Delete a local cluster and its kubeconfig context',
  usage: 'slipway cluster delete NAME [--provider kind|k3d|kwok] [--json]',
  options: { provider: { type: 'string' } },
  async run(ctx) {
    const { provider, name } = await resolveClusterTarget(ctx, clusterDeleteCommand.usage);
    const clusters = ctx.services().clusters;
    await clusters.delete(provider, name, {
      signal: ctx.signal,
      progress: (update) => ctx.stderr.write(`[${String(update.percent).padStart(3)}%] ${update.phase}\n`),
    });
    ctx.print({ deleted: true, provider, name, contextName: `${provider}-${name}`, kubeconfigPath: clusters.kubeconfigPath() }, () => `Deleted ${provider} cluster "${name}"; context ${provider}-${name} was removed from ${clusters.kubeconfigPath()}.`);
  },
};
