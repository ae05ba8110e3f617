import { StringDecoder } from 'node:string_decoder';
import WebSocket from 'ws';
import { AppError } from '../../shared/errors';
import type { KubeClient } from '../kube/kube-client';
import { apiUrl } from '../kube/kube-agent';
import { openKubeWebSocket, toWebSocketUrl } from '../kube/kube-websocket';

/** Newest first; v5 adds closing stdin, v4 carries the exit code in a Status on channel 3. */
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io'];

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export interface ExecTarget {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
  tty: boolean;
}

export interface ExecHandlers {
  onOutput(data: string, stream: 'stdout' | 'stderr'): void;
  /** Once: the exit code (null when unknown) and the error, if the session failed. */
  onExit(code: number | null, error?: AppError): void;
}

export interface ExecSession {
  readonly protocol: string;
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): void;
  /** Closes stdin (v5 only; a no-op before). */
  closeStdin(): void;
  close(): void;
}

interface KubeStatus {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/** The exit code a v4+ Status on the error channel reports. */
export function exitCodeOf(status: KubeStatus): number | null {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : null;
}

export function execUrl(server: URL, target: ExecTarget): URL {
  const url = toWebSocketUrl(apiUrl(server, `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/exec`));
  for (const c of target.command) url.searchParams.append('command', c);
  if (target.container) url.searchParams.set('container', target.container);
  url.searchParams.set('stdin', 'true');
  url.searchParams.set('stdout', 'true');
  // With a TTY the server merges stderr into stdout and refuses stderr=true.
  url.searchParams.set('stderr', String(!target.tty));
  url.searchParams.set('tty', String(target.tty));
  return url;
}

/**
 * Runs a command in a pod container over the exec WebSocket (channel.k8s.io framing: each binary
 * message starts with its channel byte). Credentials come from the context's client, so exec
 * consent and TLS settings are the same as for every other request.
 */
export async function openExec(client: KubeClient, target: ExecTarget, handlers: ExecHandlers, options: { handshakeTimeoutMs?: number } = {}): Promise<ExecSession> {
  const socket = await openKubeWebSocket(client, execUrl(client.server, target), {
    protocols: EXEC_PROTOCOLS,
    action: `exec into ${target.pod}`,
    handshakeTimeoutMs: options.handshakeTimeoutMs,
  });
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  let exited = false;
  let exitCode: number | null = null;
  let statusError: AppError | undefined;
  const exit = (code: number | null, error?: AppError) => {
    if (exited) return;
    exited = true;
    handlers.onExit(code, error);
  };
  socket.on('message', (raw: Buffer, isBinary: boolean) => {
    const data = isBinary ? raw : Buffer.from(raw);
    if (data.length === 0) return;
    const channel = data[0];
    const payload = data.subarray(1);
    if (channel === CHANNEL.stdout || channel === CHANNEL.stderr) {
      const stream = channel === CHANNEL.stdout ? 'stdout' : 'stderr';
      const text = decoders[stream].write(payload);
      if (text) handlers.onOutput(text, stream);
    } else if (channel === CHANNEL.error && payload.length > 0) {
      const text = payload.toString('utf8');
      try {
        const status = JSON.parse(text) as KubeStatus;
        exitCode = exitCodeOf(status);
        if (status.status !== 'Success' && exitCode === null) statusError = new AppError('KUBE_API_ERROR', status.message ?? text);
      } catch {
        // channel.k8s.io v1–v3 send the error as plain text
        statusError = new AppError('KUBE_API_ERROR', text);
      }
    }
  });
  socket.on('close', () => {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = decoders[stream].end();
      if (rest) handlers.onOutput(rest, stream);
    }
    exit(exitCode, statusError);
  });
  socket.on('error', (error) => exit(null, new AppError('UNAVAILABLE', `exec connection lost: ${error.message}`)));
  // Every listener is attached: let the frames that arrived with the upgrade through.
  socket.resume();
  const send = (channel: number, payload: Buffer) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(Buffer.concat([Buffer.from([channel]), payload]));
  };
  return {
    protocol: socket.protocol,
    write: (data) => send(CHANNEL.stdin, typeof data === 'string' ? Buffer.from(data, 'utf8') : data),
    resize: (cols, rows) => send(CHANNEL.resize, Buffer.from(JSON.stringify({ Width: cols, Height: rows }))),
    closeStdin: () => {
      if (socket.protocol === 'v5.channel.k8s.io') send(CHANNEL.close, Buffer.from([CHANNEL.stdin]));
    },
    close: () => socket.close(),
  };
}
