import { AppError } from '../../../shared/errors';
import type { CliCommand } from '../command';
import { DemoRunner } from '../../promote/demo/demo-runner';
import { defaultSamplesDir } from '../../promote/create-promote-service';

/**
 * `slipway demo`: the whole story on two simulated clusters, narrated step by step. The runner
 * only composes services that createServices() built (clusters, clients, promote), so the
 * command builds it here rather than adding a service nobody else uses.
 */
export const demoCommand: CliCommand = {
  path: ['demo'],
  summary: 'Five-minute demo: simulated laptop and cloud clusters, HPA under load, training, promotion',
  usage: 'slipway demo [--pace SECONDS] [--clean] [--json]',
  options: { pace: { type: 'string' }, clean: { type: 'boolean' } },
  async run(ctx) {
    const pace = ctx.flags.pace === undefined ? 2 : Number(ctx.flags.pace);
    if (!Number.isFinite(pace) || pace < 0 || pace > 60) throw new AppError('INVALID_ARGUMENT', `--pace must be 0–60 seconds, not "${String(ctx.flags.pace)}".`);
    const services = ctx.services();
    const runner = new DemoRunner({ clusters: services.clusters, clients: services.clients, promote: services.promote, metrics: services.metrics, configDir: services.platform.configDir, samplesDir: defaultSamplesDir() });
    // Narration goes to stdout as it happens (stderr with --json, where stdout is the result).
    const out = ctx.json ? ctx.stderr : ctx.stdout;
    const io = { pace, signal: ctx.signal, say: (step: string, text: string) => out.write(step ? `\n[${step}] ${text}\n` : `      ${text}\n`) };
    if (ctx.flags.clean) {
      const removed = await runner.clean(io);
      ctx.print({ removed }, () => `Demo cleaned up: ${removed.length ? `deleted ${removed.map((n) => `kwok-${n}`).join(', ')}` : 'nothing to delete'}. The promotion history is kept (\`slipway history\`).`);
      return;
    }
    out.write(
      [
        'Slipway demo — a workload from the laptop cluster to the cloud in five minutes.',
        'Watch it live: run `slipway serve` in another terminal and open the URL it prints',
        '(Overview → contexts kwok-laptop and kwok-cloud: GPUs, the HPAs, the training job; Promote → History).',
        '',
      ].join('\n'),
    );
    const result = await runner.run(io);
    ctx.print(
      { laptop: result.laptop, cloud: result.cloud, promotion: { id: result.promotion.id, status: result.promotion.status }, hpaReplicas: result.hpaReplicas, queueReplicas: result.queueReplicas, trainingCompleted: result.trainingCompleted },
      () =>
        [
          '',
          `Done: promotion ${result.promotion.id} ${result.promotion.status}.`,
          `Next: run \`slipway demo\` again (everything is reused; the promotion finds nothing to change),`,
          `      \`slipway rollback ${result.promotion.id}\` to undo the promotion, \`slipway demo --clean\` to delete both clusters.`,
        ].join('\n'),
    );
    return result.promotion.status === 'succeeded' ? 0 : 1;
  },
};
