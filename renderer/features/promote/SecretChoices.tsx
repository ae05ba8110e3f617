import { useEffect, useId, useState } from 'react';
import { secretNameProblem, type SecretDecision, type SecretRow } from './promote-view';

/**
 * What the promotion does with each Secret preflight named: copy it (the default: its values
 * are written to the target), leave it out, or map it to a Secret the target already has. A
 * choice is saved into the profile (`secrets`) by `onSave`, which also re-runs preflight.
 */
export function SecretChoices({
  rows,
  profileName,
  disabled,
  locked,
  onSave,
}: {
  rows: SecretRow[];
  profileName: string | null;
  /** Why no choice can be saved now (an invalid profile); shown. */
  disabled?: string;
  /** A promotion task is running: choices wait for it. */
  locked?: boolean;
  onSave(name: string, decision: SecretDecision): Promise<void>;
}) {
  if (rows.length === 0) return null;
  return (
    <section aria-label="Secrets" className="detail-panel secret-choices">
      <h2>Secrets</h2>
      <p className="muted">
        Choose for each Secret whether its values go to the target. Saved in the profile {profileName ? <strong>{profileName}</strong> : <>(a new one named <strong>default</strong>)</>}, then preflight runs again.
      </p>
      {disabled && (
        <p className="hint error-text" role="alert">
          {disabled}
        </p>
      )}
      {rows.map((row) => (
        <SecretChoice key={row.name} row={row} disabled={Boolean(disabled) || Boolean(locked)} onSave={(d) => onSave(row.name, d)} />
      ))}
    </section>
  );
}

function same(a: SecretDecision, b: SecretDecision): boolean {
  return a.kind === b.kind && (a.kind !== 'map' || a.to === (b as { to: string }).to);
}

function SecretChoice({ row, disabled, onSave }: { row: SecretRow; disabled: boolean; onSave(decision: SecretDecision): Promise<void> }) {
  const id = useId();
  const [kind, setKind] = useState<SecretDecision['kind']>(row.decision.kind);
  const [to, setTo] = useState(row.decision.kind === 'map' ? row.decision.to : '');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  // A new plan (or a profile edited by hand) brings the saved decision: show it.
  const saved = JSON.stringify(row.decision);
  useEffect(() => {
    const decision = JSON.parse(saved) as SecretDecision;
    setKind(decision.kind);
    setTo(decision.kind === 'map' ? decision.to : '');
    setTouched(false);
  }, [saved]);
  const problem = kind === 'map' ? secretNameProblem(to.trim()) : null;
  const chosen: SecretDecision = kind === 'map' ? { kind, to: to.trim() } : { kind };
  const unchanged = same(chosen, row.decision) && !row.fromWildcard;
  const save = async () => {
    setTouched(true);
    if (problem || unchanged) return;
    setBusy(true);
    try {
      await onSave(chosen);
    } finally {
      setBusy(false);
    }
  };
  const radio = (value: SecretDecision['kind'], label: string) => (
    <label className="context-choice">
      <input type="radio" name={`${id}-choice`} value={value} checked={kind === value} disabled={disabled || busy} onChange={() => setKind(value)} /> {label}
    </label>
  );
  return (
    <fieldset className="context-choices secret-choice" data-secret={row.name}>
      <legend>
        Secret <code>{row.name}</code>
        {row.namespaces.length > 0 && <> in {row.namespaces.join(', ')}</>}
        {row.fromWildcard && <> (by the profile’s “*” entry)</>}
      </legend>
      {radio('copy', 'Copy (values written to the target)')}
      {radio('leave-out', 'Leave out')}
      {radio('map', 'Map to existing Secret …')}
      {kind === 'map' && (
        <span className="secret-target">
          <input
            type="text"
            aria-label={`Target Secret for ${row.name}`}
            placeholder="name in the target"
            value={to}
            spellCheck={false}
            autoComplete="off"
            disabled={disabled || busy}
            aria-invalid={touched && problem ? true : undefined}
            aria-describedby={touched && problem ? `${id}-problem` : undefined}
            onChange={(e) => setTo(e.target.value)}
            onBlur={() => setTouched(true)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void save();
            }}
          />
          {touched && problem && (
            <span id={`${id}-problem`} className="field-error" role="alert">
              {problem}
            </span>
          )}
        </span>
      )}
      <button type="button" onClick={save} disabled={disabled || busy || unchanged || (touched && Boolean(problem))}>
        {busy ? 'Saving…' : `Save for ${row.name}`}
      </button>
    </fieldset>
  );
}
