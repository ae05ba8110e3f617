import { useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { HpaRow } from '../../../shared/models/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useClient } from '../../rpc/client';
import { loadKnobs, releaseNote, type LoadKnob, type LoadSupport } from './load-knobs';

function KnobRow({ context, namespace, knob }: { context: string; namespace: string; knob: LoadKnob }) {
  const client = useClient();
  const [value, setValue] = useState(String(knob.peak));
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string>();
  const [error, setError] = useState<AppError>();
  const send = (next: number) => {
    setBusy(true);
    setError(undefined);
    client.call('metrics.set', { context, namespace, ...knob.request(next) }).then(
      (result) => {
        setSaid(result.message);
        setBusy(false);
      },
      (e: AppError) => {
        setError(e);
        setBusy(false);
      },
    );
  };
  const typed = Number(value);
  const valid = value.trim() !== '' && Number.isFinite(typed) && typed >= 0;
  const inputId = `load-${knob.id}`;
  return (
    <fieldset className="load-knob" aria-label={`Load ${knob.label}`}>
      <legend>{knob.label}</legend>
      <p className="muted">{knob.explain}</p>
      <div className="toolbar">
        <button type="button" disabled={busy} onClick={() => send(knob.peak)}>
          Push load ({knob.peak})
        </button>
        <button type="button" disabled={busy} onClick={() => send(knob.idle)}>
          Release ({knob.idle})
        </button>
        <label htmlFor={inputId}>Value</label>
        <input
          id={inputId}
          type="number"
          min={0}
          value={value}
          aria-invalid={!valid}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && valid && send(typed)}
        />
        <button type="button" disabled={busy || !valid} onClick={() => send(typed)}>
          Set
        </button>
      </div>
      {!valid && <p className="muted">A number, 0 or more.</p>}
      {said && (
        <p role="status" aria-live="polite">
          {said}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </fieldset>
  );
}

/**
 * Load for a demo: push the metrics an autoscaler scales on up and release them, and watch the
 * HPA react on the chart. Custom and external metrics where Slipway's metrics adapter serves
 * them (simulated and Slipway's kind clusters), CPU and memory where kwok simulates the pods;
 * elsewhere the real metric comes from the workload.
 */
export function LoadPanel({ context, row, support }: { context: string; row: HpaRow; support: LoadSupport }) {
  const knobs = loadKnobs(row, support);
  if (knobs.length === 0) return null;
  return (
    <section className="load-panel" aria-label={`Load for ${row.name}`}>
      <h4>Load</h4>
      <p className="muted">{releaseNote(row)}</p>
      {knobs.map((knob) => (
        <KnobRow key={knob.id} context={context} namespace={row.namespace} knob={knob} />
      ))}
    </section>
  );
}
