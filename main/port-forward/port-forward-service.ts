import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { AppError, toAppError } from '../../shared/errors';
import type { Disposable } from '../../shared/disposable';
import type { ForwardInfo } from '../../shared/models/port-forward';
import type { KubeClient } from '../kube/kube-client';
import { ForwardResolver } from './forward-resolver';
import { openPortForwardSocket, pipeConnection } from './forward-connection';
import type { ForwardTarget, RemotePort } from './port-spec';
import { forwardUrl, isForwardUrl } from './forward-url';

export interface StartForward {
  context: string;
  namespace: string;
  target: ForwardTarget;
  remotePort: RemotePort;
  /** 0 picks a free port. */
  localPort: number;
}

/** Byte counts change all the time: listeners hear of them at most this often. */
const BYTES_EMIT_MS = 500;

interface Forward {
  info: ForwardInfo;
  server: net.Server;
  sockets: Set<net.Socket>;
  resolver: ForwardResolver;
  client: KubeClient;
}

/**
 * Port forwards of this process. Each listens on 127.0.0.1 only and carries every accepted TCP
 * connection over its own `pods/portforward` WebSocket (the protocol has one stream per
 * connection). A failing connection (pod gone, nothing listening, no ready pod) closes that
 * connection and shows its error on the forward; the forward keeps listening. Disposing stops
 * every forward: the app, serve mode and the CLI dispose their services when they quit.
 */
export class PortForwardService implements Disposable {
  private readonly forwards = new Map<string, Forward>();
  private readonly listeners = new Set<(list: ForwardInfo[]) => void>();
  private emitTimer: NodeJS.Timeout | undefined;

  constructor(private readonly clientFor: (context: string) => Promise<KubeClient>) {}

  /**
   * Checks the target, then binds the local port. Fails with NOT_FOUND (no such pod or Service),
   * INVALID_ARGUMENT (no such port on it) or PORT_IN_USE, and then nothing is left running.
   */
  async start(request: StartForward): Promise<ForwardInfo> {
    const client = await this.clientFor(request.context);
    const resolver = new ForwardResolver(client, request.namespace, request.target, request.remotePort);
    await resolver.check();
    const server = net.createServer({ allowHalfOpen: true });
    const localPort = await listenLoopback(server, request.localPort);
    const info: ForwardInfo = {
      id: randomUUID(),
      context: request.context,
      namespace: request.namespace,
      target: { ...request.target },
      remotePort: request.remotePort,
      localPort,
      url: forwardUrl(localPort),
      ...(resolver.current ? { pod: resolver.current.pod, podPort: resolver.current.port } : {}),
      openConnections: 0,
      totalConnections: 0,
      bytesSent: 0,
      bytesReceived: 0,
      startedAt: new Date().toISOString(),
    };
    const forward: Forward = { info, server, sockets: new Set(), resolver, client };
    server.on('connection', (socket) => this.accept(forward, socket));
    this.forwards.set(info.id, forward);
    this.changed(true);
    return { ...info };
  }

  /** Every forward, newest first. */
  list(): ForwardInfo[] {
    return [...this.forwards.values()].reverse().map((f) => ({ ...f.info, target: { ...f.info.target } }));
  }

  /** Stops a forward and ends its open connections. */
  stop(id: string): void {
    const forward = this.forwards.get(id);
    if (!forward) throw new AppError('NOT_FOUND', 'This forward is not running.', { fix: 'Refresh the Forwards list.' });
    this.forwards.delete(id);
    forward.server.close();
    for (const socket of forward.sockets) socket.destroy();
    this.changed(true);
  }

  /** Calls `listener` with the list now and after every change. */
  onDidChange(listener: (list: ForwardInfo[]) => void): Disposable {
    this.listeners.add(listener);
    listener(this.list());
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Whether `raw` is the URL of a forward that is running now: the only http:// URLs the
   * window may hand to the system browser.
   */
  isActiveForwardUrl(raw: string): boolean {
    return isForwardUrl(raw, [...this.forwards.values()].map((f) => f.info.localPort));
  }

  dispose(): void {
    for (const id of [...this.forwards.keys()]) this.stop(id);
    clearTimeout(this.emitTimer);
    this.listeners.clear();
  }

  private accept(forward: Forward, socket: net.Socket): void {
    const { info } = forward;
    forward.sockets.add(socket);
    info.openConnections++;
    info.totalConnections++;
    this.changed(true);
    socket.pause();
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      forward.sockets.delete(socket);
      info.openConnections--;
      this.changed(true);
    });
    const fail = (error: unknown) => {
      const appError = toAppError(error);
      info.lastError = { ...appError.toWire(), at: new Date().toISOString() };
      this.changed(true);
      socket.destroy();
    };
    const resolve = async () => {
      const endpoint = await forward.resolver.resolve();
      // Shown before the upgrade, so a refused one names the pod it went to.
      if (info.pod !== endpoint.pod || info.podPort !== endpoint.port) {
        info.pod = endpoint.pod;
        info.podPort = endpoint.port;
        this.changed(true);
      }
      return endpoint;
    };
    void (async () => {
      let ws;
      try {
        ws = await openPortForwardSocket(forward.client, info.namespace, await resolve());
      } catch (error) {
        // The pod went away between the check and the upgrade: a Service finds its replacement.
        if (!(error instanceof AppError && error.code === 'NOT_FOUND' && info.target.kind === 'service')) throw error;
        forward.resolver.invalidate();
        ws = await openPortForwardSocket(forward.client, info.namespace, await resolve());
      }
      if (socket.destroyed || !this.forwards.has(info.id)) return ws.close();
      pipeConnection(socket, ws, {
        onBytes: (sent, received) => {
          info.bytesSent += sent;
          info.bytesReceived += received;
          this.changed(false);
        },
        onError: (error) => {
          if (info.target.kind === 'service') forward.resolver.invalidate();
          fail(error);
        },
      });
    })().catch(fail);
  }

  /** Tells listeners now (`immediate`) or within {@link BYTES_EMIT_MS} (byte counts). */
  private changed(immediate: boolean): void {
    if (!immediate && this.emitTimer) return;
    clearTimeout(this.emitTimer);
    const emit = () => {
      this.emitTimer = undefined;
      const list = this.list();
      for (const listener of this.listeners) listener(list);
    };
    if (immediate) emit();
    else this.emitTimer = setTimeout(emit, BYTES_EMIT_MS);
  }
}

/** Listens on 127.0.0.1; a busy port is PORT_IN_USE with what to do about it. */
function listenLoopback(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new AppError('PORT_IN_USE', `Local port ${port} on 127.0.0.1 is in use.`, { fix: 'Choose another local port, or 0 for a free one.', details: { port } }));
      } else if (error.code === 'EACCES') {
        reject(new AppError('INVALID_ARGUMENT', `Local port ${port} needs privileges this user does not have.`, { fix: 'Choose a port above 1023, or 0 for a free one.', details: { port } }));
      } else {
        reject(toAppError(error));
      }
    });
    server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}
