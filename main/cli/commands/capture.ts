import { AppError } from '../../../shared/errors';
import type { CliCommand } from '../command';
import { progressPrinter } from './promote-progress';

/** `slipway capture`: a live namespace (or label selection) as a folder of clean manifests. */
export const captureCommand: CliCommand = {
  path: ['capture'],
  summary: 'Capture a namespace of a cluster as a bundle (cluster-assigned fields removed)',
  usage: 'slipway capture --from CONTEXT --namespace NS --out DIR [--selector LABELS] [--include-secrets] [--json]',
  options: { from: { type: 'string' }, namespace: { type: 'string', short: 'n' }, out: { type: 'string' }, selector: { type: 'string', short: 'l' }, 'include-secrets': { type: 'boolean' } },
  async run(ctx) {
    const context = ctx.flags.from as string | undefined;
    const namespace = ctx.flags.namespace as string | undefined;
    const out = ctx.flags.out as string | undefined;
    if (!context || !namespace || !out) throw new AppError('INVALID_ARGUMENT', 'capture needs --from, --namespace and --out.', { fix: `Usage: ${captureCommand.usage}` });
    const result = await ctx.services().promote.capture({ context, namespace, out, ...(ctx.flags.selector ? { selector: ctx.flags.selector as string } : {}), ...(ctx.flags['include-secrets'] ? { includeSecrets: true } : {}) }, progressPrinter(ctx));
    ctx.print(result, () =>
      [
        `Captured ${result.files.length} objects from ${context}/${namespace} into ${result.dir}:`,
        ...result.files.map((f) => `  ${f}`),
        ...(result.secretsLeftOut.length ? [`Left out ${result.secretsLeftOut.length} Secret(s) (${result.secretsLeftOut.join(', ')}): pass --include-secrets to capture their values.`] : []),
      ].join('\n'),
    );
  },
};
