/**
 * A loopback proxy in front of a real kube-apiserver that injects the failures a Kubernetes
 * client must survive: dropped connections, stalls without FIN, delays, and `410 Gone` /
 * `429 Too Many Requests` answers. For watch-engine reliability tests.
 *
 * It terminates TLS with the cluster's own serving certificate (kwok's `pki/admin.crt`, valid
 * for 127.0.0.1), so a kubeconfig pointing at the proxy verifies with the cluster's CA, and it
 * forwards each request upstream with the cluster's client certificate. Every request is
 * recorded with what the proxy did to it.
 *
 * ```ts
 * const proxy = await startFaultProxy(faultTargetOf(cluster));
 * const kubeconfig = proxy.writeKubeconfig(path.join(dir, 'via-proxy.yaml'));
 * proxy.inject({ kind: 'status', status: 429, retryAfterSeconds: 1 }, { times: 2 });
 * proxy.inject({ kind: 'stall' }, { match: { watch: true } });
 * proxy.dropConnections();
 * proxy.clear();
 * await proxy.close();
 * ```
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { isIP, type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import type { TestCluster } from './cluster-harness';

/** What the proxy does to the requests (and connections) a rule matches. */
export type Fault =
  /** Forward untouched (the default). */
  | { kind: 'pass' }
  /**
   * Reset connections: new TCP connections are reset as soon as they are accepted, and matched
   * requests have their connection reset instead of an answer.
   */
  | { kind: 'drop' }
  /**
   * Hang without FIN: matched requests are never answered, and streams already open stop
   * delivering bytes (their sockets stay open) until the fault is cleared.
   */
  | { kind: 'stall' }
  /**
   * Forward the request (it lands on the API server) but never deliver the answer: the client
   * waits as on a connection lost mid-request. What a crash or a closed tunnel looks like to the
   * client after the server has acted.
   */
  | { kind: 'lose-answer' }
  /** Wait `ms` before forwarding each matched request. */
  | { kind: 'delay'; ms: number }
  /**
   * Answer with this HTTP status and a Kubernetes `Status` body instead of forwarding: 410
   * (reason Expired, as for an expired continue token or too-old resourceVersion), 429
   * (reason TooManyRequests, with `Retry-After` when `retryAfterSeconds` is given), 403
   * (Forbidden, as an RBAC denial or an admission webhook answers), 500 or 503.
   */
  | { kind: 'status'; status: 403 | 410 | 429 | 500 | 503; retryAfterSeconds?: number; message?: string }
  /**
   * For watches: answer 200 and stream one `ERROR` event carrying a 410 Expired Status, then end
   * — how kube-apiserver tells a watcher its resourceVersion is too old.
   */
  | { kind: 'watch-expired' };

/** Which requests a rule applies to; every field given must match. */
export interface FaultMatch {
  /** Only watch requests (`?watch=1|true`) — or only non-watch requests when false. */
  watch?: boolean;
  /** Tested against the path without the query, e.g. /\/pods$/. */
  path?: RegExp;
  method?: string;
}

export interface FaultOptions {
  match?: FaultMatch;
  /** Apply to this many matching requests, then go back to passing through. */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  watch: boolean;
  /** The fault applied (`pass` when forwarded untouched). */
  outcome: Fault['kind'];
  at: number;
}

/** Where to forward and the TLS material to do it (see {@link faultTargetOf}). */
export interface FaultTarget {
  /** The API server, e.g. https://127.0.0.1:32764. */
  server: string;
  /** PEM: CA that signed the server certificate (written into the proxy kubeconfig). */
  caFile: string;
  /** PEM: certificate + key the proxy serves with; must be valid for 127.0.0.1. */
  serverCertFile: string;
  serverKeyFile: string;
  /** PEM: client identity used towards the API server (also written into the proxy kubeconfig). */
  clientCertFile: string;
  clientKeyFile: string;
}

