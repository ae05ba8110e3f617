import { randomUUID } from 'node:crypto';
import type { TerminalEvent, TerminalTarget } from '../../shared/models/views-logs';
import { AppError, toAppError } from '../../shared/errors';
import type { Disposable } from '../../shared/disposable';
import type { KubeClient } from '../kube/kube-client';
import { openExec, type ExecSession } from './exec-client';
import { startLocalShell, type LocalShell } from './local-shell';

interface Session {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

/** Shells tried in order when no command is given: most images have sh, many have bash. */
const DEFAULT_POD_COMMAND = ['sh', '-c', 'command -v bash >/dev/null && exec bash || exec sh'];

/**
 * Terminal sessions: pod exec and local shells. A session lives exactly as long as its
 * subscription; input arrives by session id (random, unguessable, and only valid on the
 * authenticated RPC connection).
 */
export class TerminalService implements Disposable {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clientFor: (context: string) => Promise<KubeClient>,
    private readonly kubeconfigFiles: () => string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  open(target: TerminalTarget, size: { cols: number; rows: number }, emit: (event: TerminalEvent) => void): Disposable {
    const sessionId = randomUUID();
    let closed = false;
    let inner: Session | undefined;
    const exit = (code: number | null, error?: AppError) => {
      if (closed) return;
      closed = true;
      this.sessions.delete(sessionId);
      emit({ type: 'exit', code, ...(error ? { error: error.toWire() } : {}) });
    };
    if (target.kind === 'local') {
      const shell: LocalShell = startLocalShell(
        { kubeconfigFiles: this.kubeconfigFiles(), context: target.context, cols: size.cols, rows: size.rows, env: this.env },
        (data) => !closed && emit({ type: 'output', data }),
        (code) => exit(code),
      );
      inner = { write: (d) => shell.write(d), resize: () => undefined, close: () => shell.kill() };
      this.sessions.set(sessionId, inner);
      emit({ type: 'started', sessionId, description: `local ${shell.description}`, pty: shell.pty });
    } else {
      const pending: string[] = [];
      const placeholder: Session = { write: (d) => pending.push(d), resize: () => undefined, close: () => (closed = true) };
      this.sessions.set(sessionId, placeholder);
      void (async () => {
        try {
          const client = await this.clientFor(target.context);
          const exec: ExecSession = await openExec(
            client,
            { namespace: target.namespace, pod: target.pod, container: target.container, command: target.command ?? DEFAULT_POD_COMMAND, tty: true },
            { onOutput: (data) => !closed && emit({ type: 'output', data }), onExit: (code, error) => exit(code, error) },
          );
          if (closed) return exec.close();
          exec.resize(size.cols, size.rows);
          inner = { write: (d) => exec.write(d), resize: (c, r) => exec.resize(c, r), close: () => exec.close() };
          this.sessions.set(sessionId, inner);
          emit({ type: 'started', sessionId, description: `${target.pod}${target.container ? `/${target.container}` : ''} (${exec.protocol})`, pty: true });
          for (const d of pending.splice(0)) exec.write(d);
        } catch (error) {
          exit(null, toAppError(error));
        }
      })();
    }
    return {
      dispose: () => {
        const session = this.sessions.get(sessionId);
        this.sessions.delete(sessionId);
        closed = true;
        session?.close();
        inner?.close();
      },
    };
  }

  write(sessionId: string, data: string): void {
    this.session(sessionId).write(data);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    this.session(sessionId).resize(cols, rows);
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }

  private session(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw new AppError('NOT_FOUND', 'This terminal session has ended.', { fix: 'Open a new terminal.' });
    return session;
  }
}
