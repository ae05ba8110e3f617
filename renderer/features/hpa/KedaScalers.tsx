import type { ConditionView, KedaScalerView } from '../../../shared/models/views';
import { StatusBadge } from '../../components/StatusBadge';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { age } from '../workloads/live/format';

function badge(c: ConditionView | undefined, name: string, goodWhen: 'True' | 'False' = 'True') {
  if (!c) return null;
  return (
    <StatusBadge tone={c.status === goodWhen ? 'ok' : 'warn'} title={c.message}>
      {`${name}: ${c.status}`}
    </StatusBadge>
  );
}

function triggers(s: KedaScalerView): string {
  return s.triggers.map((t) => `${t.type}${t.name ? ` (${t.name})` : ''}${t.detail ? `: ${t.detail}` : ''}`).join(' · ') || 'none';
}

const columns: Column<KedaScalerView>[] = [
  { id: 'name', header: 'KEDA scaler', width: '2fr', render: (s) => `${s.kind} ${s.namespace}/${s.name}` },
  { id: 'target', header: 'Target', width: '2fr', render: (s) => `${s.target.kind}/${s.target.name}` },
  { id: 'triggers', header: 'Triggers', width: '4fr', render: (s) => <span title={triggers(s)}>{triggers(s)}</span> },
  {
    id: 'state',
    header: 'State',
    width: '3fr',
    render: (s) => (
      <span className="badges" data-testid="keda-state">
        {s.paused ? <StatusBadge tone="warn">{`Paused${s.pausedReplicas !== undefined ? ` at ${s.pausedReplicas}` : ''}`}</StatusBadge> : null}
        {badge(s.ready, 'Ready')}
        {s.active ? (
          <StatusBadge tone={s.active.status === 'True' ? 'ok' : 'info'} title={s.active.message}>
            {s.active.status === 'True' ? 'Active' : 'Idle'}
          </StatusBadge>
        ) : null}
        {badge(s.fallback, 'Fallback', 'False')}
      </span>
    ),
  },
  { id: 'range', header: 'Min–max', width: '90px', align: 'end', render: (s) => `${s.minReplicas ?? 0}–${s.maxReplicas}` },
  { id: 'hpa', header: 'HPA', width: '2fr', render: (s) => (s.hpaName ? s.hpaName : s.kind === 'ScaledJob' ? 'starts Jobs' : '—') },
  { id: 'active', header: 'Last active', width: '100px', render: (s) => age(s.lastActiveTime) },
];

/**
 * KEDA's ScaledObjects and ScaledJobs. A ScaledObject's HPA is listed here, under it, and opens
 * in the details below; it is left out of the plain HPA list so nothing shows twice.
 */
export function KedaScalers({ context, scalers, onOpenHpa }: { context: string; scalers: KedaScalerView[]; onOpenHpa(name: string, namespace: string): void }) {
  if (scalers.length === 0) return <p className="muted">KEDA is installed here, but there are no ScaledObjects or ScaledJobs here. A ScaledObject names a Deployment and its triggers (queue length, Prometheus, Kafka lag, cron); KEDA then makes its HPA.</p>;
  return (
    <VirtualTable
      rows={scalers}
      columns={columns}
      rowKey={(s) => s.key}
      label={`KEDA scalers of ${context}`}
      height={Math.min(300, 34 * scalers.length + 4)}
      onRowClick={(s) => s.hpaName && onOpenHpa(s.hpaName, s.namespace)}
    />
  );
}
