import { useState } from 'react';
import { StatusBadge } from '../../components/StatusBadge';
import type { ApplyResult, DiffEntry, DiffResult, PlanResult, PreflightCheck } from '../../../shared/models/promote';
import { formatRef } from '../../../shared/models/promote';
import { ACTION_TONE, CHECK_TONE, changeLine, checkCounts, diffSummary, orderChecks } from './promote-view';

/**
 * The preflight table. With `onPush`, checks of images missing in the target registry that the
 * profile rewrites from a local image get a Push images button (docker tag + docker push).
 */
export function ChecksView({ checks, onPush, pushDisabled }: { checks: PreflightCheck[]; onPush?: () => void; pushDisabled?: boolean }) {
  const counts = checkCounts(checks);
  const pushable = checks.filter((c) => c.status === 'fail' && c.push);
  return (
    <section aria-label="Preflight">
      <h2>
        Preflight{' '}
        <StatusBadge tone={counts.fail ? 'error' : counts.warn ? 'warn' : 'ok'}>{counts.fail ? `${counts.fail} failed` : counts.warn ? `${counts.warn} warnings` : 'passed'}</StatusBadge>
      </h2>
      {onPush && pushable.length > 0 && (
        <div className="toolbar" aria-label="Push images">
          <button type="button" onClick={onPush} disabled={pushDisabled}>
            Push images
          </button>
          <span className="hint">
            {pushable.map((c) => `${c.push!.source} → ${c.push!.target}`).join(', ')}: docker tag and docker push with your Docker, then preflight again.
          </span>
        </div>
      )}
      <table className="table" aria-label="Preflight checks">
        <tbody>
          {orderChecks(checks).map((c) => (
            <tr key={c.id} data-check={c.id}>
              <td>
                <StatusBadge tone={CHECK_TONE[c.status]}>{c.status}</StatusBadge>
              </td>
              <th scope="row">{c.title}</th>
              <td>{c.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function RenderedView({ plan }: { plan: PlanResult }) {
  return (
    <details className="detail-panel">
      <summary>
        Rendered for {plan.target.context} with profile {plan.profile}: {plan.rendered.length} objects
      </summary>
      <ul className="events" aria-label="Rendered changes">
        {plan.rendered.map((r) => (
          <li key={formatRef(r.ref)}>
            <strong>{formatRef(r.ref)}</strong>
            {r.changes.length > 0 && <div className="cell-detail">{r.changes.join(' · ')}</div>}
          </li>
        ))}
      </ul>
    </details>
  );
}

function DiffRow({ entry }: { entry: DiffEntry }) {
  const [open, setOpen] = useState(entry.action === 'change' || entry.action === 'conflict' || entry.action === 'error');
  return (
    <li data-object={formatRef(entry.ref)}>
      <button type="button" className="link-button" onClick={() => setOpen(!open)} aria-expanded={open}>
        <StatusBadge tone={ACTION_TONE[entry.action]}>{entry.action}</StatusBadge> {formatRef(entry.ref)}
      </button>
      {open && entry.conflict && (
        <div className="cell-detail">
          Owned by {entry.conflict.managers.join(', ') || 'another manager'}: {entry.conflict.fields.join(', ')} — apply with “take over conflicting fields” to force.
        </div>
      )}
      {open && entry.error && <div className="cell-detail">{entry.error.message}</div>}
      {open && entry.changes.length > 0 && <pre className="log">{entry.changes.map(changeLine).join('\n')}</pre>}
    </li>
  );
}

export function DiffView({ diff }: { diff: DiffResult }) {
  return (
    <section aria-label="Diff">
      <h2>Diff (server-side dry run)</h2>
      <p role="status">{diffSummary(diff)}</p>
      <ul className="events" aria-label="Diff entries">
        {diff.entries.map((e) => (
          <DiffRow key={formatRef(e.ref)} entry={e} />
        ))}
      </ul>
    </section>
  );
}

const OUTCOME_TONE = { created: 'info', configured: 'warn', unchanged: 'muted', conflict: 'error', failed: 'error', skipped: 'muted', pruned: 'warn', pending: 'error' } as const;

export function ApplyView({ result }: { result: ApplyResult }) {
  return (
    <section aria-label="Apply result">
      <h2>
        Promotion {result.id}{' '}
        <StatusBadge tone={result.status === 'succeeded' ? 'ok' : result.status === 'partial' ? 'warn' : 'error'}>{result.status}</StatusBadge>
      </h2>
      {result.status === 'blocked' && <p className="banner warn">Nothing was applied: fix what is listed below (or take over conflicting fields) and apply again.</p>}
      <table className="table" aria-label="Applied objects">
        <tbody>
          {result.objects.map((o) => (
            <tr key={`${o.outcome}-${formatRef(o.ref)}`}>
              <td>
                <StatusBadge tone={OUTCOME_TONE[o.outcome]}>{o.outcome}</StatusBadge>
              </td>
              <th scope="row">{formatRef(o.ref)}</th>
              <td>
                {o.message}
                {o.ready && <span className={o.ready.ready ? 'muted' : ''}> {o.ready.message}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
