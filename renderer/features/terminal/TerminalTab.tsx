import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { TerminalTarget } from '../../../shared/models/views-logs';
import { AppError } from '../../../shared/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useClient } from '../../rpc/client';
import { navigate } from '../../app/routes';
import type { TabProps } from '../workloads/WorkloadsPage';

/** One xterm bound to one terminal session (pod exec or local shell). Loaded lazily with xterm. */
function TerminalView({ target }: { target: TerminalTarget }) {
  const client = useClient();
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState('connecting…');
  const [error, setError] = useState<AppError>();
  const key = JSON.stringify(target);
  useEffect(() => {
    if (!host.current) return;
    const term = new Terminal({ convertEol: false, cursorBlink: true, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 13, scrollback: 5000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current);
    fit.fit();
    let sessionId: string | undefined;
    const pending: string[] = [];
    const send = (data: string) => {
      if (!sessionId) pending.push(data);
      else client.call('terminal.write', { sessionId, data }).catch((e: AppError) => setError(e));
    };
    const input = term.onData(send);
    const unsubscribe = client.subscribe(
      'terminal.open',
      { target: JSON.parse(key) as TerminalTarget, cols: term.cols, rows: term.rows },
      (event) => {
        if (event.type === 'started') {
          sessionId = event.sessionId;
          setStatus(`${event.description}${event.pty ? '' : ' — no PTY: line editing and resizing are limited'}`);
          for (const d of pending.splice(0)) send(d);
          term.focus();
        } else if (event.type === 'output') term.write(event.data);
        else {
          setStatus(`exited${event.code === null ? '' : ` with code ${event.code}`}`);
          if (event.error) setError(AppError.fromWire(event.error));
        }
      },
      (e) => setError(e),
    );
    const observer = new ResizeObserver(() => {
      fit.fit();
      if (sessionId) client.call('terminal.resize', { sessionId, cols: term.cols, rows: term.rows }).catch(() => undefined);
    });
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      input.dispose();
      unsubscribe();
      term.dispose();
    };
  }, [client, key]);
  return (
    <div className="terminal-panel">
      <p className="muted" data-testid="terminal-status">
        {status}
      </p>
      {error && <ErrorNotice error={error} />}
      <div ref={host} className="terminal-host" data-testid="terminal" />
    </div>
  );
}

/** A terminal: a shell in a pod (`#/workloads/terminal/pod/ctx/ns/pod[/container]`) or a local shell with the context's KUBECONFIG. */
export function TerminalTab({ context, rest }: TabProps) {
  const [generation, setGeneration] = useState(0);
  const target: TerminalTarget =
    rest[0] === 'pod' && rest[1] && rest[2] && rest[3]
      ? { kind: 'pod', context: rest[1], namespace: rest[2], pod: rest[3], ...(rest[4] ? { container: rest[4] } : {}) }
      : { kind: 'local', context };
  return (
    <section aria-label="Terminal">
      <div className="toolbar">
        <strong>{target.kind === 'pod' ? `Shell in ${target.namespace}/${target.pod}` : `Local shell (kubectl uses ${context})`}</strong>
        {target.kind === 'pod' && (
          <button type="button" onClick={() => navigate('workloads', 'terminal')}>
            Local shell instead
          </button>
        )}
        <button type="button" onClick={() => setGeneration((g) => g + 1)}>
          Restart
        </button>
      </div>
      <TerminalView key={`${JSON.stringify(target)}#${generation}`} target={target} />
    </section>
  );
}
