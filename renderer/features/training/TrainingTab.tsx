import { useEffect, useState } from 'react';
import { useLinkedSelection } from '../workloads/live/linked-row';
import { DetailsLink } from '../objects/DetailsLink';
import { groupOfApiVersion } from '../../../shared/models/objects';
import type { TrainingJobRow } from '../../../shared/models/views';
import { StatusBadge } from '../../components/StatusBadge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { useCall } from '../../rpc/hooks';
import { LogViewer } from '../logs/LogViewer';
import { LiveNotice } from '../workloads/live/ContextPicker';
import { age, duration, phaseTone } from '../workloads/live/format';
import { useView } from '../workloads/live/use-view';
import type { TabProps } from '../workloads/WorkloadsPage';

function jobDuration(j: TrainingJobRow, now: number): string {
  if (j.durationSeconds !== undefined) return duration(j.durationSeconds);
  const start = j.start ? Date.parse(j.start) : NaN;
  return Number.isFinite(start) && (j.phase === 'Running' || j.phase === 'Restarting') ? duration(Math.max(0, Math.round((now - start) / 1000))) : '';
}

/** A clock for running jobs' durations: one tick a second for the whole table, not per row. */
function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

function columns(now: number): Column<TrainingJobRow>[] {
  return [
    { id: 'kind', header: 'Kind', width: '130px', render: (j) => j.kind },
    { id: 'name', header: 'Job', width: '2fr', render: (j) => `${j.namespace}/${j.name}` },
    { id: 'phase', header: 'Phase', width: '120px', render: (j) => <StatusBadge tone={phaseTone(j.phase)} title={[j.phaseReason, j.message].filter(Boolean).join(': ')}>{j.phase}</StatusBadge> },
    { id: 'replicas', header: 'Replicas (active/succeeded/failed)', width: '3fr', render: (j) => j.replicas.map((r) => `${r.type} ${r.active}/${r.succeeded}/${r.failed}`).join(' · ') },
    { id: 'gpus', header: 'GPUs', width: '60px', align: 'end', render: (j) => String(j.gpus) },
    { id: 'start', header: 'Started', width: '90px', render: (j) => (j.start ? `${age(j.start, now)} ago` : '') },
    { id: 'duration', header: 'Duration', width: '90px', render: (j) => jobDuration(j, now) },
  ];
}

function JobDetails({ context, job }: { context: string; job: TrainingJobRow }) {
  const details = useCall('views.trainingJobDetails', { context, namespace: job.namespace, kind: job.kind, name: job.name, ...(job.podSelector ? { podSelector: job.podSelector } : {}) });
  // Phase changes bring new pods and events: refresh then.
  const reload = details.reload;
  const activity = `${job.phase}:${job.replicas.map((r) => r.active).join()}`;
  useEffect(() => reload(), [activity, reload]);
  const primary = details.data?.primaryPod ? details.data.pods.find((p) => p.name === details.data!.primaryPod) : undefined;
  return (
    <div className="detail-panel" aria-label={`Training job ${job.name}`}>
      <h3>
        {job.kind} {job.namespace}/{job.name} <StatusBadge tone={phaseTone(job.phase)}>{job.phase}</StatusBadge>
      </h3>
      {job.kind !== 'SparkSubmit' && <DetailsLink objectKey={{ context, group: groupOfApiVersion(job.apiVersion), kind: job.kind, namespace: job.namespace, name: job.name }} />}
      {job.message && <p>{job.message}</p>}
      {details.error && <ErrorNotice error={details.error} onRetry={details.reload} />}
      <h4>Pods</h4>
      {details.data && details.data.pods.length === 0 && <p className="muted">No pods (yet, or already cleaned up).</p>}
      {details.data && details.data.pods.length > 0 && (
        <table className="table" aria-label="Pods of the job">
          <thead>
            <tr>
              <th>Pod</th>
              <th>Status</th>
              <th>Node</th>
              <th>GPUs</th>
            </tr>
          </thead>
          <tbody>
            {details.data.pods.map((p) => (
              <tr key={p.key}>
                <td>{p.name}</td>
                <td>
                  <StatusBadge tone={phaseTone(p.phase)}>{p.phase}</StatusBadge>
                </td>
                <td>{p.node ?? ''}</td>
                <td>{p.gpus || ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>Events</h4>
      {details.data && (details.data.events.length ? (
        <ul className="events">
          {details.data.events.map((e) => (
            <li key={e.key}>
              <StatusBadge tone={e.type === 'Warning' ? 'warn' : 'info'}>{e.reason}</StatusBadge> {e.object.kind}/{e.object.name}: {e.message}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No events.</p>
      ))}
      {primary && (
        <>
          <h4>Logs of {primary.name}</h4>
          <LogViewer context={context} namespace={primary.namespace} pod={primary.name} containers={primary.containers} />
        </>
      )}
    </div>
  );
}

/** Every training job kind in one table: batch Jobs, Kubeflow v1 and v2, JobSet, RayJob, Spark. */
export function TrainingTab({ context, namespace, rest }: TabProps) {
  const view = useView<TrainingJobRow>(context, 'training', namespace);
  const now = useNow();
  const { selected, select: setSelected } = useLinkedSelection(view.rows, context, rest);
  const rows = [...view.rows].sort((a, b) => (b.start ?? '').localeCompare(a.start ?? '') || a.name.localeCompare(b.name));
  const job = selected ? view.rows.find((r) => r.key === selected) : undefined;
  if (view.loading) return <p className="muted">Listing training jobs…</p>;
  return (
    <>
      <LiveNotice meta={view.meta} />
      {rows.length === 0 ? (
        <p className="muted">No training jobs{namespace ? ` in ${namespace}` : ''}.</p>
      ) : (
        <VirtualTable rows={rows} columns={columns(now)} rowKey={(j) => j.key} label={`Training jobs of ${context}`} height={Math.min(420, 34 * rows.length + 4)} onRowClick={(j) => setSelected(j.key)} selectedKey={selected} />
      )}
      {view.meta && view.meta.absent.length > 0 && <p className="muted">Not installed on this cluster: {view.meta.absent.join(', ')}.</p>}
      {job && <JobDetails context={context} job={job} />}
    </>
  );
}
