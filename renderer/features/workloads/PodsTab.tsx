import { useEffect, useMemo, useRef, useState } from 'react';
import type { PodRow } from '../../../shared/models/views';
import { StatusBadge } from '../../components/StatusBadge';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { navigate } from '../../app/routes';
import { LogViewer } from '../logs/LogViewer';
import { LiveNotice } from './live/ContextPicker';
import { age, phaseTone } from './live/format';
import { useView } from './live/use-view';
import { linksInto, useLinkedSelection } from './live/linked-row';
import type { TabProps } from './WorkloadsPage';
import { DetailsLink } from '../objects/DetailsLink';

const columns: Column<PodRow>[] = [
  { id: 'name', header: 'Pod', width: '3fr', render: (p) => p.name },
  { id: 'ns', header: 'Namespace', width: '1.3fr', render: (p) => p.namespace },
  { id: 'phase', header: 'Status', width: '150px', render: (p) => <StatusBadge tone={phaseTone(p.phase)}>{p.phase}</StatusBadge> },
  { id: 'ready', header: 'Ready', width: '70px', align: 'end', render: (p) => p.ready },
  { id: 'restarts', header: 'Restarts', width: '80px', align: 'end', render: (p) => String(p.restarts) },
  { id: 'gpus', header: 'GPUs', width: '60px', align: 'end', render: (p) => (p.gpus ? String(p.gpus) : '') },
  { id: 'node', header: 'Node', width: '1.5fr', render: (p) => p.node ?? '' },
  { id: 'age', header: 'Age', width: '80px', render: (p) => age(p.created) },
];

/** Every pod of a context: a virtualized table (10,000 rows render like 30). */
export function PodsTab({ context, namespace, rest }: TabProps) {
  const view = useView<PodRow>(context, 'pods', namespace);
  const [filter, setFilter] = useState('');
  const { selected, select: setSelected, linked } = useLinkedSelection(view.rows, context, rest);
  const panel = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => {
    const f = filter.toLowerCase();
    const filtered = f ? view.rows.filter((r) => r.name.toLowerCase().includes(f) || r.namespace.includes(f) || (r.node ?? '').includes(f)) : view.rows;
    // Plain code-unit comparison: localeCompare over 10,000 rows on every batch costs tens of ms.
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    return [...filtered].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
  }, [view.rows, filter]);
  const pod = selected ? view.rows.find((r) => r.key === selected) : undefined;
  const wantsLogs = rest[3] === 'logs';
  useEffect(() => {
    // "Logs of pod X" from the palette: bring the log viewer into sight.
    if (wantsLogs && linked) panel.current?.scrollIntoView?.({ block: 'start' });
  }, [wantsLogs, linked]);
  const close = () => {
    setSelected(undefined);
    // Closing a linked pod leaves its link too, or the link would reopen it.
    if (rest.length) navigate('workloads', 'pods');
  };
  return (
    <>
      <LiveNotice meta={view.meta} />
      <div className="toolbar">
        <input type="search" placeholder="Filter pods" aria-label="Filter pods" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <span className="muted" data-testid="pod-count">
          {view.loading ? 'Listing pods…' : `${rows.length} of ${view.rows.length} pods`}
        </span>
      </div>
      {linksInto(context, rest) && !linked && !view.loading && (
        <div className="banner warn" role="status">
          Pod {rest[1]}/{rest[2]} is not in {context}{namespace && namespace !== rest[1] ? ` (the namespace filter shows ${namespace} only)` : ''}.
        </div>
      )}
      <VirtualTable rows={rows} columns={columns} rowKey={(p) => p.key} label={`Pods of ${context}`} onRowClick={(p) => setSelected(p.key)} selectedKey={selected} />
      {pod && (
        <div ref={panel} className="detail-panel" aria-label={`Pod ${pod.name}`}>
          <div className="toolbar">
            <h3>
              {pod.namespace}/{pod.name}
            </h3>
            <DetailsLink objectKey={{ context, group: '', kind: 'Pod', namespace: pod.namespace, name: pod.name }} />
            <button type="button" onClick={() => navigate('workloads', 'terminal', 'pod', context, pod.namespace, pod.name)}>
              Open terminal
            </button>
            <button type="button" onClick={() => navigate('forwards', 'start', context, pod.namespace, 'pod', pod.name)}>
              Forward a port
            </button>
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
          <LogViewer context={context} namespace={pod.namespace} pod={pod.name} containers={pod.containers} />
        </div>
      )}
    </>
  );
}
