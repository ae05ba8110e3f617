import { useEffect, useState } from 'react';
import { navigate } from '../../app/routes';
import { Dialog } from '../../components/Dialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { useCall, useTask } from '../../rpc/hooks';
import { ClusterPowerButton, type PowerOutcome } from './ClusterPowerButton';
import { deleteConsequences, localClustersView, type LocalClusterRow } from './local-clusters';

const REFRESH_MS = 15_000;

/**
 * The clusters Slipway created (kind, k3d, simulated kwok): status, nodes, GPUs, and delete with
 * a confirmation. Creating happens on the Create Cluster page (`#/clusters/new`).
 */
export function LocalClusters({ onChanged }: { onChanged?: () => void }) {
  const list = useCall('clusters.list', {});
  const [confirming, setConfirming] = useState<LocalClusterRow | null>(null);
  const [outcome, setOutcome] = useState<PowerOutcome | null>(null);
  const { reload } = list;
  useEffect(() => {
    // Clusters also come and go from the CLI: look again while the page is in view, and on return to it.
    const refreshIfVisible = () => {
      if (document.visibilityState === 'visible') reload();
    };
    const timer = window.setInterval(refreshIfVisible, REFRESH_MS);
    document.addEventListener('visibilitychange', refreshIfVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', refreshIfVisible);
    };
  }, [reload]);
  const view = list.data ? localClustersView(list.data) : null;

  return (
    <section aria-labelledby="local-clusters-title" className="local-clusters">
      <header className="page-header">
        <h2 id="local-clusters-title">Local clusters</h2>
        <div className="toolbar">
          <button type="button" onClick={list.reload} disabled={list.loading}>
            {list.loading ? 'Loading…' : 'Refresh'}
          </button>
          <button type="button" className="primary" onClick={() => navigate('clusters', 'new')}>
            Create cluster
          </button>
        </div>
      </header>
      {list.error && !view && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {view && view.rows.length === 0 && (
        <EmptyState title="No local clusters">
          <p>
            A simulated cluster needs neither Docker nor a GPU: it runs the real Kubernetes control plane with simulated GPU nodes,
            for demos, trying promotion, and UI work.
          </p>
        </EmptyState>
      )}
      {view && view.rows.length > 0 && (
        <table className="table" aria-label="Local clusters">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Provider</th>
              <th scope="col">Status</th>
              <th scope="col">Nodes</th>
              <th scope="col">GPUs</th>
              <th scope="col">Context</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((row) => (
              <tr key={row.key} data-cluster={row.key}>
                <th scope="row">
                  {row.name}
                  {row.simulated && (
                    <>
                      {' '}
                      <StatusBadge tone="info" title="Nodes and pods are simulated by kwok; the control plane is real.">
                        simulated
                      </StatusBadge>
                    </>
                  )}
                  {row.detail && <div className="cell-detail">{row.detail}</div>}
                </th>
                <td>
                  {row.providerLabel}
                  {row.kubernetesVersion && <div className="cell-detail">{row.kubernetesVersion}</div>}
                </td>
                <td>
                  <StatusBadge tone={row.status.tone}>{row.status.label}</StatusBadge>
                </td>
                <td>{row.nodes}</td>
                <td>{row.gpus}</td>
                <td>
                  <code>{row.contextName}</code>
                </td>
                <td className="row-actions">
                  <ClusterPowerButton
                    row={row}
                    onDone={(done) => {
                      setOutcome(done);
                      list.reload();
                      onChanged?.();
                    }}
                  />
                  <button type="button" onClick={() => setConfirming(row)} aria-label={`Delete ${row.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {outcome && 'error' in outcome && <ErrorNotice error={outcome.error} />}
      {outcome && 'notes' in outcome && outcome.notes.length > 0 && (
        <ul role="status" aria-label={`About ${outcome.name}`} className="notes">
          {outcome.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {view && view.problems.length > 0 && (
        <ul className="muted" aria-label="Providers that could not list">
          {view.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <DeleteClusterDialog
        row={confirming}
        onClose={() => setConfirming(null)}
        onDeleted={() => {
          setConfirming(null);
          list.reload();
          onChanged?.();
        }}
      />
    </section>
  );
}

function DeleteClusterDialog({ row, onClose, onDeleted }: { row: LocalClusterRow | null; onClose(): void; onDeleted(): void }) {
  const task = useTask('clusters.delete');
  const close = () => {
    if (!task.running) onClose();
  };
  const confirm = async () => {
    if (!row) return;
    const result = await task.start({ provider: row.provider, name: row.name });
    if (result) onDeleted();
  };
  return (
    <Dialog
      title={row ? `Delete cluster “${row.name}”?` : 'Delete cluster'}
      open={row !== null}
      onClose={close}
      actions={
        <>
          <button type="button" onClick={close} disabled={task.running}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={confirm} disabled={task.running}>
            {task.running ? 'Deleting…' : 'Delete'}
          </button>
        </>
      }
    >
      {row && <p>{deleteConsequences(row)}</p>}
      {task.running && task.progress && (
        <p role="status">
          {task.progress.phase} ({task.progress.percent}%)
        </p>
      )}
      {task.error && !task.running && <ErrorNotice error={task.error} />}
    </Dialog>
  );
}
