import type { CliCommand } from '../command';
import { resolveClusterTarget } from './cluster-target';

/** `slipway cluster stop NAME`: stops a local cluster, keeping its state and context. */
export const clusterStopCommand: CliCommand = {
  path: ['cluster', 'stop'],
  summary: 'Stop a local cluster (its state and context are kept)',
  usage: 'slipway cluster stop NAME [--provider kind|k3d|kwok] [--json]',
  options: { provider: { type: 'string' } },
  async run(ctx) {
    const { provider, name } = await resolveClusterTarget(ctx, clusterStopCommand.usage);
    await ctx.services().clusters.stop(provider, name);
    ctx.print({ stopped: true, provider, name }, () => `Stopped ${provider} cluster "${name}". Start it again with \`slipway cluster start ${name}\`.`);
  },
};

/** `slipway cluster start NAME`: starts a stopped local cluster. */
export const clusterStartCommand: CliCommand = {
  path: ['cluster', 'start'],
  summary: 'Start a stopped local cluster',
  usage: 'slipway cluster start NAME [--provider kind|k3d|kwok] [--json]',
  options: { provider: { type: 'string' } },
  async run(ctx) {
    const { provider, name } = await resolveClusterTarget(ctx, clusterStartCommand.usage);
    const { notes } = await ctx.services().clusters.start(provider, name);
    ctx.print({ started: true, provider, name, contextName: `${provider}-${name}`, notes }, () =>
      [`Started ${provider} cluster "${name}" (context ${provider}-${name}).`, ...notes].join('\n'),
    );
  },
};
