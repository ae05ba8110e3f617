import type { CliCommand } from '../command';
import { formatTable } from '../command';

const MARK = { ok: 'ok', warn: 'WARN', fail: 'FAIL', skip: 'skip' } as const;

/** `slipway doctor`: is this machine ready for kind/k3d clusters and GPU passthrough? */
export const doctorCommand: CliCommand = {
  path: ['doctor'],
  summary: 'Check Docker, cluster tools and GPU passthrough prerequisites (one-line fix for each problem)',
  usage: 'slipway doctor [--smoke-test] [--json]',
  options: { 'smoke-test': { type: 'boolean' } },
  async run(ctx) {
    const report = await ctx.services().doctor.run({ smokeTest: Boolean(ctx.flags['smoke-test']), signal: ctx.signal });
    ctx.print(report, () => {
      const table = formatTable(
        ['STATUS', 'CHECK', 'DETAIL'],
        report.checks.map((c) => [MARK[c.status], c.title, c.detail]),
      );
      const fixes = report.checks.filter((c) => c.fix && (c.status === 'fail' || c.status === 'warn'));
      const counts = (['fail', 'warn'] as const).map((s) => `${report.checks.filter((c) => c.status === s).length} ${s === 'fail' ? 'failed' : 'warnings'}`).join(', ');
      return [table, '', ...(fixes.length ? ['To fix:', ...fixes.map((c) => `  ${c.title}: ${c.fix}`), ''] : []), counts].join('\n');
    });
    // A machine that cannot run local clusters is still a successful diagnosis.
    return 0;
  },
};
