import { AppError } from '../../../shared/errors';
import { parseKnobAssignment, seriesName, type KnobTarget } from '../../../shared/models/metric-knobs';
import { formatTable, type CliCommand, type CliContext } from '../command';
import { parseObjectTarget } from '../object-target';

function contextFlag(ctx: CliContext): string {
  const context = ctx.flags.context;
  if (typeof context !== 'string' || !context) throw new AppError('INVALID_ARGUMENT', 'This command needs --context.', { fix: 'Run `slipway contexts` to list them.' });
  return context;
}

function stringFlag(ctx: CliContext, name: string): string | undefined {
  const value = ctx.flags[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const SET_USAGE =
  "slipway metrics set NAME=VALUE|'NAME{label=value}=VALUE' --context C [-n NS] [--object KIND/NAME | --pod P | --selector k=v] [--replicas-of KIND/NAME] [--json]";

/**
 * Where `metrics set` writes: the object, pod or pods named; an external series when the name
 * has labels or nothing else is named.
 */
function knobTarget(ctx: CliContext, labels: Record<string, string> | undefined): KnobTarget {
  const object = stringFlag(ctx, 'object');
  const pod = stringFlag(ctx, 'pod');
  const selector = stringFlag(ctx, 'selector');
  const replicasOf = stringFlag(ctx, 'replicas-of');
  const named = [object, pod, selector].filter(Boolean).length;
  if (named > 1) throw new AppError('INVALID_ARGUMENT', 'Name one of --object, --pod and --selector.', { fix: `Usage: ${SET_USAGE}` });
  if (labels || named === 0) {
    if (named > 0) throw new AppError('INVALID_ARGUMENT', 'A metric with {labels} is an external series: it is set per namespace, not on an object.', { fix: 'Drop --object/--pod/--selector, or the {labels}.' });
    // Written as Kind.group/NAME (Deployment.apps/inference): the adapter knows kinds, not kubectl's short names.
    const workload = replicasOf ? parseObjectTarget(replicasOf) : undefined;
    const normalized = workload ? `${workload.kind}${workload.group ? `.${workload.group}` : ''}/${workload.name}` : undefined;
    return { type: 'external', labels: labels ?? {}, ...(normalized ? { replicasOf: normalized } : {}) };
  }
  if (replicasOf) throw new AppError('INVALID_ARGUMENT', '--replicas-of is for external series: on an object, replicas is its own.', { fix: `Usage: ${SET_USAGE}` });
  if (pod) return { type: 'pod', name: pod };
  if (selector) return { type: 'pods', selector };
  const { group, kind, name } = parseObjectTarget(object!);
  return { type: 'object', group, kind, name };
}

/** `slipway metrics set`: the knobs behind the custom and external metrics of simulated and kind clusters. */
export const metricsSetCommand: CliCommand = {
  path: ['metrics', 'set'],
  summary: 'Set a custom or external metric value the HPA scales on (a number, or an expression of replicas and t)',
  usage: SET_USAGE,
  options: {
    context: { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    object: { type: 'string' },
    pod: { type: 'string' },
    selector: { type: 'string', short: 'l' },
    'replicas-of': { type: 'string' },
  },
  async run(ctx) {
    const context = contextFlag(ctx);
    const [assignment, ...extra] = ctx.positionals;
    if (!assignment || extra.length > 0) {
      throw new AppError('INVALID_ARGUMENT', 'Give one NAME=VALUE.', { fix: "e.g. `slipway metrics set requests_per_second='600 / replicas' --object deploy/inference --context kwok-demo`" });
    }
    // Everything is checked before anything is written.
    const { metric, labels, value } = parseKnobAssignment(assignment);
    const target = knobTarget(ctx, labels);
    const namespace = stringFlag(ctx, 'namespace') ?? (await ctx.services().clients.forContext(context)).defaultNamespace;
    const result = await ctx.services().metrics.set({ context, namespace, metric, value, target }, ctx.signal);
    ctx.print(result, () => result.message);
  },
};

/** `slipway metrics list`: every knob of a context (one namespace with -n). */
export const metricsListCommand: CliCommand = {
  path: ['metrics', 'list'],
  summary: 'List the custom and external metric values set on a cluster',
  usage: 'slipway metrics list --context C [-n NS] [--json]',
  options: { context: { type: 'string' }, namespace: { type: 'string', short: 'n' } },
  async run(ctx) {
    const context = contextFlag(ctx);
    const knobs = await ctx.services().metrics.list(context, stringFlag(ctx, 'namespace'), ctx.signal);
    ctx.print(knobs, () => {
      if (knobs.length === 0) return `No metric values are set in ${context}. Set one with \`${SET_USAGE}\`.`;
      const rows = knobs.map((k) => [k.namespace, k.on === 'external' ? seriesName({ name: k.metric, labels: k.labels }) : k.metric, k.on, k.value, k.replicasOf ?? '', k.setAt ?? '']);
      return formatTable(['NAMESPACE', 'METRIC', 'ON', 'VALUE', 'REPLICAS OF', 'SET AT'], rows);
    });
  },
};
