import { AppError } from '../../../shared/errors';
import { PROVIDER_IDS, createClusterRequestSchema, type CreateClusterInput } from '../../../shared/models/clusters';
import type { CliCommand, CliContext } from '../command';
import { applyLocalClusterFlags, LOCAL_CLUSTER_OPTIONS, LOCAL_CLUSTER_USAGE } from './local-cluster-flags';

function intFlag(ctx: CliContext, flag: string): number | undefined {
  const raw = ctx.flags[flag];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new AppError('INVALID_ARGUMENT', `--${flag} must be a whole number, not "${String(raw)}".`, { fix: `For example --${flag} 2.` });
  }
  return value;
}

/** The create request from the command line; bad input is INVALID_ARGUMENT naming the flag. */
export function createRequestFromFlags(ctx: CliContext): CreateClusterInput {
  const [name, ...extra] = ctx.positionals;
  if (!name) throw new AppError('INVALID_ARGUMENT', 'The cluster needs a name.', { fix: `Usage: ${clusterCreateCommand.usage}` });
  if (extra.length > 0) throw new AppError('INVALID_ARGUMENT', `Unexpected argument "${extra[0]}".`, { fix: `Usage: ${clusterCreateCommand.usage}` });
  const provider = (ctx.flags.provider as string | undefined) ?? 'kwok';
  const input: Record<string, unknown> = { provider, name };
  const set = (key: string, value: unknown) => value !== undefined && (input[key] = value);
  set('nodes', intFlag(ctx, 'nodes'));
  set('gpuNodes', intFlag(ctx, 'gpu-nodes'));
  set('gpusPerNode', intFlag(ctx, 'gpus-per-node'));
  set('gpuMemoryMiB', intFlag(ctx, 'gpu-memory-mib'));
  set('gpuProduct', ctx.flags['gpu-product']);
  set('keepOnFailure', ctx.flags['keep-on-failure']);
  if (ctx.flags['no-metrics-server']) input.addons = { metricsServer: false };
  // kind/k3d: --workers, --gpus, --gpu-sharing, --image, --kubernetes-version, --port, add-ons.
  applyLocalClusterFlags(ctx, input);
  const parsed = createClusterRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = FLAG_OF[String(issue.path[0])] ?? String(issue.path[0]);
    throw new AppError('INVALID_ARGUMENT', `${flag}: ${issue.message}.`, {
      fix: flag === '--provider' ? `Use one of: ${PROVIDER_IDS.join(', ')}.` : `Usage: ${clusterCreateCommand.usage}`,
    });
  }
  return input as CreateClusterInput;
}

const FLAG_OF: Record<string, string> = {
  provider: '--provider',
  name: 'NAME',
  nodes: '--nodes',
  gpuNodes: '--gpu-nodes',
  gpusPerNode: '--gpus-per-node',
  gpuProduct: '--gpu-product',
  gpuMemoryMiB: '--gpu-memory-mib',
  gpus: '--gpus',
  gpuSharing: '--gpu-sharing',
  image: '--image',
  kubernetesVersion: '--kubernetes-version',
  ports: '--port',
};

/** `slipway cluster create NAME`: creates a local cluster and merges its context into the kubeconfig. */
export const clusterCreateCommand: CliCommand = {
  path: ['cluster', 'create'],
  summary: 'Create a local cluster (kwok: simulated GPU nodes, no Docker needed)',
  usage:
    `slipway cluster create NAME [--provider kwok] [--nodes N] [--gpu-nodes N] [--gpus-per-node N] [--gpu-product P] [--gpu-memory-mib M] [--no-metrics-server] [--keep-on-failure] [--json]\n       slipway cluster create NAME --provider kind|k3d ${LOCAL_CLUSTER_USAGE} [--keep-on-failure] [--json]`,
  options: {
    provider: { type: 'string' },
    nodes: { type: 'string' },
    'gpu-nodes': { type: 'string' },
    'gpus-per-node': { type: 'string' },
    'gpu-product': { type: 'string' },
    'gpu-memory-mib': { type: 'string' },
    'no-metrics-server': { type: 'boolean' },
    'keep-on-failure': { type: 'boolean' },
    ...LOCAL_CLUSTER_OPTIONS,
  },
  async run(ctx) {
    const request = createRequestFromFlags(ctx);
    let lastPhase = '';
    const result = await ctx.services().clusters.create(request, {
      signal: ctx.signal,
      progress(update) {
        // Progress goes to stderr so stdout stays the result (JSON with --json).
        if (update.phase !== lastPhase) {
          lastPhase = update.phase;
          ctx.stderr.write(`[${String(update.percent).padStart(3)}%] ${update.phase}${update.message ? ` — ${update.message}` : ''}\n`);
        }
        if (ctx.flags.verbose) for (const line of update.log ?? []) ctx.stderr.write(`       ${line}\n`);
      },
    });
    ctx.print(result, () => {
      const c = result.cluster;
      const gpus = c.gpuNodes ? `, ${c.gpuNodes} GPU node${c.gpuNodes === 1 ? '' : 's'} with ${c.gpus} GPUs` : '';
      return [
        `Created ${c.simulated ? 'simulated ' : ''}cluster "${c.name}" (${c.nodes ?? 0} node${c.nodes === 1 ? '' : 's'}${gpus}).`,
        `Context ${result.contextName} was merged into ${result.kubeconfigPath} and made current.`,
        `Try: kubectl --context ${result.contextName} get nodes`,
        ...(result.notes ?? []).map((n) => `Note: ${n}`),
        ...(result.verification ? [`GPU check: ${result.verification.ok ? 'passed' : 'FAILED'} — ${result.verification.message}`, ...result.verification.log.trimEnd().split('\n').map((l) => `  ${l}`)] : []),
      ].join('\n');
    });
  },
};
