import { useMemo, useState } from 'react';
import type { EventRow } from '../../../shared/models/views';
import { StatusBadge } from '../../components/StatusBadge';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { LiveNotice } from '../workloads/live/ContextPicker';
import { age } from '../workloads/live/format';
import { useView } from '../workloads/live/use-view';
import type { TabProps } from '../workloads/WorkloadsPage';
import { openObject } from '../objects/DetailsLink';
import { groupOfApiVersion } from '../../../shared/models/objects';

const columns: Column<EventRow>[] = [
  { id: 'type', header: 'Type', width: '90px', render: (e) => <StatusBadge tone={e.type === 'Warning' ? 'warn' : 'info'}>{e.type}</StatusBadge> },
  { id: 'reason', header: 'Reason', width: '1.2fr', render: (e) => e.reason },
  { id: 'object', header: 'Object', width: '2fr', render: (e) => `${e.object.kind}/${e.object.name}` },
  { id: 'message', header: 'Message', width: '4fr', render: (e) => <span title={e.message}>{e.message}</span> },
  { id: 'count', header: 'Count', width: '60px', align: 'end', render: (e) => String(e.count) },
  { id: 'seen', header: 'Last seen', width: '90px', render: (e) => age(e.lastSeen) },
];

/** Cluster events, newest first, filtered by type, kind and text. */
export function EventsTab({ context, namespace }: TabProps) {
  const view = useView<EventRow>(context, 'events', namespace);
  const [type, setType] = useState<'all' | 'Warning' | 'Normal'>('all');
  const [kind, setKind] = useState('');
  const [text, setText] = useState('');
  const kinds = useMemo(() => [...new Set(view.rows.map((e) => e.object.kind))].sort(), [view.rows]);
  const rows = useMemo(() => {
    const t = text.toLowerCase();
    return view.rows
      .filter((e) => (type === 'all' || e.type === type) && (!kind || e.object.kind === kind) && (!t || `${e.reason} ${e.message} ${e.object.name}`.toLowerCase().includes(t)))
      .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
  }, [view.rows, type, kind, text]);
  return (
    <>
      <LiveNotice meta={view.meta} />
      <div className="toolbar" role="group" aria-label="Event filters">
        <select aria-label="Event type" value={type} onChange={(e) => setType(e.target.value as typeof type)}>
          <option value="all">All types</option>
          <option value="Warning">Warnings</option>
          <option value="Normal">Normal</option>
        </select>
        <select aria-label="Object kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">All kinds</option>
          {kinds.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <input type="search" aria-label="Search events" placeholder="Search" value={text} onChange={(e) => setText(e.target.value)} />
        <span className="muted">{view.loading ? 'Listing events…' : `${rows.length} of ${view.rows.length}`}</span>
      </div>
      <VirtualTable rows={rows} columns={columns} rowKey={(e) => e.key} label={`Events of ${context}`} onRowClick={(e) => e.object.name && openObject({ context, group: groupOfApiVersion(e.object.apiVersion ?? 'v1'), kind: e.object.kind, namespace: e.object.namespace, name: e.object.name })} />
    </>
  );
}
