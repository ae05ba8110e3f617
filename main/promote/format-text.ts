/**
 * Plain-text views of promotion results for the CLI (and the demo's narration). Pure.
 */
import type { ApplyResult, DiffEntry, DiffResult, FieldChange, PlanResult, PreflightCheck, PromotionSummary, RollbackResult } from '../../shared/models/promote';
import { formatRef } from '../../shared/models/promote';

const MARK: Record<PreflightCheck['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

const short = (value: unknown) => {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

export function formatChecks(checks: PreflightCheck[]): string {
  return checks.map((c) => `  ${MARK[c.status]}  ${c.title}: ${c.reason}`).join('\n');
}

export function formatPlan(plan: PlanResult): string {
  const lines = [`Bundle ${plan.bundle.name} (${plan.bundle.objects} objects) → ${plan.target.context}${plan.target.version ? ` (${plan.target.version})` : ''} with profile ${plan.profile}`, '', 'Rendered:'];
  for (const r of plan.rendered) {
    lines.push(`  ${formatRef(r.ref)}`);
    for (const c of r.changes) lines.push(`      ${c}`);
  }
  const fails = plan.checks.filter((c) => c.status === 'fail').length;
  const warns = plan.checks.filter((c) => c.status === 'warn').length;
  if (plan.willDelete?.length) lines.push('', 'Will delete (prune: created by an earlier promotion of this bundle, no longer in it):', ...plan.willDelete.map((r) => `  ${formatRef(r)}`));
  lines.push('', `Preflight: ${fails ? `${fails} failed` : 'passed'}${warns ? `, ${warns} warning(s)` : ''}`, formatChecks(plan.checks));
  return lines.join('\n');
}

function formatChange(c: FieldChange): string {
  if (c.type === 'added') return `      + ${c.path}: ${short(c.after)}`;
  if (c.type === 'removed') return `      - ${c.path}: ${short(c.before)}`;
  return `      ~ ${c.path}: ${short(c.before)} → ${short(c.after)}`;
}

export function formatDiffEntry(e: DiffEntry, maxChanges = 20): string[] {
  const lines = [`  ${e.action.padEnd(9)} ${formatRef(e.ref)}`];
  if (e.action === 'change') lines.push(...e.changes.slice(0, maxChanges).map(formatChange), ...(e.changes.length > maxChanges ? [`      … ${e.changes.length - maxChanges} more`] : []));
  if (e.conflict) lines.push(`      conflict with ${e.conflict.managers.join(', ') || 'another manager'} on ${e.conflict.fields.join(', ') || '(fields not named)'} — pass --force-conflicts to take them over`);
  if (e.error) lines.push(`      [${e.error.code}] ${e.error.message}`);
  return lines;
}

export function formatDiff(diff: DiffResult): string {
  const s = diff.summary;
  return [
    formatPlan(diff.plan),
    '',
    `Diff (server-side dry run): ${s.create} to create, ${s.change} to change, ${s.unchanged} unchanged${s.conflict ? `, ${s.conflict} conflict(s)` : ''}${s.error ? `, ${s.error} error(s)` : ''}${s.delete ? `, ${s.delete} to delete (prune)` : ''}`,
    ...diff.entries.flatMap((e) => formatDiffEntry(e)),
  ].join('\n');
}

export function formatApply(result: ApplyResult): string {
  const lines = [`Promotion ${result.id}: ${result.status}`];
  if (result.status === 'blocked') {
    const failed = result.checks.filter((c) => c.status === 'fail');
    if (failed.length) lines.push('Preflight failed; nothing was applied:', formatChecks(failed));
    else lines.push('The dry run rejected objects; nothing was applied:');
  }
  for (const o of result.objects) {
    lines.push(`  ${o.outcome.padEnd(10)} ${formatRef(o.ref)}${o.message ? ` — ${o.message}` : ''}${o.ready ? ` (${o.ready.ready ? '' : 'not ready: '}${o.ready.message})` : ''}`);
  }
  lines.push(`Recorded in ${result.recordPath}${result.status !== 'blocked' ? ` — undo with \`slipway rollback ${result.id}\`` : ''}`);
  return lines.join('\n');
}

export function formatHistory(list: PromotionSummary[]): string[][] {
  return list.map((h) => [h.id, h.createdAt.replace('T', ' ').slice(0, 19), h.bundle, h.target, h.profile, h.rolledBackAt ? `${h.status}, rolled back` : h.status, Object.entries(h.counts).map(([k, n]) => `${n} ${k}`).join(', ')]);
}

export function formatRollback(result: RollbackResult): string {
  return [`Rolled back ${result.id}:`, ...result.objects.map((o) => `  ${o.action.padEnd(8)} ${formatRef(o.ref)}${o.message ? ` — ${o.message}` : ''}`)].join('\n');
}
