import type { CliCommand } from '../command';
import { formatTable } from '../command';

/** `slipway contexts`: every kubeconfig context with its reachability. */
export const contextsCommand: CliCommand = {
  path: ['contexts'],
  summary: 'List kubeconfig contexts and whether their API servers answer',
  usage: 'slipway contexts [--no-probe] [--allow-exec] [--json]',
  options: { 'no-probe': { type: 'boolean' } },
  async run(ctx) {
    const list = await ctx.services().contexts.list({ probe: !ctx.flags['no-probe'] });
    // The documented JSON shape; problems go to stderr so `--json` output stays that shape.
    const contexts = list.contexts.map((c) => ({
      name: c.name,
      server: c.server,
      user: c.user,
      namespace: c.namespace,
      current: c.current,
      reachable: c.reachable,
      version: c.version,
      error: c.error,
      plainHttp: c.plainHttp,
    }));
    for (const problem of list.problems) {
      ctx.stderr.write(`slipway: warning: ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}\n`);
    }
    ctx.print({ contexts, problems: list.problems }, () => {
      if (contexts.length === 0) return `No contexts found in ${list.files.join(', ')}. Create a cluster with \`slipway cluster create NAME --provider kwok\`.`;
      return formatTable(
        ['CURRENT', 'NAME', 'SERVER', 'USER', 'NAMESPACE', 'STATUS'],
        contexts.map((c) => [
          c.current ? '*' : '',
          c.name,
          c.plainHttp ? `${c.server} (plain HTTP)` : c.server,
          c.user,
          c.namespace,
          c.reachable ? `ok ${c.version ?? ''}`.trim() : c.reachable === null && !c.error ? '?' : `error: ${c.error}`,
        ]),
      );
    });
  },
};
