import { useState } from 'react';
import type { ExecPlugin } from '../../../shared/models/contexts';
import type { AppError } from '../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asAppError, useClient } from '../../rpc/client';

/**
 * Asks before a kubeconfig credential plugin may run. Names the exact command, arguments,
 * environment and the file they came from; consent covers exactly those, and any change asks again.
 */
export function ExecConsentDialog({ plugin, onClose, onGranted }: { plugin: ExecPlugin | null; onClose(): void; onGranted(): void }) {
  const client = useClient();
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const allow = async () => {
    if (!plugin) return;
    setBusy(true);
    try {
      await client.call('contexts.grantExecConsent', { key: plugin.key });
      setError(null);
      onGranted();
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="Allow this credential plugin to run?"
      open={plugin !== null}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Don’t allow
          </button>
          <button type="button" className="primary" onClick={allow} disabled={busy}>
            Allow and connect
          </button>
        </>
      }
    >
      {plugin && (
        <>
          <p>
            The kubeconfig file <code>{plugin.file}</code> asks Slipway to run a program to get credentials. It runs with your
            permissions, so allow it only if you recognise it.
          </p>
          <dl className="kv">
            <dt>Command</dt>
            <dd>
              <code data-testid="consent-command">{plugin.command}</code>
            </dd>
            <dt>Arguments</dt>
            <dd>
              {plugin.args.length ? (
                <code data-testid="consent-args">{plugin.args.map(quoted).join(' ')}</code>
              ) : (
                <span className="muted">(none)</span>
              )}
            </dd>
            {plugin.env.length > 0 && (
              <>
                <dt>Environment</dt>
                <dd>
                  <code data-testid="consent-env">{plugin.env.map((e) => `${e.name}=${quoted(e.value)}`).join(' ')}</code>
                </dd>
              </>
            )}
            {plugin.interactiveMode && (
              <>
                <dt>Interactive mode</dt>
                <dd>{plugin.interactiveMode}</dd>
              </>
            )}
            <dt>Kind</dt>
            <dd>{plugin.kind === 'exec' ? `exec credential plugin${plugin.apiVersion ? ` (${plugin.apiVersion})` : ''}` : `legacy auth provider "${plugin.provider ?? ''}"`}</dd>
          </dl>
          {error && <ErrorNotice error={error} />}
        </>
      )}
    </Dialog>
  );
}

/** Shows one argument so that the list cannot be misread: `a b` as one argument is quoted. */
function quoted(arg: string): string {
  return arg === '' || /[\s'"\\]/.test(arg) ? `'${arg.replace(/'/g, `'\\''`)}'` : arg;
}
