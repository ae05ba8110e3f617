import { useEffect } from 'react';
import type { ContextLiveStatus } from '../../../../shared/models/views-watch';
import { useCall, useSubscription } from '../../../rpc/hooks';
import { StatusBadge } from '../../../components/StatusBadge';
import { setSelection, toggleContext, useSelection } from './selection';

function liveBadge(status: ContextLiveStatus | undefined) {
  if (!status) return <StatusBadge tone="muted">idle</StatusBadge>;
  switch (status.state) {
    case 'live':
      return <StatusBadge tone="ok">live</StatusBadge>;
    case 'connecting':
      return <StatusBadge tone="info">connecting</StatusBadge>;
    case 'reconnecting':
      return (
        <StatusBadge tone="warn" title={status.error?.message}>
          reconnecting
        </StatusBadge>
      );
    default:
      return (
        <StatusBadge tone="error" title={status.error?.message}>
          unavailable
        </StatusBadge>
      );
  }
}

/** Health of the watched contexts, folded from `kube.onDidChangeContextStatus`. */
export function useContextHealth(contexts: string[]): Record<string, ContextLiveStatus> {
  const { data } = useSubscription('kube.onDidChangeContextStatus', contexts.length ? { contexts } : null, (state: Record<string, ContextLiveStatus> | undefined, status) => ({ ...state, [status.context]: status }));
  return data ?? {};
}

/** Pick one or more contexts to watch, and a namespace filter. */
export function ContextPicker() {
  const selection = useSelection();
  const list = useCall('contexts.list', { probe: false });
  const health = useContextHealth(selection.contexts);
  const contexts = list.data?.contexts ?? [];
  useEffect(() => {
    // First visit: watch the current context so the page is not empty.
    if (selection.contexts.length === 0 && list.data) {
      const current = list.data.contexts.find((c) => c.current) ?? list.data.contexts[0];
      if (current) setSelection({ contexts: [current.name] });
    }
  }, [list.data, selection.contexts.length]);
  return (
    <div className="toolbar live-picker" role="group" aria-label="Watched contexts">
      <fieldset className="context-choices">
        <legend>Contexts</legend>
        {contexts.length === 0 && <span className="muted">{list.loading ? 'Loading contexts…' : 'No contexts — add one on the Clusters page.'}</span>}
        {contexts.map((c) => (
          <label key={c.name} className="context-choice" data-context={c.name}>
            <input type="checkbox" checked={selection.contexts.includes(c.name)} onChange={(e) => toggleContext(c.name, e.target.checked)} />
            <span>{c.name}</span> {selection.contexts.includes(c.name) && liveBadge(health[c.name])}
          </label>
        ))}
      </fieldset>
      <label className="field namespace-field">
        Namespace
        <input type="text" placeholder="all namespaces" value={selection.namespace} onChange={(e) => setSelection({ namespace: e.target.value.trim() })} aria-label="Namespace filter" />
      </label>
    </div>
  );
}

/** The live state of one context as a line above its tables: reconnecting is never silent. */
export function LiveNotice({ meta }: { meta: import('../../../../shared/models/views').ViewMeta | undefined }) {
  if (!meta) return null;
  return (
    <>
      {meta.live.state === 'reconnecting' && (
        <div className="banner warn" role="status" data-testid="reconnecting">
          {meta.context}: reconnecting — {(meta.live.error?.message ?? 'the cluster stopped answering').replace(/\.$/, '')}. Showing the last known state.
        </div>
      )}
      {meta.live.state === 'unavailable' && (
        <div className="banner error" role="alert">
          {meta.context}: {meta.live.error?.message ?? 'unavailable'} {meta.live.error?.fix ? `— ${meta.live.error.fix}` : ''}
        </div>
      )}
      {meta.problems.length > 0 && (
        <div className="banner warn" role="status" aria-label="What this view cannot show">
          <ul>
            {meta.problems.map((p) => (
              <li key={p.message}>{p.message}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
