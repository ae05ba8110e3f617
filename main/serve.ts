/**
 * Headless composition root: the same services behind a WebSocket on 127.0.0.1 with a
 * per-launch token and an Origin check, serving the built renderer. Used to view a remote GPU
 * workstation from a laptop browser (over an SSH tunnel) and for end-to-end tests in Chromium.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { AppError } from '../shared/errors';
import { contract } from '../shared/contract';
import { createHandlers } from './rpc/handlers/index';
import { RpcRouter } from './rpc/router';
import { attachWsTransport } from './rpc/ws-transport';
import { rendererCsp, serveStatic } from './http/static-files';
import type { Services } from './services';

export const DEFAULT_SERVE_PORT = 7420;

export interface ServeOptions {
  services: Services;
  /** 0 picks a free port. Default {@link DEFAULT_SERVE_PORT}, or a free one when that is busy. */
  port?: number;
  host?: string;
  /** Required for a host that is not loopback; the token is still required. */
  unsafeExpose?: boolean;
  rendererDir?: string;
  /** Fixed token, for tests; normally random per launch. */
  token?: string;
}

export interface ServeHandle {
  url: string;
  token: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function defaultRendererDir(): string {
  return fileURLToPath(new URL('../renderer', import.meta.url));
}

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.unsafeExpose) {
    throw new AppError('INVALID_ARGUMENT', `Refusing to listen on non-loopback host ${host}.`, {
      fix: 'Use an SSH tunnel to 127.0.0.1, or pass --unsafe-expose if you really want the network to reach it (the token is still required).',
    });
  }
  const { services } = options;
  const log = services.platform.log;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const router = new RpcRouter(contract, createHandlers(services), log, services.taskRuns);

  let port = 0;
  const origins = () => {
    const names = new Set(['127.0.0.1', 'localhost', host.replace(/^\[|\]$/g, '')]);
    const list: string[] = [];
    for (const name of names) list.push(`http://${name.includes(':') ? `[${name}]` : name}:${port}`);
    return list;
  };
  const server = http.createServer((req, res) => {
    const csp = rendererCsp(origins().map((o) => o.replace(/^http/, 'ws')));
    serveStatic(req, res, rendererDir, csp).catch((error: unknown) => {
      log.error('serve: static file failed', error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const transport = attachWsTransport(server, router, { token, allowedOrigins: origins, log });

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
    url: `http://${shownHost}:${port}/?token=${token}`,
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
