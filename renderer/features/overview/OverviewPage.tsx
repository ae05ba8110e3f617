import type { NodeRow } from '../../../shared/models/views';
import { EmptyState } from '../../components/EmptyState';
import { StatusBadge } from '../../components/StatusBadge';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { ContextPicker, LiveNotice } from '../workloads/live/ContextPicker';
import { useSelection } from '../workloads/live/selection';
import { useView } from '../workloads/live/use-view';
import { bytes, cores } from '../workloads/live/format';
import { openObject } from '../objects/DetailsLink';
import { DeploySample } from './DeploySample';

const columns: Column<NodeRow>[] = [
  { id: 'name', header: 'Node', width: '2fr', render: (n) => n.name },
  {
    id: 'ready',
    header: 'Status',
    width: '150px',
    render: (n) => (
      <span title={n.problems.join('\n') || n.conditions.map((c) => `${c.type}=${c.status}`).join(', ')}>
        <StatusBadge tone={n.ready ? (n.problems.length ? 'warn' : 'ok') : 'error'}>{n.ready ? (n.problems.length ? n.problems[0]! : 'Ready') : 'NotReady'}</StatusBadge>
        {n.unschedulable && ' cordoned'}
      </span>
    ),
  },
  { id: 'gpu', header: 'GPUs req / alloc / cap', width: '170px', align: 'end', render: (n) => (n.gpu.capacity ? `${n.gpu.requested} / ${n.gpu.allocatable} / ${n.gpu.capacity}` : '—') },
  { id: 'product', header: 'GPU product', width: '2fr', render: (n) => n.gpu.product ?? (n.gpu.capacity ? n.gpu.resource : '') ?? '' },
  { id: 'cpu', header: 'CPU req / alloc', width: '130px', align: 'end', render: (n) => `${cores(n.cpu.requested)} / ${cores(n.cpu.allocatable)}` },
  { id: 'mem', header: 'Memory req / alloc', width: '150px', align: 'end', render: (n) => `${bytes(n.memory.requested)} / ${bytes(n.memory.allocatable)}` },
  { id: 'pods', header: 'Pods', width: '70px', align: 'end', render: (n) => String(n.pods) },
  { id: 'version', header: 'Kubelet', width: '100px', render: (n) => n.kubeletVersion ?? '' },
];

function GpuBar({ requested, allocatable }: { requested: number; allocatable: number }) {
  const pct = allocatable ? Math.min(100, Math.round((requested / allocatable) * 100)) : 0;
  return (
    <div className="meter" role="meter" aria-valuemin={0} aria-valuemax={allocatable} aria-valuenow={requested} aria-label="GPUs requested">
      <div className="meter-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

function ContextOverview({ context }: { context: string }) {
  const view = useView<NodeRow>(context, 'overview');
  const s = view.meta?.overview;
  return (
    <section className="live-section" aria-label={`Overview of ${context}`} data-context={context}>
      <h2>
        {context} {view.meta?.live.version && <span className="muted">Kubernetes {view.meta.live.version}</span>}
      </h2>
      <LiveNotice meta={view.meta} />
      {view.loading ? (
        <p className="muted">Listing nodes…</p>
      ) : view.rows.length === 0 && view.meta?.live.state !== 'live' ? null : (
        <>
          {s && (
            <div className="cards">
              <div className="card" data-testid="gpu-card">
                <div className="value">
                  {s.gpu.requested} / {s.gpu.allocatable}
                </div>
                <div className="label">GPUs requested / allocatable ({s.gpu.capacity} capacity on {s.gpu.gpuNodes} node{s.gpu.gpuNodes === 1 ? '' : 's'})</div>
                <GpuBar requested={s.gpu.requested} allocatable={s.gpu.allocatable} />
                {s.gpu.products.length > 0 && <div className="label">{s.gpu.products.join(', ')}</div>}
              </div>
              <div className="card">
                <div className="value">
                  {s.readyNodes} / {s.nodes}
                </div>
                <div className="label">nodes ready</div>
              </div>
              <div className="card">
                <div className="value">{s.pods.running}</div>
                <div className="label">
                  pods running · {s.pods.pending} pending · {s.pods.failed} failed
                </div>
              </div>
              <div className="card">
                <div className="value">{cores(s.cpu.requested)}</div>
                <div className="label">of {cores(s.cpu.allocatable)} CPU cores requested</div>
              </div>
            </div>
          )}
          {view.rows.length === 0 ? (
            <p className="muted">No nodes to show for {context} yet.</p>
          ) : (
            <VirtualTable rows={view.rows} columns={columns} rowKey={(n) => n.key} label={`Nodes of ${context}`} height={Math.min(480, 34 * Math.max(3, view.rows.length) + 4)} onRowClick={(n) => openObject({ context, group: '', kind: 'Node', name: n.name })} />
          )}
          <DeploySample context={context} />
        </>
      )}
    </section>
  );
}

/** Nodes, GPU capacity and allocation for every watched context. */
export function OverviewPage() {
  const selection = useSelection();
  return (
    <section aria-labelledby="overview-title">
      <header className="page-header">
        <h1 id="overview-title">Overview</h1>
      </header>
      <ContextPicker />
      {selection.contexts.length === 0 ? (
        <EmptyState title="Pick a cluster to watch" action={<a href="#/clusters">Go to Clusters</a>}>
          <p>Tick one or more contexts above to see their nodes, GPUs and workloads here.</p>
        </EmptyState>
      ) : (
        selection.contexts.map((c) => <ContextOverview key={c} context={c} />)
      )}
    </section>
  );
}
