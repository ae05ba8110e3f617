import { AppError } from '../../../shared/errors';
import type { StatusReport } from '../../../shared/models/views';
import type { CliCommand } from '../command';
import { formatTable } from '../command';
import { formatBytes } from '../../../shared/k8s/quantity';

function text(report: StatusReport): string {
  const out: string[] = [];
  const g = report.gpus;
  out.push(`Context ${report.context}${report.version ? ` (Kubernetes ${report.version})` : ''}${report.namespace ? `, namespace ${report.namespace}` : ''}`);
  out.push(`GPUs: ${g.requested} requested / ${g.allocatable} allocatable / ${g.capacity} capacity on ${g.gpuNodes} node(s)${g.products.length ? ` — ${g.products.join(', ')}` : ''}`);
  out.push('', 'NODES');
  out.push(
    formatTable(
      ['NAME', 'READY', 'GPU REQ/ALLOC/CAP', 'GPU PRODUCT', 'CPU REQ/ALLOC', 'MEMORY REQ/ALLOC', 'PROBLEMS'],
      report.nodes.map((n) => [
        n.name,
        n.ready ? 'yes' : 'no',
        `${n.gpu.requested}/${n.gpu.allocatable}/${n.gpu.capacity}`,
        n.gpu.product ?? '',
        `${+n.cpu.requested.toFixed(2)}/${+n.cpu.allocatable.toFixed(2)}`,
        `${formatBytes(n.memory.requested)}/${formatBytes(n.memory.allocatable)}`,
        n.problems.join('; '),
      ]),
    ),
  );
  out.push('', `HPAS${report.metricsApi === 'missing' ? '  (metrics API missing: install metrics-server for resource metrics)' : ''}`);
  out.push(
    report.hpas.length
      ? formatTable(
          ['NAMESPACE', 'NAME', 'TARGET', 'MIN', 'MAX', 'CURRENT', 'DESIRED', 'METRICS'],
          report.hpas.map((h) => [h.namespace, h.name, `${h.target.kind}/${h.target.name}`, String(h.minReplicas), String(h.maxReplicas), String(h.currentReplicas), String(h.desiredReplicas), h.metrics.map((m) => `${m.name} ${m.current ?? '?'}/${m.target}`).join(', ')]),
        )
      : '(none)',
  );
  out.push('', 'PERSISTENT VOLUME CLAIMS');
  out.push(
    report.storage.claims.length
      ? formatTable(
          ['NAMESPACE', 'NAME', 'PHASE', 'CAPACITY', 'CLASS', 'VOLUME', 'PODS', 'WHY PENDING'],
          report.storage.claims.map((c) => [c.namespace, c.name, c.phase, c.capacity ?? c.requested ?? '', c.storageClass ?? '', c.volume ?? '', c.pods.join(','), c.pendingReason ?? '']),
        )
      : '(none)',
  );
  out.push('', 'TRAINING JOBS');
  out.push(
    report.trainingJobs.length
      ? formatTable(
          ['NAMESPACE', 'KIND', 'NAME', 'PHASE', 'REPLICAS', 'GPUS', 'DURATION'],
          report.trainingJobs.map((j) => [
            j.namespace,
            j.kind,
            j.name,
            j.phase,
            j.replicas.map((r) => `${r.type} ${r.active}a/${r.succeeded}s/${r.failed}f`).join(' '),
            String(j.gpus),
            j.durationSeconds === undefined ? '' : `${j.durationSeconds}s`,
          ]),
        )
      : '(none)',
  );
  for (const p of report.problems) out.push(`warning: ${p.message}`);
  return out.join('\n');
}

/** `slipway status`: the view models the GUI shows, read once. */
export const statusCommand: CliCommand = {
  path: ['status'],
  summary: 'Show nodes and GPUs, HPAs, storage and training jobs of a context',
  usage: 'slipway status --context NAME [--namespace NS] [--json]',
  options: { context: { type: 'string' }, namespace: { type: 'string', short: 'n' } },
  async run(ctx) {
    const context = ctx.flags.context;
    if (typeof context !== 'string' || !context) {
      throw new AppError('INVALID_ARGUMENT', 'status needs --context.', { fix: 'Run `slipway contexts` to list them, then `slipway status --context NAME`.' });
    }
    const namespace = typeof ctx.flags.namespace === 'string' && ctx.flags.namespace ? ctx.flags.namespace : undefined;
    const report = await ctx.services().views.statusReport(context, namespace);
    // Problems (no permission to list X) also go to stderr so `--json` scripts notice them.
    if (ctx.json) for (const p of report.problems) ctx.stderr.write(`slipway: warning: ${p.message}\n`);
    ctx.print(report, () => text(report));
  },
};
