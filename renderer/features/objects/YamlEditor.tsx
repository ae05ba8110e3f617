import { useState } from 'react';
import type { EditPlan, ObjectDetails } from '../../../shared/models/objects';
import type { AppError } from '../../../shared/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asAppError, useClient } from '../../rpc/client';
import { changeLine } from '../promote/promote-view';

/**
 * Edit YAML: the server's dry run shows what the edit changes before anything is written; the
 * apply is server-side as field manager `slipway`. Fields other managers own are listed and only
 * taken over when the user ticks Force.
 */
export function YamlEditor({ details, onApplied, onCancel }: { details: ObjectDetails; onApplied(message: string): void; onCancel(): void }) {
  const client = useClient();
  const [text, setText] = useState(details.yaml);
  const [plan, setPlan] = useState<EditPlan>();
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const guard = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setBusy(false);
    }
  };
  const review = () => guard(async () => setPlan(await client.call('objects.planEdit', { key: details.key, yaml: text })));
  const apply = () => guard(async () => onApplied((await client.call('objects.applyEdit', { key: details.key, yaml: text, force })).message));
  return (
    <section className="yaml-editor" aria-label="Edit YAML">
      <textarea
        className="code"
        aria-label="YAML"
        spellCheck={false}
        value={text}
        rows={Math.min(40, text.split('\n').length + 2)}
        onChange={(e) => {
          setText(e.target.value);
          setPlan(undefined);
        }}
      />
      <div className="toolbar">
        <button type="button" onClick={() => void review()} disabled={busy}>
          Review changes
        </button>
        <button type="button" className="primary" onClick={() => void apply()} disabled={busy || !plan || plan.changes.length === 0 || (Boolean(plan.conflict) && !force)}>
          Apply
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
      {plan && (
        <div aria-label="Dry-run diff">
          <h4>Diff (server-side dry run)</h4>
          {plan.changes.length === 0 ? <p className="muted">The edit changes nothing.</p> : <pre className="log">{plan.changes.map(changeLine).join('\n')}</pre>}
          {plan.conflict && (
            <div className="banner warn" role="status">
              <p>
                Fields owned by {plan.conflict.managers.join(', ') || 'another manager'}: {plan.conflict.fields.join(', ')}. Applying takes them over.
              </p>
              <label>
                <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force (take over these fields)
              </label>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
