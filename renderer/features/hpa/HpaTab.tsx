import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { ConditionView, HpaRow } from '../../../shared/models/views';
import { StatusBadge } from '../../components/StatusBadge';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { useClient } from '../../rpc/client';
import { useCall } from '../../rpc/hooks';
import type { AppError } from '../../../shared/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LiveNotice } from '../workloads/live/ContextPicker';
import { age } from '../workloads/live/format';
import { DetailsLink } from '../objects/DetailsLink';
import { groupOfApiVersion } from '../../../shared/models/objects';
import { useView } from '../workloads/live/use-view';
import { useLinkedSelection } from '../workloads/live/linked-row';
import type { TabProps } from '../workloads/WorkloadsPage';
import { chartSamples } from './hpa-history';
import { LoadPanel } from './LoadPanel';
import type { LoadSupport } from './load-knobs';
import { KedaScalers } from './KedaScalers';

const HpaChart = lazy(() => import('./HpaChart').then((m) => ({ default: m.HpaChart })));

function conditionBadge(c: ConditionView | undefined, name: string) {
  if (!c) return null;
  const good = name === 'ScalingLimited' ? c.status !== 'True' : c.status === 'True';
  return (
    <StatusBadge tone={good ? 'ok' : 'warn'} title={c.message}>
      {`${name}: ${c.status}${c.reason ? ` (${c.reason})` : ''}`}
    </StatusBadge>
  );
}

const columns: Column<HpaRow>[] = [
  { id: 'name', header: 'Autoscaler', width: '2fr', render: (h) => `${h.namespace}/${h.name}` },
  { id: 'target', header: 'Target', width: '2fr', render: (h) => `${h.target.kind}/${h.target.name}` },
  { id: 'replicas', header: 'Current / desired', width: '140px', align: 'end', render: (h) => <span data-testid="hpa-replicas">{`${h.currentReplicas} / ${h.desiredReplicas}`}</span> },
  { id: 'range', header: 'Min–max', width: '90px', align: 'end', render: (h) => `${h.minReplicas}–${h.maxReplicas}` },
  {
    id: 'metrics',
    header: 'Metrics (current / target)',
    width: '3fr',
    render: (h) => (h.metrics.length ? `${h.metrics[0]!.name} ${h.metrics[0]!.current ?? '<unknown>'} / ${h.metrics[0]!.target}${h.metrics.length > 1 ? ` +${h.metrics.length - 1} more` : ''}` : 'none'),
  },
  { id: 'scaled', header: 'Last scale', width: '100px', render: (h) => age(h.lastScaleTime) },
];

