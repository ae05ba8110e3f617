import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../../shared/errors';
import { MAX_MESSAGE_BYTES } from '../../shared/protocol';
import type { Disposable } from '../../shared/disposable';
import type { Logger } from '../logger';
import type { RpcRouter } from './router';
import type { Contract } from '../../shared/contract/define';

export const RPC_PATH = '/rpc';

/** Open RPC sockets one server accepts; more are refused with 503 (a page needs one). */
export const MAX_CONNECTIONS = 16;
/** Calls one connection may have unanswered; more are answered UNAVAILABLE at once. */
export const MAX_CALLS_IN_FLIGHT = 64;
/** Terminals (pod exec, local shell) one connection may hold open. */
export const MAX_TERMINALS_PER_CONNECTION = 8;
/**
 * Bytes a connection may leave unread in its send buffer. A peer that stops reading (a stalled
 * tunnel, a frozen tab) would otherwise grow the buffer without bound; past this it is closed
 * with 1013 and the page reconnects and starts from fresh snapshots.
 */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface WsTransportOptions {
  token: string;
  /**
   * Whether a Host header names this server. A page from another site that rebinds its DNS name
   * to 127.0.0.1 sends its own name as Host: refusing it defeats DNS rebinding.
   */
  isAllowedHost: (host: string) => boolean;
  /** `http` or `https`: the scheme of the page, for the Origin a browser sends. */
  scheme: 'http' | 'https';
  log: Logger;
}

/**
 * Decides whether an upgrade request may open the RPC socket: 421 for a Host that is not this
 * server, 403 for an Origin other than the page's own (derived from the Host, so an SSH tunnel
 * on another local port works), 401 without the token. A missing Origin is a non-browser client.
 */
export function checkUpgrade(
  req: Pick<IncomingMessage, 'url' | 'headers'>,
  options: Pick<WsTransportOptions, 'token' | 'isAllowedHost' | 'scheme'>,
): { ok: true } | { ok: false; status: 401 | 403 | 404 | 421; reason: string } {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  if (url.pathname !== RPC_PATH) return { ok: false, status: 404, reason: `no endpoint at ${url.pathname}` };
  const host = req.headers.host ?? '';
  if (!options.isAllowedHost(host)) return { ok: false, status: 421, reason: `foreign Host ${host || '(none)'}` };
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `${options.scheme}://${host.toLowerCase()}`) {
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

const STATUS_TEXT = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request', 503: 'Service Unavailable' } as const;

/**
 * Serves the RPC router over WebSocket on an existing HTTP server. Every upgrade is checked
 * (Host, Origin, token, connection cap) before a socket exists; refusals are answered with an
 * HTTP status and logged.
 */
export function attachWsTransport<C extends Contract>(server: Server, router: RpcRouter<C>, options: WsTransportOptions): Disposable {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const checked = checkUpgrade(req, options);
    const verdict = checked.ok && wss.clients.size >= MAX_CONNECTIONS ? ({ ok: false, status: 503, reason: `already ${MAX_CONNECTIONS} connections` } as const) : checked;
    const peer = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    if (!verdict.ok) {
      options.log.warn(`serve: refused WebSocket from ${peer} (${req.headers.origin ?? 'no Origin'}): ${verdict.reason}`);
      socket.end(`HTTP/1.1 ${verdict.status} ${STATUS_TEXT[verdict.status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
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

/** The id of a frame that is not valid JSON, when one can still be read from it. */
function idOfBrokenFrame(text: string): number | undefined {
  const match = /"id"\s*:\s*(\d{1,15})\b/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/**
 * Sends one message unless the peer has stopped reading: past {@link MAX_BUFFERED_BYTES} unsent
 * the connection is closed (1013, "try again later") instead of buffering without bound.
 */
export function sendWithBackpressure(ws: Pick<WebSocket, 'readyState' | 'OPEN' | 'bufferedAmount' | 'send' | 'close'>, message: unknown, peer: string, log: Logger): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    log.warn(`serve: ${peer} stopped reading (${ws.bufferedAmount} bytes unsent); closing its connection`);
    ws.close(1013, 'not reading; reconnect');
    return;
  }
  ws.send(JSON.stringify(message));
}

function serveSocket<C extends Contract>(ws: WebSocket, router: RpcRouter<C>, peer: string, log: Logger) {
  const callsInFlight = new Set<number>();
  const terminals = new Set<number>();
  const sendJson = (message: unknown) => sendWithBackpressure(ws, message, peer, log);
  const session = router.openSession(
    (message) => {
      if (message.t === 'ok' || message.t === 'err') callsInFlight.delete(message.id);
      if (message.t === 'end') terminals.delete(message.id);
      sendJson(message);
    },
    { face: 'serve', peer },
  );
  const refuse = (reason: string) => {
    log.warn(`serve: unreadable frame from ${peer}: ${reason}`);
    return new AppError('INVALID_ARGUMENT', `The server could not read a message: ${reason}.`).toWire();
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      // A frame not addressed to any call: answered with `bad` so the sender is not left guessing.
      sendJson({ t: 'bad', error: refuse('binary frames are not part of the protocol') });
      return;
    }
    const text = data.toString();
    let decoded: unknown;
    try {
      decoded = JSON.parse(text);
    } catch {
      const id = idOfBrokenFrame(text);
      const error = refuse('not valid JSON');
      sendJson(id === undefined ? { t: 'bad', error } : { t: 'err', id, error });
      return;
    }
    const message = decoded as { t?: unknown; id?: unknown; event?: unknown };
    const validId = Number.isInteger(message?.id) && (message.id as number) >= 0;
    if (message?.t === 'call' && validId) {
      if (callsInFlight.size >= MAX_CALLS_IN_FLIGHT) {
        sendJson({ t: 'err', id: message.id, error: new AppError('UNAVAILABLE', `More than ${MAX_CALLS_IN_FLIGHT} calls in flight on one connection.`, { fix: 'Wait for answers before sending more.' }).toWire() });
        return;
      }
      callsInFlight.add(message.id as number);
    }
    if (message?.t === 'sub' && message.event === 'terminal.open' && validId) {
      if (terminals.size >= MAX_TERMINALS_PER_CONNECTION) {
        sendJson({ t: 'end', id: message.id, error: new AppError('UNAVAILABLE', `At most ${MAX_TERMINALS_PER_CONNECTION} terminals per connection.`, { fix: 'Close a terminal first.' }).toWire() });
        return;
      }
      terminals.add(message.id as number);
    }
    if (message?.t === 'unsub' && validId) terminals.delete(message.id as number);
    session.receive(decoded);
  });
  ws.on('close', () => session.dispose());
  ws.on('error', () => session.dispose());
}