export interface FaultProxy {
  /** https://127.0.0.1:PORT — use as a kubeconfig `server`. */
  readonly url: string;
  readonly port: number;
  /** Every request so far, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Replaces the current fault. Stalled streams resume when the new fault is not `stall`. */
  inject(fault: Fault, options?: FaultOptions): void;
  /** Back to passing everything through; resumes stalled streams (held requests stay unanswered). */
  clear(): void;
  /** Resets every open client connection now (watches break with ECONNRESET). */
  dropConnections(): void;
  /** Open client connections right now. */
  openConnections(): number;
  /** A kubeconfig with one context, `name`, whose server is the proxy. Returns the file. */
  writeKubeconfig(file: string, name?: string): string;
  close(): Promise<void>;
}

/** The fault target of a harness cluster: kwok's pki serves both as server and client identity. */
export function faultTargetOf(cluster: TestCluster): FaultTarget {
  const pki = path.join(cluster.workdir, 'clusters', cluster.name, 'pki');
  return {
    server: cluster.server,
    caFile: path.join(pki, 'ca.crt'),
    serverCertFile: path.join(pki, 'admin.crt'),
    serverKeyFile: path.join(pki, 'admin.key'),
    clientCertFile: path.join(pki, 'admin.crt'),
    clientKeyFile: path.join(pki, 'admin.key'),
  };
}

function isWatch(url: URL): boolean {
  const w = url.searchParams.get('watch');
  return w === '1' || w === 'true' || url.pathname.includes('/watch/');
}

function statusBody(code: number, reason: string, message: string, retryAfterSeconds?: number) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
    ...(retryAfterSeconds !== undefined ? { details: { retryAfterSeconds } } : {}),
  };
}

const REASONS: Record<number, [string, string]> = {
  403: ['Forbidden', 'forbidden (injected by the fault proxy)'],
  410: ['Expired', 'too old resource version (injected by the fault proxy)'],
  429: ['TooManyRequests', 'the server has received too many requests (injected by the fault proxy)'],
  500: ['InternalError', 'internal error (injected by the fault proxy)'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request (injected by the fault proxy)'],
};

function reset(socket: Socket) {
  // RST rather than FIN: what a crashed peer or a dropped NAT entry looks like.
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    // A TLS socket (a matched request's) has no TCP handle of its own to reset
    // (ERR_INVALID_HANDLE_TYPE): close it without an answer, which the client sees the same way.
    socket.destroy();
  }
}

