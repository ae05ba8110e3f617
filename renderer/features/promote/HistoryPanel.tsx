import { useEffect } from 'react';
import { useCall, useTask } from '../../rpc/hooks';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { EmptyState } from '../../components/EmptyState';
import { formatRef } from '../../../shared/models/promote';
import { historyRows } from './promote-view';

/** Every recorded promotion, newest first, with rollback. */
export function HistoryPanel({ generation }: { generation: number }) {
  const history = useCall('promote.listHistory', {});
  const rollback = useTask('promote.rollback');
  const { reload } = history;
  // A promotion just finished on the page: show its record.
  useEffect(() => {
    if (generation > 0) reload();
  }, [generation, reload]);
  const rows = historyRows(history.data ?? []);
  const rollBack = async (id: string) => {
    if (await rollback.start({ id })) history.reload();
  };
  return (
    <section aria-label="History">
      <header className="page-header">
        <h2>History</h2>
        <button type="button" onClick={history.reload}>
          Refresh
        </button>
      </header>
      {history.error && <ErrorNotice error={history.error} onRetry={history.reload} />}
      {rows.length === 0 && !history.loading && <EmptyState title="No promotions yet">Apply a bundle above; each promotion is recorded here and can be rolled back.</EmptyState>}
      {rows.length > 0 && (
        <table className="table" aria-label="Promotion history">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">What</th>
              <th scope="col">Status</th>
              <th scope="col">Objects</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-promotion={r.id}>
                <td>{r.when}</td>
                <th scope="row">{r.what}</th>
                <td>
                  <StatusBadge tone={r.tone}>{r.status}</StatusBadge>
                </td>
                <td>{r.counts}</td>
                <td>
                  {r.canRollBack && (
                    <button type="button" onClick={() => rollBack(r.id)} disabled={rollback.running}>
                      Roll back
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rollback.running && rollback.progress && <p role="status">Rolling back: {rollback.progress.message}</p>}
      {rollback.error && <ErrorNotice error={rollback.error} />}
      {rollback.result && !rollback.running && (
        <p role="status" aria-label="Rollback result">
          Rolled back {rollback.result.id}: {rollback.result.objects.map((o) => `${formatRef(o.ref)} ${o.action}`).join(', ')}
        </p>
      )}
    </section>
  );
}
