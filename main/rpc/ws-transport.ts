import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '../../shared/protocol';
import type { Disposable } from '../../shared/disposable';
import type { Logger } from '../logger';
import type { RpcRouter } from './router';
import type { Contract } from '../../shared/contract/define';

export const RPC_PATH = '/rpc';

export interface WsTransportOptions {
  token: string;
  /** Origins a browser may connect from (scheme://host:port). A missing Origin is a non-browser client. */
  allowedOrigins: () => readonly string[];
  log: Logger;
}

/** Decides whether an upgrade request may open the RPC socket: 401 without the token, 403 from a foreign Origin. */
export function checkUpgrade(
  req: Pick<IncomingMessage, 'url' | 'headers'>,
  options: Pick<WsTransportOptions, 'token' | 'allowedOrigins'>,
): { ok: true } | { ok: false; status: 401 | 403 | 404; reason: string } {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  if (url.pathname !== RPC_PATH) return { ok: false, status: 404, reason: `no endpoint at ${url.pathname}` };
  const origin = req.headers.origin;
  if (origin !== undefined && !options.allowedOrigins().includes(origin)) {
    return { ok: false, status: 403, reason: `foreign Origin ${origin}` };
  }
  const token = url.searchParams.get('token') ?? '';
  if (!safeEqual(token, options.token)) return { ok: false, status: 401, reason: 'missing or wrong token' };
  return { ok: true };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Serves the RPC router over WebSocket on an existing HTTP server. Every upgrade is checked
 * (token, Origin) before a socket exists; refusals are answered with 401/403 and logged.
 */
export function attachWsTransport<C extends Contract>(server: Server, router: RpcRouter<C>, options: WsTransportOptions): Disposable {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkUpgrade(req, options);
    const peer = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    if (!verdict.ok) {
      options.log.warn(`serve: refused WebSocket from ${peer} (${req.headers.origin ?? 'no Origin'}): ${verdict.reason}`);
      const text = verdict.status === 401 ? 'Unauthorized' : verdict.status === 403 ? 'Forbidden' : 'Not Found';
      socket.end(`HTTP/1.1 ${verdict.status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, router, peer, options.log));
  };
  server.on('upgrade', onUpgrade);
  return {
    dispose() {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

function serveSocket<C extends Contract>(ws: WebSocket, router: RpcRouter<C>, peer: string, log: Logger) {
  const session = router.openSession(
    (message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    { face: 'serve', peer },
  );
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      log.warn(`serve: binary frame from ${peer} ignored`);
      return;
    }
    let decoded: unknown;
    try {
      decoded = JSON.parse(data.toString());
    } catch {
      log.warn(`serve: unparsable frame from ${peer}`);
      return;
    }
    session.receive(decoded);
  });
  ws.on('close', () => session.dispose());
  ws.on('error', () => session.dispose());
}
