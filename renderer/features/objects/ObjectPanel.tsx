import { useState } from 'react';
import type { ObjectDetails, ObjectKey, ObjectLink } from '../../../shared/models/objects';
import { objectHash } from '../../../shared/models/objects';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { useCall } from '../../rpc/hooks';
import { LogViewer } from '../logs/LogViewer';
import { age } from '../workloads/live/format';
import { ObjectActionsBar } from './ObjectActionsBar';
import { YamlEditor } from './YamlEditor';
import { objectTitle } from './object-actions';

type Tab = 'summary' | 'yaml' | 'events' | 'logs';

/**
 * One object's details: summary (conditions, owners, children), YAML, its events, its pods' logs,
 * and its actions. Owners and children are links to their own details, so Deployment →
 * ReplicaSet → Pod is a click each.
 */
export function ObjectPanel({ objectKey }: { objectKey: Omit<ObjectKey, 'version'> }) {
  const [showManagedFields, setShowManagedFields] = useState(false);
  const details = useCall('objects.get', { key: objectKey, showManagedFields });
  const [tab, setTab] = useState<Tab>('summary');
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string>();
  const title = `${objectKey.kind} ${objectKey.namespace ? `${objectKey.namespace}/` : ''}${objectKey.name}`;
  const done = (message: string) => {
    setNotice(message);
    setEditing(false);
    details.reload();
  };
  const d = details.data;
  return (
    <section className="object-panel" aria-label={`Details of ${title}`}>
      <header className="page-header">
        <h1>{title}</h1>
        <span className="muted">{objectKey.context}</span>
      </header>
      {notice && (
        <div className="banner ok" role="status">
          {notice}
        </div>
      )}
      {details.error && <ErrorNotice error={details.error} onRetry={details.reload} />}
      {!d && !details.error && <p className="muted">Loading…</p>}
      {d && (
        <>
          <ObjectActionsBar
            details={d}
            onDone={done}
            onEdit={() => {
              setTab('yaml');
              setEditing(true);
            }}
          />
          <div className="tabs" role="tablist" aria-label="Object views">
            {(['summary', 'yaml', 'events', 'logs'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'tab active' : 'tab'} onClick={() => setTab(t)}>
                {TAB_LABELS[t]}
                {t === 'events' && d.events.length ? ` (${d.events.length})` : ''}
              </button>
            ))}
          </div>
          <div role="tabpanel" aria-label={TAB_LABELS[tab]}>
            {tab === 'summary' && <Summary details={d} />}
            {tab === 'yaml' &&
              (editing ? (
                <YamlEditor key={d.resourceVersion} details={d} onApplied={done} onCancel={() => setEditing(false)} />
              ) : (
                <>
                  <div className="toolbar">
                    <label>
                      <input type="checkbox" checked={showManagedFields} onChange={(e) => setShowManagedFields(e.target.checked)} /> Show managedFields
                    </label>
                  </div>
                  <pre className="log yaml" aria-label="YAML">
                    {d.yaml}
                  </pre>
                </>
              ))}
            {tab === 'events' && <Events details={d} />}
            {tab === 'logs' && <Logs details={d} />}
          </div>
        </>
      )}
    </section>
  );
}

const TAB_LABELS: Record<Tab, string> = { summary: 'Summary', yaml: 'YAML', events: 'Events', logs: 'Logs' };

function Links({ label, links, context }: { label: string; links: ObjectLink[]; context: string }) {
  if (links.length === 0) return null;
  return (
    <section aria-label={label}>
      <h3>{label}</h3>
      <ul className="links">
        {links.map((l) => (
          <li key={`${l.group}/${l.kind}/${l.namespace ?? ''}/${l.name}`}>
            <a href={objectHash({ ...l, context })}>
              {l.kind} {l.name}
            </a>
            {l.detail && <span className="muted"> · {l.detail}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Summary({ details }: { details: ObjectDetails }) {
  const ctx = details.key.context;
  return (
    <div className="object-summary">
      <dl className="facts">
        <dt>Kind</dt>
        <dd>
          {details.key.kind} ({details.key.group ? `${details.key.group}/` : ''}
          {details.key.version})
        </dd>
        {details.replicas !== undefined && (
          <>
            <dt>Replicas</dt>
            <dd>{details.replicas}</dd>
          </>
        )}
        {details.suspended !== undefined && (
          <>
            <dt>Suspended</dt>
            <dd>{details.suspended ? 'yes' : 'no'}</dd>
          </>
        )}
        {details.unschedulable !== undefined && (
          <>
            <dt>Scheduling</dt>
            <dd>{details.unschedulable ? 'cordoned' : 'schedulable'}</dd>
          </>
        )}
      </dl>
      {details.conditions.length > 0 && (
        <section aria-label="Conditions">
          <h3>Conditions</h3>
          <ul className="links">
            {details.conditions.map((c) => (
              <li key={c.type}>
                <StatusBadge tone={c.status === 'True' ? 'ok' : c.status === 'False' ? 'warn' : 'muted'}>{c.type}</StatusBadge> {c.reason ?? ''} {c.message ? <span className="muted">— {c.message}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      )}
      <Links label="Owners" links={details.owners} context={ctx} />
      <Links label="Children" links={details.children} context={ctx} />
    </div>
  );
}

function Events({ details }: { details: ObjectDetails }) {
  if (details.events.length === 0) return <p className="muted">No events about {objectTitle(details)} (the API server keeps them for an hour).</p>;
  return (
    <ul className="events" aria-label="Events">
      {details.events.map((e) => (
        <li key={e.key} className={e.type === 'Warning' ? 'warn' : undefined}>
          <strong>{e.reason}</strong> {e.message} <span className="muted">{e.lastSeen ? `${age(e.lastSeen)} ago` : ''}{e.count > 1 ? ` ×${e.count}` : ''}</span>
        </li>
      ))}
    </ul>
  );
}

function Logs({ details }: { details: ObjectDetails }) {
  const [pod, setPod] = useState(details.pods[0]?.name);
  const chosen = details.pods.find((p) => p.name === pod) ?? details.pods[0];
  if (!chosen) return <p className="muted">{objectTitle(details)} runs no pods.</p>;
  return (
    <>
      {details.pods.length > 1 && (
        <label>
          Pod{' '}
          <select value={chosen.name} onChange={(e) => setPod(e.target.value)}>
            {details.pods.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
                {p.replica ? ` (${p.replica})` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      <LogViewer key={chosen.name} context={details.key.context} namespace={chosen.namespace} pod={chosen.name} containers={chosen.containers} />
    </>
  );
}
