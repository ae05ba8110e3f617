import { AppError } from '../../../shared/errors';
import { createClusterRequestSchema } from '../../../shared/models/clusters';
import { K3D_GPU_NOTE, planK3dCluster } from '../../clusters/k3d/k3d-plan';
import { planKindCluster } from '../../clusters/kind/kind-provider';
import type { CliCommand } from '../command';
import { applyLocalClusterFlags, LOCAL_CLUSTER_OPTIONS, LOCAL_CLUSTER_USAGE } from './local-cluster-flags';

/**
 * `slipway cluster config NAME --provider kind`: prints the kind config Slipway would create the
 * cluster with (or, for k3d, the `k3d cluster create` command), without running any tool.
 */
export const clusterConfigCommand: CliCommand = {
  path: ['cluster', 'config'],
  summary: 'Print the kind config (or k3d command) a cluster would be created with; runs nothing',
  usage: `slipway cluster config NAME [--provider kind|k3d] ${LOCAL_CLUSTER_USAGE} [--gpu-count N] [--json]`,
  options: { provider: { type: 'string' }, 'gpu-count': { type: 'string' }, ...LOCAL_CLUSTER_OPTIONS },
  async run(ctx) {
    const [name, ...extra] = ctx.positionals;
    if (!name || extra.length) throw new AppError('INVALID_ARGUMENT', name ? `Unexpected argument "${extra[0]}".` : 'The cluster needs a name.', { fix: `Usage: ${clusterConfigCommand.usage}` });
    const provider = (ctx.flags.provider as string | undefined) ?? 'kind';
    if (provider !== 'kind' && provider !== 'k3d') {
      throw new AppError('INVALID_ARGUMENT', `--provider ${provider} has no config to print.`, { fix: 'Use --provider kind or --provider k3d.' });
    }
    const input: Record<string, unknown> = { provider, name };
    applyLocalClusterFlags(ctx, input);
    const parsed = createClusterRequestSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('INVALID_ARGUMENT', `${String(issue.path.join('.'))}: ${issue.message}.`, { fix: `Usage: ${clusterConfigCommand.usage}` });
    }
    const request = parsed.data;
    if (provider === 'k3d') {
      const plan = planK3dCluster(request);
      const command = ['k3d', ...plan.args];
      const notes = plan.gpus === 'none' ? [] : [K3D_GPU_NOTE, ...(plan.buildCudaImage ? [`The CUDA image ${plan.buildCudaImage.tag} is built from resources/k3d-cuda when missing.`] : [])];
      ctx.print({ provider, command, notes }, () => [...notes.map((n) => `# ${n}`), command.map((a) => (/[\s;*]/.test(a) ? `'${a}'` : a)).join(' ')].join('\n'));
      return;
    }
    const gpuCount = ctx.flags['gpu-count'];
    let indexes: number[] | undefined;
    if (gpuCount !== undefined) {
      if (typeof gpuCount !== 'string' || !/^\d+$/.test(gpuCount)) throw new AppError('INVALID_ARGUMENT', `--gpu-count must be a whole number, not "${String(gpuCount)}".`);
      indexes = Array.from({ length: Number(gpuCount) }, (_, i) => i);
    }
    const plan = planKindCluster(request, indexes);
    ctx.print({ provider, config: plan.config, notes: plan.plan.notes }, () => [...plan.plan.notes.map((n) => `# ${n}`), plan.config.trimEnd()].join('\n'));
  },
};