/** Starts a fault proxy on 127.0.0.1 (a free port) in front of `target`. */
export async function startFaultProxy(target: FaultTarget): Promise<FaultProxy> {
  const upstream = new URL(target.server);
  const ca = fs.readFileSync(target.caFile);
  const agent = new https.Agent({
    keepAlive: true,
    ca,
    cert: fs.readFileSync(target.clientCertFile),
    key: fs.readFileSync(target.clientKeyFile),
  });
  let rule: { fault: Fault; match?: FaultMatch; remaining?: number } = { fault: { kind: 'pass' } };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  /** Upstream responses currently streaming to a client; paused while stalled. */
  const streams = new Map<http.IncomingMessage, { req: http.IncomingMessage; url: URL }>();
  const held = new Set<http.ServerResponse>();

  const matches = (req: http.IncomingMessage, url: URL, m = rule.match): boolean => {
    if (!m) return true;
    if (m.watch !== undefined && m.watch !== isWatch(url)) return false;
    if (m.path && !m.path.test(url.pathname)) return false;
    if (m.method && m.method.toUpperCase() !== req.method) return false;
    return true;
  };

  /** The fault for this request, consuming one of `times`. */
  const take = (req: http.IncomingMessage, url: URL): Fault => {
    if (rule.fault.kind === 'pass' || !matches(req, url)) return { kind: 'pass' };
    const fault = rule.fault;
    if (rule.remaining !== undefined && --rule.remaining <= 0) proxy.clear();
    return fault;
  };

  /** Pauses the open streams a stall applies to; resumes the others. */
  const applyStall = () => {
    for (const [stream, { req, url }] of streams) {
      if (rule.fault.kind === 'stall' && matches(req, url)) stream.pause();
      else stream.resume();
    }
  };

  const forward = (req: http.IncomingMessage, url: URL, res: http.ServerResponse, loseAnswer = false) => {
    const headers = { ...req.headers };
    delete headers.host;
    delete headers.connection;
    const out = https.request(
      { protocol: 'https:', hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent, ...(isIP(upstream.hostname) ? {} : { servername: upstream.hostname }) },
      (upstreamRes) => {
        if (loseAnswer) {
          upstreamRes.resume();
          held.add(res);
          res.on('close', () => held.delete(res));
          return;
        }
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        res.flushHeaders();
        streams.set(upstreamRes, { req, url });
        if (rule.fault.kind === 'stall' && matches(req, url)) upstreamRes.pause();
        upstreamRes.on('data', (chunk: Buffer) => res.write(chunk));
        upstreamRes.on('end', () => res.end());
        upstreamRes.on('close', () => {
          streams.delete(upstreamRes);
          if (!res.writableEnded) res.destroy();
        });
        res.on('close', () => upstreamRes.destroy());
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const server = https.createServer({ cert: fs.readFileSync(target.serverCertFile), key: fs.readFileSync(target.serverKeyFile) }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://proxy');
    const fault = take(req, url);
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', watch: isWatch(url), outcome: fault.kind, at: Date.now() });
    switch (fault.kind) {
      case 'pass':
        return forward(req, url, res);
      case 'lose-answer':
        return forward(req, url, res, true);
      case 'drop':
        return reset(req.socket);
      case 'stall':
        held.add(res);
        res.on('close', () => held.delete(res));
        return; // never answered, never closed by us
      case 'delay': {
        const timer = setTimeout(() => forward(req, url, res), fault.ms);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'status': {
        const [reason, message] = REASONS[fault.status] ?? ['Unknown', 'injected failure'];
        const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json' };
        if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
        res.writeHead(fault.status, headers);
        return res.end(JSON.stringify(statusBody(fault.status, reason, fault.message ?? message, fault.retryAfterSeconds)));
      }
      case 'watch-expired': {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
        const [reason, message] = REASONS[410]!;
        return res.end(JSON.stringify({ type: 'ERROR', object: statusBody(410, reason, message) }) + '\n');
      }
    }
  });
  server.on('connection', (socket: Socket) => {
    if (rule.fault.kind === 'drop' && !rule.match) {
      requests.push({ method: 'CONNECT', url: '(tcp)', watch: false, outcome: 'drop', at: Date.now() });
      if (rule.remaining !== undefined && --rule.remaining <= 0) proxy.clear();
      return reset(socket);
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client reset mid-handshake is the point of some tests, not an error.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const proxy: FaultProxy = {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    inject(fault, options = {}) {
      rule = { fault, match: options.match, remaining: options.times };
      applyStall();
      if (fault.kind === 'drop' && !options.match) proxy.dropConnections();
    },
    clear() {
      rule = { fault: { kind: 'pass' } };
      applyStall();
    },
    dropConnections() {
      for (const socket of sockets) reset(socket);
      sockets.clear();
    },
    openConnections: () => sockets.size,
    writeKubeconfig(file, name = 'fault-proxy') {
      const lines = [
        'apiVersion: v1',
        'kind: Config',
        `current-context: ${name}`,
        'clusters:',
        `- name: ${name}`,
        '  cluster:',
        `    server: https://127.0.0.1:${port}`,
        `    certificate-authority: ${target.caFile}`,
        'users:',
        `- name: ${name}`,
        '  user:',
        `    client-certificate: ${target.clientCertFile}`,
        `    client-key: ${target.clientKeyFile}`,
        'contexts:',
        `- name: ${name}`,
        '  context:',
        `    cluster: ${name}`,
        `    user: ${name}`,
      ];
      fs.writeFileSync(file, lines.join('\n') + '\n');
      return file;
    },
    async close() {
      for (const res of held) res.destroy();
      for (const s of streams.keys()) s.destroy();
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
