import { AppError } from '../../../shared/errors';
import type { ObjectAction, ObjectKey } from '../../../shared/models/objects';
import type { CliCommand, CliContext } from '../command';
import { parseObjectTarget } from '../object-target';

const options = { context: { type: 'string' }, namespace: { type: 'string', short: 'n' } } as const;

/** The object a command names, with the context's default namespace when -n is not given. */
async function objectKey(ctx: CliContext, usage: string): Promise<ObjectKey> {
  const context = ctx.flags.context;
  if (typeof context !== 'string' || !context) throw new AppError('INVALID_ARGUMENT', 'This command needs --context.', { fix: 'Run `slipway contexts` to list them.' });
  const raw = ctx.positionals[0];
  if (!raw || ctx.positionals.length > 1) throw new AppError('INVALID_ARGUMENT', 'Name one object as KIND/NAME.', { fix: `Usage: ${usage}` });
  const target = parseObjectTarget(raw);
  const flag = ctx.flags.namespace;
  const namespace = typeof flag === 'string' && flag ? flag : (await ctx.services().clients.forContext(context)).defaultNamespace;
  // Cluster-scoped kinds ignore the namespace (the service drops it after discovery).
  return { context, ...target, namespace };
}

function actionCommand(word: string, summary: string, usage: string, action: (ctx: CliContext) => ObjectAction, extra: CliCommand['options'] = {}): CliCommand {
  return {
    path: [word],
    summary,
    usage,
    options: { ...options, ...extra },
    async run(ctx) {
      const act = action(ctx);
      const key = await objectKey(ctx, usage);
      const result = await ctx.services().objects.act(key, act, ctx.signal);
      ctx.print({ ...result, object: key }, () => result.message);
    },
  };
}

export const deleteCommand = actionCommand('delete', 'Delete a pod, Job, training job, PVC or other object', 'slipway delete KIND/NAME --context NAME [-n NS] [--json]', () => ({ type: 'delete' }));

export const scaleCommand = actionCommand(
  'scale',
  'Set the replicas of a Deployment or StatefulSet',
  'slipway scale deploy/NAME|sts/NAME --replicas N --context NAME [-n NS] [--json]',
  (ctx) => {
    const raw = ctx.flags.replicas;
    const replicas = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(replicas)) throw new AppError('INVALID_ARGUMENT', '--replicas needs a whole number, 0 or more.', { fix: 'e.g. --replicas 3' });
    return { type: 'scale', replicas };
  },
  { replicas: { type: 'string' } },
);

export const suspendCommand = actionCommand('suspend', 'Suspend a Job, JobSet, TrainJob, RayJob or Training Operator job', 'slipway suspend KIND/NAME --context NAME [-n NS] [--json]', () => ({ type: 'suspend', suspend: true }));

export const resumeCommand = actionCommand('resume', 'Resume a suspended job', 'slipway resume KIND/NAME --context NAME [-n NS] [--json]', () => ({ type: 'suspend', suspend: false }));
