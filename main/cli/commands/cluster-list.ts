import type { CliCommand } from '../command';
import { formatTable } from '../command';

/** `slipway cluster list`: local clusters of every provider. */
export const clusterListCommand: CliCommand = {
  path: ['cluster', 'list'],
  summary: 'List local clusters (kind, k3d, simulated)',
  usage: 'slipway cluster list [--json]',
  async run(ctx) {
    const list = await ctx.services().clusters.list(ctx.signal);
    for (const p of list.problems) ctx.stderr.write(`slipway: warning: ${p.provider}: [${p.code}] ${p.message}${p.fix ? ` — ${p.fix}` : ''}\n`);
    ctx.print(list, () => {
      if (list.clusters.length === 0) return 'No local clusters. Create one with `slipway cluster create demo --provider kwok --gpu-nodes 2`.';
      return formatTable(
        ['NAME', 'PROVIDER', 'STATUS', 'NODES', 'GPUS', 'CONTEXT', 'DETAIL'],
        list.clusters.map((c) => [
          c.name,
          c.simulated ? `${c.provider} (simulated)` : c.provider,
          c.status,
          c.nodes === undefined ? '?' : String(c.nodes),
          c.gpus === undefined ? '?' : String(c.gpus),
          c.contextName,
          c.detail ?? '',
        ]),
      );
    });
  },
};
