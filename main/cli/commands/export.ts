import { AppError } from '../../../shared/errors';
import type { CliCommand } from '../command';

/** `slipway export`: the rendered bundle as files for GitOps (Argo CD, Flux). */
export const exportCommand: CliCommand = {
  path: ['export'],
  summary: 'Write a bundle rendered through a profile to a folder (manifests or a kustomize overlay) for GitOps',
  usage: 'slipway export BUNDLE --profile FILE|NAME --out DIR [--format manifests|overlay] [--json]',
  options: { profile: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } },
  async run(ctx) {
    const [bundle] = ctx.positionals;
    const out = ctx.flags.out as string | undefined;
    if (!bundle || !out) throw new AppError('INVALID_ARGUMENT', 'export needs a BUNDLE and --out DIR.', { fix: `Usage: ${exportCommand.usage}` });
    const format = (ctx.flags.format as string | undefined) ?? 'manifests';
    if (format !== 'manifests' && format !== 'overlay') throw new AppError('INVALID_ARGUMENT', `--format must be manifests or overlay, not "${format}".`);
    const result = await ctx.services().promote.export({ bundle, out, format, ...(ctx.flags.profile ? { profile: ctx.flags.profile as string } : {}) });
    ctx.print(result, () => [`Wrote ${result.files.length} files (${result.format}) to ${result.dir}:`, ...result.files.map((f) => `  ${f}`)].join('\n'));
  },
};
