import { useState } from 'react';
import type { ExecPlugin, KubeContextInfo } from '../../../shared/models/contexts';
import { useCall } from '../../rpc/hooks';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { ExecConsentDialog } from './ExecConsentDialog';
import { contextStatus } from './context-status';
import { LocalClusters } from './LocalClusters';
import { CreateClusterPage } from './create/CreateClusterPage';
import { DoctorPanel } from './doctor/DoctorPanel';

/** Every kubeconfig context, probed for reachability; broken files listed, never hiding the rest. */
export function ClustersPage({ rest = [] }: { rest?: string[] }) {
  // Sub-pages: #/clusters/new (Create Cluster) and #/clusters/doctor.
  if (rest[0] === 'new') return <CreateClusterPage />;
  if (rest[0] === 'doctor') return <DoctorPanel />;
  return <ContextsAndClusters />;
}

function ContextsAndClusters() {
  const quick = useCall('contexts.list', { probe: false });
  const probed = useCall('contexts.list', { probe: true });
  const [consentFor, setConsentFor] = useState<ExecPlugin | null>(null);
  const list = probed.data ?? quick.data;
  const error = probed.error ?? quick.error;
  const reload = () => {
    quick.reload();
    probed.reload();
  };

  return (
    <section aria-labelledby="clusters-title">
      <header className="page-header">
        <h1 id="clusters-title">Clusters</h1>
        <button type="button" onClick={reload} disabled={probed.loading}>
          {probed.loading ? 'Checking…' : 'Refresh'}
        </button>
      </header>
      <LocalClusters onChanged={reload} />
      <h2>Kubeconfig contexts</h2>
      {error && !list && <ErrorNotice error={error} onRetry={reload} />}
      {list && list.problems.length > 0 && (
        <div className="banner warn" role="alert" aria-label="Kubeconfig problems">
          <strong>Some kubeconfig files could not be read; the others loaded.</strong>
          <ul>
            {list.problems.map((p) => (
              <li key={p.file}>
                <code>
                  {p.file}
                  {p.line ? `:${p.line}` : ''}
                </code>{' '}
                — {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {list && list.contexts.length === 0 && (
        <EmptyState title="No clusters yet">
          <p>
            Slipway reads the contexts in <code>{list.files.join(', ')}</code>. Create a simulated cluster with{' '}
            <code>slipway cluster create demo --provider kwok</code>, or point <code>KUBECONFIG</code> at your clusters.
          </p>
        </EmptyState>
      )}
      {list && list.contexts.length > 0 && (
        <table className="table" aria-label="Kubeconfig contexts">
          <thead>
            <tr>
              <th scope="col">Context</th>
              <th scope="col">Server</th>
              <th scope="col">User</th>
              <th scope="col">Namespace</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {list.contexts.map((c) => (
              <ContextRow key={c.name} context={c} probing={probed.loading && !probed.data} onConsent={setConsentFor} />
            ))}
          </tbody>
        </table>
      )}
      <ExecConsentDialog
        plugin={consentFor}
        onClose={() => setConsentFor(null)}
        onGranted={() => {
          setConsentFor(null);
          reload();
        }}
      />
    </section>
  );
}

function ContextRow({ context, probing, onConsent }: { context: KubeContextInfo; probing: boolean; onConsent(plugin: ExecPlugin): void }) {
  const status = contextStatus(context, probing);
  return (
    <tr data-context={context.name}>
      <th scope="row">
        {context.name}
        {context.current && (
          <>
            {' '}
            <StatusBadge tone="info">current</StatusBadge>
          </>
        )}
      </th>
      <td>
        <code>{context.server}</code>
        {context.plainHttp && (
          <>
            {' '}
            <StatusBadge tone="warn" title="http://: nothing on this connection is encrypted; credentials are sent over it only to this machine">
              plain HTTP
            </StatusBadge>
          </>
        )}
      </td>
      <td>{context.user}</td>
      <td>{context.namespace}</td>
      <td>
        <StatusBadge tone={status.tone} title={context.error ?? undefined}>
          {status.label}
        </StatusBadge>
        {context.error && <div className="cell-detail">{context.error}</div>}
        {context.exec && !context.exec.consented && (
          <button type="button" className="link-button" onClick={() => onConsent(context.exec!)}>
            Review credential plugin…
          </button>
        )}
      </td>
    </tr>
  );
}
