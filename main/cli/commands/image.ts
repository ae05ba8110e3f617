import { AppError } from '../../../shared/errors';
import { imageLoadRequestSchema } from '../../../shared/models/images';
import type { CliCommand } from '../command';

/** `slipway image load IMAGE --cluster NAME`: a local image into a kind or k3d cluster. */
export const imageLoadCommand: CliCommand = {
  path: ['image', 'load'],
  summary: 'Load a local Docker image into a kind or k3d cluster (no registry needed)',
  usage: 'slipway image load IMAGE --cluster NAME [--provider kind|k3d] [--json]',
  options: { cluster: { type: 'string' }, provider: { type: 'string' } },
  async run(ctx) {
    const [image, ...extra] = ctx.positionals;
    if (!image || extra.length) throw new AppError('INVALID_ARGUMENT', image ? `Unexpected argument "${extra[0]}".` : 'Which image? Give its reference.', { fix: `Usage: ${imageLoadCommand.usage}` });
    const parsed = imageLoadRequestSchema.safeParse({ image, cluster: ctx.flags.cluster, ...(ctx.flags.provider ? { provider: ctx.flags.provider } : {}) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const flag = { image: 'IMAGE', cluster: '--cluster', provider: '--provider' }[String(issue.path[0])] ?? String(issue.path[0]);
      throw new AppError('INVALID_ARGUMENT', `${flag}: ${issue.message === 'Invalid input: expected string, received undefined' ? 'required' : issue.message}.`, { fix: `Usage: ${imageLoadCommand.usage}` });
    }
    let last = -1;
    const result = await ctx.services().images.load(parsed.data, {
      signal: ctx.signal,
      progress(update) {
        if (update.percent !== last) {
          last = update.percent;
          ctx.stderr.write(`[${String(update.percent).padStart(3)}%] ${update.phase}\n`);
        }
        if (ctx.flags.verbose) for (const line of update.log ?? []) ctx.stderr.write(`       ${line}\n`);
      },
    });
    ctx.print(result, () => `Loaded ${result.image} into ${result.provider} cluster "${result.cluster}" (${result.nodes.length} node${result.nodes.length === 1 ? '' : 's'}: ${result.nodes.join(', ')}).`);
  },
};
