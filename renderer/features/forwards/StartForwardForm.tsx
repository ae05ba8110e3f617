import { useId, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { ForwardInfo } from '../../../shared/models/port-forward';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asAppError, useClient } from '../../rpc/client';
import { remotePortInput } from './forwards-view';

export interface StartForwardDefaults {
  context?: string;
  namespace?: string;
  kind?: 'pod' | 'service';
  name?: string;
}

/**
 * Starts a forward to a pod or a Service. A refusal (no such Service port, local port in use)
 * shows here, where the user acted, and starts nothing.
 */
export function StartForwardForm({ defaults, onStarted }: { defaults: StartForwardDefaults; onStarted?: (forward: ForwardInfo) => void }) {
  const client = useClient();
  const id = useId();
  const [context, setContext] = useState(defaults.context ?? '');
  const [namespace, setNamespace] = useState(defaults.namespace || 'default');
  const [kind, setKind] = useState<'pod' | 'service'>(defaults.kind ?? 'service');
  const [name, setName] = useState(defaults.name ?? '');
  const [remote, setRemote] = useState('');
  const [local, setLocal] = useState('0');
  const [error, setError] = useState<AppError | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const forward = await client.call('portForward.start', {
        context: context.trim(),
        namespace: namespace.trim(),
        target: { kind, name: name.trim() },
        remotePort: remotePortInput(remote),
        localPort: local.trim() === '' ? 0 : Number(local),
      });
      setRemote('');
      onStarted?.(forward);
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form forward-form"
      aria-label="Start a forward"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-context`}>Context</label>
        <input id={`${id}-context`} value={context} onChange={(e) => setContext(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-ns`}>Namespace</label>
        <input id={`${id}-ns`} value={namespace} onChange={(e) => setNamespace(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-kind`}>Kind</label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as 'pod' | 'service')}>
          <option value="service">Service</option>
          <option value="pod">Pod</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-remote`}>Remote port</label>
        <input id={`${id}-remote`} value={remote} onChange={(e) => setRemote(e.target.value)} placeholder="8080 or http" required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-local`}>Local port</label>
        <input id={`${id}-local`} value={local} onChange={(e) => setLocal(e.target.value)} inputMode="numeric" pattern="\d{1,5}" title="0 picks a free port" />
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Starting…' : 'Start forward'}
      </button>
      {error && <ErrorNotice error={error} />}
    </form>
  );
}
