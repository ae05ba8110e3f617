import { AppError } from '../../../shared/errors';
import type { CliCommand, CliContext } from '../command';
import { formatApply, formatDiff, formatPlan } from '../../promote/format-text';
import { progressPrinter } from './promote-progress';

/** The flags `slipway promote` and `slipway apply` share. */
export const PROMOTION_OPTIONS = {
  profile: { type: 'string' },
  plan: { type: 'boolean' },
  diff: { type: 'boolean' },
  apply: { type: 'boolean' },
  'force-conflicts': { type: 'boolean' },
  prune: { type: 'boolean' },
  'no-registry-check': { type: 'boolean' },
  wait: { type: 'string' },
} as const;

/** The one positional: a folder, a manifest file or a kustomization. */
export function bundleArgument(ctx: CliContext, usage: string): string {
  const [bundle, ...extra] = ctx.positionals;
  if (!bundle)
    throw new AppError('INVALID_ARGUMENT', 'Which bundle? Pass a folder, a manifest file or a kustomization.', {
      fix: `Usage: ${usage}`,
    });
  if (extra.length) throw new AppError('INVALID_ARGUMENT', `Unexpected argument "${extra[0]}".`, { fix: `Usage: ${usage}` });
  return bundle;
}

/** `slipway promote BUNDLE --to CONTEXT`: plan (default), diff or apply a bundle through a profile. */
export const promoteCommand: CliCommand = {
  path: ['promote'],
  summary: 'Promote a workload bundle to a target cluster: plan (preflight), server-side diff, apply',
  usage:
    'slipway promote BUNDLE --to CONTEXT [--profile FILE|NAME] [--plan|--diff|--apply] [--push] [--no-registry-check] [--force-conflicts] [--prune] [--wait SECONDS] [--json]',
  options: { to: { type: 'string' }, push: { type: 'boolean' }, ...PROMOTION_OPTIONS },
  async run(ctx) {
    const bundle = bundleArgument(ctx, promoteCommand.usage);
    const target = ctx.flags.to as string | undefined;
    if (!target)
      throw new AppError('INVALID_ARGUMENT', 'The target context is missing.', {
        fix: 'Pass --to CONTEXT (see `slipway contexts`).',
      });
    return runPromotion(ctx, bundle, target, 'plan');
  },
};

/**
 * Plan, diff or apply `bundle` to `target` through the promotion engine (preflight, server-side
 * diff, safe apply, history): `slipway promote` and `slipway apply` differ only in their default.
 */
export async function runPromotion(
  ctx: CliContext,
  bundle: string,
  target: string,
  defaultMode: 'plan' | 'apply',
): Promise<number> {
  const modes = (['plan', 'diff', 'apply'] as const).filter((m) => ctx.flags[m]);
  if (modes.length > 1)
    throw new AppError('INVALID_ARGUMENT', `Pick one of --plan, --diff, --apply (got ${modes.map((m) => `--${m}`).join(' ')}).`);
  const mode = modes[0] ?? defaultMode;
  if ((ctx.flags['force-conflicts'] || ctx.flags.wait !== undefined) && mode !== 'apply') {
    throw new AppError('INVALID_ARGUMENT', '--force-conflicts and --wait only apply to --apply.');
  }
  const wait = ctx.flags.wait === undefined ? 120 : Number(ctx.flags.wait);
  if (!Number.isInteger(wait) || wait < 0 || wait > 3600)
    throw new AppError('INVALID_ARGUMENT', `--wait must be 0–3600 seconds, not "${String(ctx.flags.wait)}".`);
  // With --plan or --diff, --prune lists what the apply would delete.
  const request = {
    bundle,
    target,
    ...(ctx.flags.profile ? { profile: ctx.flags.profile as string } : {}),
    ...(ctx.flags.prune ? { prune: true } : {}),
    ...(ctx.flags['no-registry-check'] ? { registryCheck: false } : {}),
  };
  const promote = ctx.services().promote;
  const io = progressPrinter(ctx);
  if (ctx.flags.push && ctx.flags['no-registry-check'])
    throw new AppError('INVALID_ARGUMENT', '--push checks the registry after pushing: drop --no-registry-check.');
  if (ctx.flags.push) {
    // First the images the profile rewrites away from a local registry; the preflight below checks them again.
    const { pushed } = await promote.pushImages(request, progressPrinter(ctx, { everyLine: true }));
    if (!ctx.json)
      for (const p of pushed) ctx.stderr.write(`pushed ${p.source} → ${p.target}${p.digest ? ` (${p.digest})` : ''}\n`);
  }
  if (mode === 'plan') {
    const plan = await promote.plan(request, io);
    ctx.print(plan, () => formatPlan(plan));
    return plan.ok ? 0 : 1;
  }
  if (mode === 'diff') {
    const diff = await promote.diff(request, io);
    ctx.print(diff, () => formatDiff(diff));
    return diff.plan.ok && diff.summary.error === 0 && diff.summary.conflict === 0 ? 0 : 1;
  }
  const result = await promote.apply(
    {
      ...request,
      forceConflicts: Boolean(ctx.flags['force-conflicts']),
      waitTimeoutSeconds: wait,
      prune: Boolean(ctx.flags.prune),
    },
    io,
  );
  ctx.print(result, () => formatApply(result));
  return result.status === 'succeeded' ? 0 : 1;
}
