import type { CliCommand } from '../command';
import { formatTable } from '../command';

/** `slipway gpus`: the host's NVIDIA GPUs; none is an empty list with a reason (exit 0). */
export const gpusCommand: CliCommand = {
  path: ['gpus'],
  summary: 'List this machine’s NVIDIA GPUs (nvidia-smi)',
  usage: 'slipway gpus [--json]',
  async run(ctx) {
    const inventory = await ctx.services().gpus.list(ctx.signal);
    ctx.print(inventory, () => {
      if (inventory.gpus.length === 0) return `No NVIDIA GPU: ${inventory.reason ?? 'none found'}`;
      return formatTable(
        ['INDEX', 'NAME', 'MEMORY', 'DRIVER', 'CUDA', 'MIG', 'UUID'],
        inventory.gpus.map((g) => [String(g.index), g.name, `${g.memoryMiB} MiB`, g.driver, g.cuda ?? '?', g.migMode, g.uuid]),
      );
    });
  },
};
