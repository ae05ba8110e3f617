import { useState } from 'react';
import type { AppError } from '../../../shared/errors';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { asAppError, useClient } from '../../rpc/client';
import { useSubscription } from '../../rpc/hooks';
import { useSelection } from '../workloads/live/selection';
import { forwardRowView } from './forwards-view';
import { StartForwardForm, type StartForwardDefaults } from './StartForwardForm';

/** `#/forwards/start/CONTEXT/NAMESPACE/KIND/NAME` (from a pod's panel) fills the form in. */
function defaultsFrom(rest: string[], selection: { contexts: string[]; namespace: string }): StartForwardDefaults {
  if (rest[0] === 'start' && rest.length >= 5 && (rest[3] === 'pod' || rest[3] === 'service')) {
    return { context: rest[1], namespace: rest[2], kind: rest[3], name: rest[4] };
  }
  return { context: selection.contexts[0], namespace: selection.namespace || 'default' };
}

/**
 * Port forwards of the backend: the local URL with Open (the system browser; the window only
 * lets through URLs of running forwards), bytes moved, the last connection error, and Stop.
 */
export function ForwardsPage({ rest }: { rest: string[] }) {
  const client = useClient();
  const selection = useSelection();
  const live = useSubscription('portForward.onDidChange', {});
  const [stopError, setStopError] = useState<AppError | undefined>();
  const defaults = defaultsFrom(rest, selection);
  const rows = (live.data ?? []).map(forwardRowView);

  const stop = (id: string) => {
    setStopError(undefined);
    client.call('portForward.stop', { id }).catch((e: unknown) => setStopError(asAppError(e)));
  };

  return (
    <section aria-labelledby="forwards-title">
      <header className="page-header">
        <h1 id="forwards-title">Forwards</h1>
      </header>
      {/* Remount when a pod's "Forward a port" link fills in other defaults. */}
      <StartForwardForm key={JSON.stringify(defaults)} defaults={defaults} />
      {live.error && <ErrorNotice error={live.error} />}
      {stopError && <ErrorNotice error={stopError} />}
      {live.data && rows.length === 0 && (
        <EmptyState title="No forwards">
          <p>Forward a pod or a Service port to 127.0.0.1; a Service forward follows its pods when they are replaced.</p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <table className="table" aria-label="Forwards">
          <thead>
            <tr>
              <th scope="col">Local URL</th>
              <th scope="col">Target</th>
              <th scope="col">Context / namespace</th>
              <th scope="col">Traffic</th>
              <th scope="col">Connections</th>
              <th scope="col">Last error</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-forward={row.id}>
                <th scope="row">
                  <code>{row.url}</code>
                </th>
                <td>{row.target}</td>
                <td>{row.where}</td>
                <td>{row.traffic}</td>
                <td>{row.connections}</td>
                <td>
                  {row.error && (
                    <span title={row.error.at}>
                      <StatusBadge tone="error">{row.error.code}</StatusBadge> {row.error.message}
                    </span>
                  )}
                </td>
                <td>
                  <button type="button" aria-label={`Open ${row.url}`} onClick={() => window.open(row.url, '_blank', 'noopener,noreferrer')}>
                    Open
                  </button>{' '}
                  <button type="button" aria-label={`Stop ${row.url}`} onClick={() => stop(row.id)}>
                    Stop
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
