/**
 * Headless composition root: the same services behind a WebSocket on 127.0.0.1 with a
 * per-launch token, a Host check (DNS rebinding) and an Origin check, serving the built
 * renderer. Used to view a remote GPU workstation from a laptop browser (over an SSH tunnel) and
 * for end-to-end tests in Chromium. Exposed beyond loopback (`--unsafe-expose`) it speaks TLS
 * only and keeps terminals off unless `--allow-shell`.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { AppError } from '../shared/errors';
import { contract } from '../shared/contract';
import { createHandlers } from './rpc/handlers/index';
import { RpcRouter } from './rpc/router';
import { attachWsTransport } from './rpc/ws-transport';
import { rendererCsp, serveStatic } from './http/static-files';
import { serveTls, type ServeTls } from './http/serve-tls';
import type { Services } from './services';

export const DEFAULT_SERVE_PORT = 7420;

export interface ServeOptions {
  services: Services;
  /** 0 picks a free port. Default {@link DEFAULT_SERVE_PORT}, or a free one when that is busy. */
  port?: number;
  host?: string;
  /** Required for a host that is not loopback; the token is still required, and TLS too. */
  unsafeExpose?: boolean;
  /** The certificate and key for an exposed server; without them a self-signed one is made once. */
  tlsCert?: string;
  tlsKey?: string;
  /** Exposed only: allow pod exec and the local shell, which are off by default there. */
  allowShell?: boolean;
  rendererDir?: string;
  /** Fixed token, for tests; normally random per launch. */
  token?: string;
}

export interface ServeHandle {
  url: string;
  /** The certificate's SHA-256 fingerprint when serving TLS, for the user to compare. */
  tlsFingerprint?: string;
  token: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The host name of a Host header (`name:port`, `[v6]:port`), lowercased; '' when malformed. */
export function hostNameOf(header: string): string {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  return match ? match[1]!.toLowerCase() : '';
}

/**
 * Which Host headers name this server. On loopback: any loopback name on any port — a page on
 * another site that rebinds its name to 127.0.0.1 still sends its own name and is refused, while
 * an SSH tunnel from another local port (`ssh -L 9000:127.0.0.1:7420`) sends `localhost:9000`
 * and works. Exposed: also the name it was bound to, and any name when bound to every
 * interface (then the token and TLS are what protect it).
 */
export function hostPolicy(bindHost: string, exposed: boolean): (header: string) => boolean {
  const bound = hostNameOf(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
  const wildcard = bindHost === '0.0.0.0' || bindHost === '::' || bindHost === '[::]';
  return (header) => {
    const name = hostNameOf(header);
    if (!name) return false;
    if (isLoopbackHost(name)) return true;
    return exposed && (wildcard || name === bound);
  };
}

export function defaultRendererDir(): string {
  return fileURLToPath(new URL('../renderer', import.meta.url));
}

/**
 * `--allow-exec` runs every kubeconfig plugin without consent, for one CLI invocation. A server
 * lives on and acts for whoever holds the token, so it never takes it: plugins run there only
 * with the consent stored in settings.
 */
export function allowExecRefused(): AppError {
  return new AppError('INVALID_ARGUMENT', 'slipway serve does not take --allow-exec.', {
    fix: 'Allow each credential plugin once in the Clusters page; serve mode runs only consented plugins.',
  });
}

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  if (options.services.platform.allowExec) throw allowExecRefused();
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.unsafeExpose) {
    throw new AppError('INVALID_ARGUMENT', `Refusing to listen on non-loopback host ${host}.`, {
      fix: 'Use an SSH tunnel to 127.0.0.1, or pass --unsafe-expose if you really want the network to reach it (the token is still required).',
    });
  }
  const { services } = options;
  const log = services.platform.log;
  // --unsafe-expose means "reachable by others" (even when the bind address is loopback behind a
  // port forward someone else set up): TLS and the shell policy follow the flag, not the address.
  const exposed = Boolean(options.unsafeExpose) || !isLoopbackHost(host);
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  // Beyond loopback the token crosses a network: never in clear text.
  const tls: ServeTls | undefined = exposed ? await serveTls({ configDir: services.platform.configDir, certFile: options.tlsCert, keyFile: options.tlsKey, hosts: [host] }) : undefined;
  if (!exposed && (options.tlsCert || options.tlsKey)) {
    throw new AppError('INVALID_ARGUMENT', '--tls-cert and --tls-key are for --unsafe-expose.', { fix: 'On loopback, drop them (an SSH tunnel already encrypts the way).' });
  }
  const router = new RpcRouter(contract, serveHandlers(services, exposed && !options.allowShell), log, services.taskRuns);
  const scheme = tls ? 'https' : 'http';
  const isAllowedHost = hostPolicy(host, exposed);

  let port = 0;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const hostHeader = req.headers.host ?? '';
    if (!isAllowedHost(hostHeader)) {
      log.warn(`serve: refused HTTP request for Host ${hostHeader || '(none)'} (DNS rebinding?)`);
      res.writeHead(421, { 'content-type': 'text/plain' }).end('This server does not answer for that host name.\n');
      return;
    }
    // The page's own WebSocket origin, whatever local port a tunnel gave it.
    const csp = rendererCsp([`${tls ? 'wss' : 'ws'}://${hostHeader.toLowerCase()}`]);
    serveStatic(req, res, rendererDir, csp).catch((error: unknown) => {
      log.error('serve: static file failed', error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, onRequest) : http.createServer(onRequest);
  const transport = attachWsTransport(server, router, { token, isAllowedHost, scheme, log });

  const wanted = options.port ?? DEFAULT_SERVE_PORT;
  try {
    port = await listen(server, wanted, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && options.port === undefined) {
      port = await listen(server, 0, host);
    } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      transport.dispose();
      throw new AppError('PORT_IN_USE', `Port ${wanted} on ${host} is in use.`, { fix: 'Pick another with --port, or --port 0 for any free port.' });
    } else {
      transport.dispose();
      throw error;
    }
  }
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `${scheme}://${shownHost}:${port}/?token=${token}`,
    ...(tls ? { tlsFingerprint: tls.fingerprint } : {}),
    token,
    host,
    port,
    async close() {
      transport.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The handlers serve mode uses: all of them, except that an exposed server without
 * `--allow-shell` refuses terminals — a pod exec or a local shell is a command line on this
 * machine or a cluster for whoever holds the token.
 */
function serveHandlers(services: Services, shellOff: boolean) {
  const handlers = createHandlers(services);
  if (!shellOff) return handlers;
  const refused = () => {
    throw new AppError('FORBIDDEN', 'Terminals are off on a server exposed beyond this machine.', {
      fix: 'Restart serve with --allow-shell to allow pod exec and the local shell, or use an SSH tunnel to 127.0.0.1 instead.',
    });
  };
  return { ...handlers, terminal: { ...handlers.terminal, open: refused, write: refused, resize: refused } };
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host.replace(/^\[|\]$/g, ''));
  });
}
