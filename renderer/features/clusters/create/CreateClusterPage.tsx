import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CreateClusterInput, ProviderId } from '../../../../shared/models/clusters';
import { navigate } from '../../../app/routes';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { StatusBadge } from '../../../components/StatusBadge';
import { useCall, useTask } from '../../../rpc/hooks';
import { ChecksList } from '../doctor/ChecksList';
import { defaultForm, gpuLines, gpuModes, K3D_GPU_WARNING, preflightSummary, toRequest, type CreateForm } from './create-form';

const PROVIDERS: { id: ProviderId; label: string; hint: string }[] = [
  { id: 'kind', label: 'kind', hint: 'Docker containers as nodes; GPUs can be split between workers.' },
  { id: 'k3d', label: 'k3d', hint: 'k3s in Docker; every node sees all requested GPUs.' },
  { id: 'kwok', label: 'Simulated', hint: 'A real control plane with simulated nodes and GPUs; needs neither Docker nor a GPU.' },
];

function Field({ label, error, children, hint }: { label: string; error?: string; hint?: ReactNode; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <div className="cell-detail">{hint}</div>}
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/**
 * The Create Cluster page (`#/clusters/new`): provider, name, version, workers, GPU assignment with
 * the detected GPUs, sharing and add-ons; preflight before anything starts; then live phases, log
 * and cancel. kind/k3d select the new context themselves; the list shows the new cluster.
 */
export function CreateClusterPage() {
  // "Start over" remounts the form with a fresh task.
  const [generation, setGeneration] = useState(0);
  return <CreateClusterForm key={generation} onReset={() => setGeneration((g) => g + 1)} />;
}

function CreateClusterForm({ onReset }: { onReset(): void }) {
  const [form, setForm] = useState<CreateForm>(() => defaultForm('kind'));
  const set = <K extends keyof CreateForm>(key: K, value: CreateForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const { request, errors } = useMemo(() => toRequest(form), [form]);
  const requestKey = request ? JSON.stringify(request) : null;
  const [checkedKey, setCheckedKey] = useState<string | null>(null);
  // Preflight runs docker and nvidia-smi: wait until typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => setCheckedKey(requestKey), 400);
    return () => clearTimeout(timer);
  }, [requestKey]);
  const task = useTask('clusters.create');
  const started = task.running || Boolean(task.result) || Boolean(task.error);
  const checkedRequest = checkedKey ? (JSON.parse(checkedKey) as CreateClusterInput) : ({ provider: 'kwok', name: 'x' } as CreateClusterInput);
  const preflight = useCall('doctor.preflight', checkedRequest, { enabled: checkedKey !== null && !started });
  const gpus = useCall('gpu.list', {}, { enabled: form.provider !== 'kwok' });
  const fresh = preflight.data && checkedKey === requestKey && !preflight.loading ? preflight.data : undefined;
  const summary = preflightSummary(fresh);
  const modes = gpuModes(form.provider);
  const percent = task.progress?.percent ?? 0;
  const logRef = useRef<HTMLPreElement>(null);
  // Follow the log as it grows, like a terminal.
  useEffect(() => {
    if (logRef.current) logRef.current.scrollTop = logRef.current.scrollHeight;
  }, [task.log.length]);

  const create = () => {
    if (request) void task.start(request);
  };

  return (
    <section aria-labelledby="create-title" className="create-cluster">
      <header className="page-header">
        <h1 id="create-title">Create cluster</h1>
        <div className="toolbar">
          <button type="button" onClick={() => navigate('clusters', 'doctor')}>
            Doctor
          </button>
          <button type="button" onClick={() => navigate('clusters')}>
            Back to clusters
          </button>
        </div>
      </header>

      <form className="form create-form" onSubmit={(e) => {
          e.preventDefault();
          create();
        }} aria-label="New cluster">
        <fieldset disabled={started} className="provider-choice">
          <legend>Provider</legend>
          {PROVIDERS.map((p) => (
            <label key={p.id} className="radio">
              <input type="radio" name="provider" value={p.id} checked={form.provider === p.id} onChange={() => setForm((f) => ({ ...defaultForm(p.id), name: f.name }))} />
              <span>
                <strong>{p.label}</strong> <span className="cell-detail">{p.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset disabled={started}>
          <Field label="Name" error={form.name ? errors.name : undefined}>
            {(id) => <input id={id} value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="gpu-lab" autoComplete="off" spellCheck={false} />}
          </Field>
          {form.provider !== 'kwok' && (
            <Field label="Kubernetes version" error={errors.kubernetesVersion} hint="Empty: the tool's default node image.">
              {(id) => <input id={id} value={form.kubernetesVersion} onChange={(e) => set('kubernetesVersion', e.target.value)} placeholder="v1.34.0" />}
            </Field>
          )}
          <Field label={form.provider === 'kwok' ? 'CPU nodes' : 'Workers'} error={errors.workers}>
            {(id) => <input id={id} type="number" min={0} value={form.workers} onChange={(e) => set('workers', e.target.value)} />}
          </Field>
          {form.provider === 'kwok' ? (
            <>
              <Field label="Simulated GPU nodes" error={errors.gpuNodes}>
                {(id) => <input id={id} type="number" min={0} value={form.gpuNodes} onChange={(e) => set('gpuNodes', e.target.value)} />}
              </Field>
              <Field label="GPUs per node" error={errors.gpusPerNode}>
                {(id) => <input id={id} type="number" min={1} value={form.gpusPerNode} onChange={(e) => set('gpusPerNode', e.target.value)} />}
              </Field>
              <Field label="GPU product" error={errors.gpuProduct}>
                {(id) => <input id={id} value={form.gpuProduct} onChange={(e) => set('gpuProduct', e.target.value)} />}
              </Field>
            </>
          ) : (
            <>
              <Field
                label="GPUs"
                hint={
                  <div aria-label="Detected GPUs">
                    {gpus.data && gpus.data.gpus.length === 0 && <span>No GPU detected: {gpus.data.reason}</span>}
                    {gpuLines(gpus.data).map((line) => (
                      <div key={line} className="gpu-line">
                        {line}
                      </div>
                    ))}
                  </div>
                }
              >
                {(id) => (
                  <select id={id} value={form.gpuMode} onChange={(e) => set('gpuMode', e.target.value as CreateForm['gpuMode'])}>
                    {modes.map((m) => (
                      <option key={m.value} value={m.value}>
                        {m.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {form.provider === 'k3d' && form.gpuMode !== 'none' && (
                <div className="banner warn" role="note">
                  {K3D_GPU_WARNING}
                </div>
              )}
              {form.gpuMode === 'groups' && (
                <Field label="GPU groups" error={form.gpuGroups ? errors.gpuGroups : undefined} hint="One group per worker: commas within a worker, / between workers.">
                  {(id) => <input id={id} value={form.gpuGroups} onChange={(e) => set('gpuGroups', e.target.value)} placeholder="0/1" />}
                </Field>
              )}
              {form.gpuMode === 'count' && (
                <Field label="Number of GPUs" error={errors.gpuCount}>
                  {(id) => <input id={id} type="number" min={1} value={form.gpuCount} onChange={(e) => set('gpuCount', e.target.value)} />}
                </Field>
              )}
              {form.gpuMode !== 'none' && (
                <Field label="Pods per GPU (time-slicing)" error={errors.gpuSharing} hint="1 = no sharing; N lets N pods share each GPU.">
                  {(id) => <input id={id} type="number" min={1} max={64} value={form.gpuSharing} onChange={(e) => set('gpuSharing', e.target.value)} />}
                </Field>
              )}
              <Field label="Host ports" error={errors.ports} hint="HOST:CONTAINER, e.g. 80:80, 443:443 for an ingress controller.">
                {(id) => <input id={id} value={form.ports} onChange={(e) => set('ports', e.target.value)} placeholder="80:80, 443:443" />}
              </Field>
              <Field label="Node image (optional)" error={errors.image}>
                {(id) => <input id={id} value={form.image} onChange={(e) => set('image', e.target.value)} placeholder={form.provider === 'kind' ? 'kindest/node:v1.34.0' : 'a CUDA-capable k3s image'} />}
              </Field>
            </>
          )}
        </fieldset>
        <fieldset disabled={started} className="addons">
          <legend>Add-ons</legend>
          <label className="checkbox">
            <input type="checkbox" checked={form.metricsServer} onChange={(e) => set('metricsServer', e.target.checked)} /> metrics-server (HPA works out of the box)
          </label>
          {form.provider !== 'kwok' && (
            <>
              <label className="checkbox">
                <input type="checkbox" checked={form.devicePlugin} onChange={(e) => set('devicePlugin', e.target.checked)} disabled={form.gpuMode === 'none'} /> NVIDIA device plugin
              </label>
              <label className="checkbox">
                <input type="checkbox" checked={form.verifyGpu} onChange={(e) => set('verifyGpu', e.target.checked)} disabled={form.gpuMode === 'none'} /> Verify with a CUDA pod (nvidia-smi)
              </label>
            </>
          )}
          <label className="checkbox">
            <input type="checkbox" checked={form.keepOnFailure} onChange={(e) => set('keepOnFailure', e.target.checked)} /> Keep a half-created cluster for debugging
          </label>
        </fieldset>

        <section aria-label="Preflight" className="preflight">
          <h2>
            Preflight <StatusBadge tone={request ? summary.tone : 'muted'}>{request ? summary.label : 'Fill in the form'}</StatusBadge>
          </h2>
          {preflight.error && <ErrorNotice error={preflight.error} onRetry={preflight.reload} />}
          {fresh && <ChecksList checks={fresh.checks} label="Preflight checks" />}
          {fresh?.notes.map((n) => (
            <p key={n} className="muted">
              {n}
            </p>
          ))}
        </section>

        <div className="toolbar">
          {!started && (
            <button type="submit" className="primary" disabled={!request || summary.blocking}>
              Create cluster
            </button>
          )}
          {task.running && (
            <button type="button" className="danger" onClick={task.cancel}>
              Cancel
            </button>
          )}
          {!task.running && (task.error || task.result) && (
            <button type="button" onClick={onReset}>
              Start over
            </button>
          )}
        </div>
      </form>

      {started && (
        <section aria-label="Progress" className="create-progress">
          <div className="progress-line">
            <strong data-testid="create-phase">{task.progress?.phase ?? 'Starting'}</strong> <span>{percent}%</span>
          </div>
          <div className="progress" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-label="Creation progress">
            <div className="progress-bar" style={{ width: `${percent}%` }} />
          </div>
          <pre className="log" aria-label="Log" data-testid="create-log" ref={logRef}>
            {task.log.join('\n')}
          </pre>
          {task.error && <ErrorNotice error={task.error} />}
          {task.result && (
            <div className="banner ok" role="status" aria-label="Cluster created">
              <p>
                Created <strong>{task.result.cluster.name}</strong>; context <code>{task.result.contextName}</code> was merged into <code>{task.result.kubeconfigPath}</code> and selected.
              </p>
              {task.result.notes?.map((n) => (
                <p key={n}>{n}</p>
              ))}
              {task.result.verification && (
                <div aria-label="GPU verification">
                  <StatusBadge tone={task.result.verification.ok ? 'ok' : 'error'}>{task.result.verification.ok ? 'GPU check passed' : 'GPU check failed'}</StatusBadge> {task.result.verification.message}
                  <pre className="log">{task.result.verification.log}</pre>
                </div>
              )}
              <button type="button" className="primary" onClick={() => navigate('clusters')}>
                Show in the cluster list
              </button>
            </div>
          )}
        </section>
      )}
    </section>
  );
}
