import WebSocket from 'ws';
import { AppError, type ErrorCode } from '../../shared/errors';
import type { KubeClient } from './kube-client';
import { createKubeAgent } from './kube-agent';

/** What a refused or failed upgrade was for, so its error names the user's action ("exec into web-1"). */
export interface KubeWebSocketOptions {
  /** Subprotocols offered, newest first; the server picks the first it speaks. */
  protocols: string[];
  /** Words for error messages: "exec into web-1", "port-forward to web-1:8080". */
  action: string;
  handshakeTimeoutMs?: number;
}

interface StatusBody {
  message?: string;
}

function codeForStatus(status: number | undefined): ErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  return 'KUBE_API_ERROR';
}

/**
 * Opens an authenticated WebSocket to the API server (exec, port-forward). The one place that
 * does so: credentials and TLS come from the context's client (so exec-plugin consent applies),
 * and the context's proxy-url is honoured like for every other request. Resolves once the
 * upgrade succeeded; a refused upgrade rejects with the API server's own message and a code
 * from its HTTP status.
 *
 * The socket comes back **paused**: servers send their first frames right after the upgrade
 * (port-forward's port prefix, in the same TCP segment as the 101), and those would be emitted
 * before the caller's listeners exist. Attach them, then call `resume()`.
 */
export async function openKubeWebSocket(client: KubeClient, url: URL, options: KubeWebSocketOptions): Promise<WebSocket> {
  const auth = await client.connectionOptions();
  const socket = new WebSocket(url, options.protocols, {
    headers: auth.headers as Record<string, string>,
    ca: auth.ca,
    cert: auth.cert,
    key: auth.key,
    rejectUnauthorized: auth.rejectUnauthorized,
    // ws hands these to https.request, which knows tls-server-name.
    ...({ servername: auth.servername } as object),
    ...(client.proxy ? { agent: createKubeAgent({ https: url.protocol === 'wss:', tls: auth, maxSockets: 1, proxy: client.proxy }) } : {}),
    handshakeTimeout: options.handshakeTimeoutMs ?? 15_000,
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      socket.pause();
      resolve();
    });
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => {
        let message = body;
        try {
          message = (JSON.parse(body) as StatusBody).message ?? body;
        } catch {
          // plain text
        }
        reject(new AppError(codeForStatus(res.statusCode), `${client.contextName}: ${options.action} refused (${res.statusCode}): ${message}`.trim(), { details: { status: res.statusCode } }));
      });
    });
    socket.once('error', (error) => reject(new AppError('CLUSTER_UNREACHABLE', `${client.contextName}: ${options.action} failed: ${error.message}`)));
  });
  return socket;
}

/** The ws:// or wss:// form of an API server URL. */
export function toWebSocketUrl(url: URL): URL {
  const ws = new URL(url);
  ws.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return ws;
}
