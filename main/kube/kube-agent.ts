import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { AppError } from '../../shared/errors';

/** The TLS material of one connection, as client-node's `applyToHTTPSOptions` fills it in. */
export type TlsMaterial = Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'>;

/**
 * The URL of an API path on a server whose URL may carry a path prefix (Rancher's
 * `https://host/k8s/clusters/c-1`, an API gateway): the prefix is kept, as kubectl keeps it.
 */
export function apiUrl(server: URL, apiPath: string): URL {
  const prefix = server.pathname.replace(/\/+$/, '');
  const url = new URL(server.origin);
  url.pathname = `${prefix}${apiPath.startsWith('/') ? '' : '/'}${apiPath}`;
  return url;
}

/**
 * An identity for TLS material: agents pool connections made with one client certificate, so a
 * rotated certificate (a new file at the same path, a new one from an exec plugin) needs a new
 * agent. Hashes, so the key itself is never kept in a map key.
 */
export function tlsFingerprint(material: TlsMaterial): string {
  const hash = createHash('sha256');
  for (const part of [material.ca, material.cert, material.key]) {
    for (const item of [part ?? ''].flat()) {
      // tls's { pem, passphrase } form (never produced by client-node, allowed by the type).
      const bytes = typeof item === 'string' || Buffer.isBuffer(item) ? item : item.pem;
      hash.update(String(bytes.length)).update(':').update(bytes);
    }
    hash.update('|');
  }
  hash.update(String(material.rejectUnauthorized)).update('|').update(material.servername ?? '');
  return hash.digest('hex');
}

/**
 * Parses a kubeconfig `proxy-url`. http and https proxies are supported (the API connection is
 * tunnelled with CONNECT, as client-go does for https servers); socks is refused with a clear
 * error rather than silently ignored.
 */
export function parseProxyUrl(raw: string | undefined, contextName: string): URL | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('KUBECONFIG_INVALID', `${contextName}: proxy-url "${raw}" is not a URL.`, { fix: 'Fix cluster.proxy-url in the kubeconfig.' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('KUBECONFIG_INVALID', `${contextName}: proxy-url scheme ${url.protocol.replace(':', '')} is not supported.`, {
      fix: 'Use an http:// or https:// proxy (socks proxies are not supported yet), or reach the cluster another way.',
    });
  }
  return url;
}

/** Opens a CONNECT tunnel through `proxy` to `host:port`; resolves with the raw socket. */
function tunnel(proxy: URL, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { host: `${host}:${port}` };
    if (proxy.username) {
      const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    const transport = proxy.protocol === 'https:' ? https : http;
    const request = transport.request({
      host: proxy.hostname,
      port: Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: `${host.includes(':') ? `[${host}]` : host}:${port}`,
      headers,
      agent: false,
    });
    request.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(Object.assign(new Error(`the proxy ${proxy.host} refused the tunnel to ${host}:${port} (HTTP ${res.statusCode})`), { code: 'EPROXY' }));
        return;
      }
      resolve(socket);
    });
    request.once('error', reject);
    request.end();
  });
}

type Callback = (error: Error | null, socket?: Duplex) => void;

/** An https agent whose connections go through an http(s) proxy's CONNECT tunnel. */
class TunnelHttpsAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: tls.ConnectionOptions & { host?: string; port?: number }, callback: Callback): undefined {
    tunnel(this.proxy, options.host ?? 'localhost', Number(options.port ?? 443)).then(
      (socket) => {
        const secure = tls.connect({ ...options, socket, servername: options.servername ?? (netIsIp(options.host) ? undefined : options.host) });
        secure.once('secureConnect', () => callback(null, secure));
        secure.once('error', (error) => callback(error));
      },
      (error: Error) => callback(error),
    );
    return undefined;
  }
}

/** An http agent (plain-HTTP servers) whose connections go through a CONNECT tunnel. */
class TunnelHttpAgent extends http.Agent {
  constructor(
    private readonly proxy: URL,
    options: http.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: { host?: string; port?: number }, callback: Callback): undefined {
    tunnel(this.proxy, options.host ?? 'localhost', Number(options.port ?? 80)).then(
      (socket) => callback(null, socket),
      (error: Error) => callback(error),
    );
    return undefined;
  }
}

function netIsIp(host: string | undefined): boolean {
  return !!host && (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':'));
}

/**
 * The connection pool for one context: keep-alive, capped (`maxSockets`), with the context's TLS
 * material, and through its `proxy-url` when it has one.
 */
export function createKubeAgent(options: { https: boolean; tls: TlsMaterial; maxSockets: number; proxy?: URL }): http.Agent {
  const base = { keepAlive: true, maxSockets: options.maxSockets };
  if (options.https) {
    const tlsOptions: https.AgentOptions = { ...base, ca: options.tls.ca, cert: options.tls.cert, key: options.tls.key, rejectUnauthorized: options.tls.rejectUnauthorized, servername: options.tls.servername };
    return options.proxy ? new TunnelHttpsAgent(options.proxy, tlsOptions) : new https.Agent(tlsOptions);
  }
  return options.proxy ? new TunnelHttpAgent(options.proxy, base) : new http.Agent(base);
}