function MetricsMissing({ context }: { context: string }) {
  const client = useClient();
  const [state, setState] = useState<'idle' | 'installing' | 'done'>('idle');
  const [error, setError] = useState<AppError>();
  return (
    <div className="banner warn" role="alert" aria-label="Metrics API missing">
      <p>
        <strong>The metrics API (metrics.k8s.io) is not available on {context}.</strong> Autoscalers on CPU or memory cannot compute a replica count
        until metrics-server runs.
      </p>
      {state === 'done' ? (
        <p>metrics-server applied — this notice goes away once its APIService reports Available.</p>
      ) : (
        <button
          type="button"
          disabled={state === 'installing'}
          onClick={() => {
            setState('installing');
            setError(undefined);
            client.call('views.installMetricsServer', { context }).then(
              () => setState('done'),
              (e: AppError) => {
                setError(e);
                setState('idle');
              },
            );
          }}
        >
          {state === 'installing' ? 'Installing…' : 'Install metrics-server'}
        </button>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}

function HpaDetails({ context, row, support }: { context: string; row: HpaRow; support: LoadSupport }) {
  // The backend keeps the history (and backfills it from events): fetched again whenever the row moves.
  const history = useCall('views.hpaHistory', { context, namespace: row.namespace, name: row.name, uid: row.key });
  const { reload } = history;
  const moved = `${row.currentReplicas}/${row.desiredReplicas}/${row.metrics.map((m) => m.currentValue).join(',')}`;
  useEffect(() => reload(), [moved, reload]);
  // A clock for the chart's live end: the time axis keeps moving while nothing scales.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);
  const samples = useMemo(() => chartSamples(history.data?.samples ?? [], row, now), [history.data, row, now]);
  const metricNames = row.metrics.map((m) => `${m.type} ${m.name}`);
  return (
    <div className="detail-panel" aria-label={`Autoscaler ${row.name}`}>
      <h3>
        {row.namespace}/{row.name} → {row.target.kind}/{row.target.name}
      </h3>
      {row.ownedBy && <p className="muted">Made and owned by KEDA ScaledObject {row.ownedBy}: change the ScaledObject, not this HPA.</p>}
      <div className="toolbar">
        <DetailsLink objectKey={{ context, group: 'autoscaling', kind: 'HorizontalPodAutoscaler', namespace: row.namespace, name: row.name }} />
        <DetailsLink label="Target details" objectKey={{ context, group: groupOfApiVersion(row.target.apiVersion ?? 'apps/v1'), kind: row.target.kind, namespace: row.namespace, name: row.target.name }} />
      </div>
      <dl className="kv">
        <dt>Replicas</dt>
        <dd data-testid="hpa-detail-replicas">
          {row.currentReplicas} current / {row.desiredReplicas} desired (min {row.minReplicas}, max {row.maxReplicas})
        </dd>
        <dt>Stabilization</dt>
        <dd data-testid="hpa-stabilization">
          {row.stabilization.upSeconds} s up, {row.stabilization.downSeconds} s down
        </dd>
        <dt>Last scale</dt>
        <dd>{row.lastScaleTime ? `${row.lastScaleTime} (${age(row.lastScaleTime)} ago)` : 'never'}</dd>
        <dt>Conditions</dt>
        <dd className="badges">
          {conditionBadge(row.ableToScale, 'AbleToScale')} {conditionBadge(row.scalingActive, 'ScalingActive')} {conditionBadge(row.scalingLimited, 'ScalingLimited')}
        </dd>
      </dl>
      <table className="table" aria-label="Metrics">
        <thead>
          <tr>
            <th>Type</th>
            <th>Metric</th>
            <th>Current</th>
            <th>Target</th>
          </tr>
        </thead>
        <tbody>
          {row.metrics.map((m) => (
            <tr key={`${m.type}/${m.name}`}>
              <td>{m.type}</td>
              <td>{m.name}</td>
              <td>{m.current ?? <span className="muted">unknown</span>}</td>
              <td>{m.target}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Suspense fallback={<p className="muted">Loading chart…</p>}>
        <HpaChart samples={samples} metricNames={metricNames} />
      </Suspense>
      <LoadPanel context={context} row={row} support={support} />
      <h4>Events</h4>
      {row.events.length === 0 ? (
        <p className="muted">No events.</p>
      ) : (
        <ul className="events">
          {row.events.map((e) => (
            <li key={e.key}>
              <StatusBadge tone={e.type === 'Warning' ? 'warn' : 'info'}>{e.reason}</StatusBadge> {e.message} <span className="muted">×{e.count} · {age(e.lastSeen)} ago</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Horizontal pod autoscalers: list, details, live chart; says when metrics-server is missing. */
export function HpaTab({ context, namespace, rest }: TabProps) {
  const view = useView<HpaRow>(context, 'hpa', namespace);
  const { selected, select: setSelected } = useLinkedSelection(view.rows, context, rest);
  const row = selected ? view.rows.find((r) => r.key === selected) : view.rows.length === 1 ? view.rows[0] : undefined;
  const scalers = view.meta?.hpa?.scalers;
  // A scaler's HPA may not have reached the view yet when its row is clicked: open it when it does.
  const [wanted, setWanted] = useState<{ name: string; namespace: string }>();
  const wantedKey = wanted ? view.rows.find((r) => r.name === wanted.name && r.namespace === wanted.namespace)?.key : undefined;
  useEffect(() => {
    if (!wantedKey) return;
    setSelected(wantedKey);
    setWanted(undefined);
  }, [wantedKey, setSelected]);
  // HPAs KEDA made are listed under their ScaledObject, not twice.
  const plain = view.rows.filter((r) => !r.ownedBy);
  return (
    <>
      <LiveNotice meta={view.meta} />
      {view.meta?.hpa?.metricsApi === 'missing' && <MetricsMissing context={context} />}
      {scalers && (
        <KedaScalers
          context={context}
          scalers={scalers}
          onOpenHpa={(name, ns) => setWanted({ name, namespace: ns })}
        />
      )}
      {view.loading ? (
        <p className="muted">Listing autoscalers…</p>
      ) : plain.length === 0 ? (
        <p className="muted">
          No {scalers && view.rows.length > 0 ? 'other ' : ''}HorizontalPodAutoscalers{namespace ? ` in ${namespace}` : ''}.
        </p>
      ) : (
        <VirtualTable rows={plain} columns={columns} rowKey={(h) => h.key} label={`Autoscalers of ${context}`} height={Math.min(360, 34 * plain.length + 4)} onRowClick={(h) => setSelected(h.key)} selectedKey={row?.key} />
      )}
      {wanted && !wantedKey && <p className="muted">Waiting for HorizontalPodAutoscaler {wanted.namespace}/{wanted.name}, which KEDA makes…</p>}
      {row && <HpaDetails context={context} row={row} support={{ metricKnobs: view.meta?.hpa?.metricKnobs === true, simulatedLoad: view.meta?.hpa?.simulatedLoad === true }} />}
    </>
  );
}
