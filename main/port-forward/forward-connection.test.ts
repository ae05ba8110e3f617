import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import type { AppError } from '../../shared/errors';
import { KubeClient } from '../kube/kube-client';
import { openPortForwardSocket, pipeConnection, portForwardUrl } from './forward-connection';
import { startPortForwardServer, type PortForwardServer } from './testing/portforward-server';

function clientFor(server: string, token: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'loop', server, skipTLSVerify: true }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'loop', cluster: 'loop', user: 'u' }],
    currentContext: 'loop',
  });
  return new KubeClient(kc, 'loop');
}

/** A real TCP service in the "pod": echoes with a prefix, or answers a fixed body and closes. */
async function startUpstream(handler: (socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    handler(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * One local connection through the forward: a local listener whose accepted socket is piped over
 * the WebSocket, like the service does. Resolves with what the local client read, the counters
 * and the error the forward reported.
 */
async function roundTrip(client: KubeClient, upstreamPort: number, send: Buffer, opts: { expectBytes?: number; pod?: string } = {}) {
  const counts = { sent: 0, received: 0 };
  const errors: AppError[] = [];
  const local = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.pause();
    void openPortForwardSocket(client, 'default', { pod: opts.pod ?? 'p', port: upstreamPort }).then((ws) =>
      pipeConnection(socket, ws, {
        onBytes: (s, r) => {
          counts.sent += s;
          counts.received += r;
        },
        onError: (e) => errors.push(e),
      }),
    );
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const port = (local.address() as net.AddressInfo).port;
  const received = await new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let length = 0;
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      length += d.length;
      // Like an HTTP client that has its whole answer: it hangs up, and the forward lets go.
      if (opts.expectBytes !== undefined && length >= opts.expectBytes) socket.end();
    });
    socket.on('end', () => socket.end());
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.write(send);
  });
  await new Promise((resolve) => local.close(resolve));
  return { received, counts, errors };
}

describe('port-forward connections over the channel protocol (loopback server, real TCP)', () => {
  let server: PortForwardServer;
  let client: KubeClient;
  beforeAll(async () => {
    server = await startPortForwardServer('t0ken');
    client = clientFor(server.url, 't0ken');
  });
  afterAll(async () => {
    client.dispose();
    await server.close();
  });

  it('asks for one port on the pod, falls back to v4, and carries both directions byte for byte', async () => {
    // v4 has no half-close (neither has kubectl's WebSocket path): the pod side answers as data comes.
    const upstream = await startUpstream((socket) => {
      socket.write('got:');
      socket.pipe(socket);
      socket.on('error', () => undefined);
    });
    try {
      // 2 MiB of every byte value: past the high-water mark, so backpressure engages.
      const payload = Buffer.alloc(2 << 20, 0);
      for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
      const { received, counts, errors } = await roundTrip(client, upstream.port, payload, { expectBytes: payload.length + 4 });
      expect(errors).toEqual([]);
      expect(received.subarray(0, 4).toString()).toBe('got:');
      expect(received.subarray(4).equals(payload)).toBe(true);
      expect(counts).toEqual({ sent: payload.length, received: payload.length + 4 });
      expect(server.protocols.at(-1)).toBe('v4.channel.k8s.io');
      const url = server.requests.at(-1)!;
      expect(url.pathname).toBe('/api/v1/namespaces/default/pods/p/portforward');
      expect(url.searchParams.getAll('ports')).toEqual([String(upstream.port)]);
    } finally {
      await upstream.close();
    }
  });

  it('reports the error channel’s text on the forward and drops the local connection', async () => {
    const closed = await startUpstream(() => undefined);
    await closed.close();
    const { received, counts, errors } = await roundTrip(client, closed.port, Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    expect(received.length).toBe(0);
    expect(counts.received).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'UNAVAILABLE' });
    expect(errors[0]!.message).toContain(`error forwarding port ${closed.port} to pod p`);
    expect(errors[0]!.message).toContain('ECONNREFUSED');
  });

  it('refuses with the API server’s words and a code from its status', async () => {
    await expect(openPortForwardSocket(client, 'default', { pod: 'gone', port: 80 })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'loop: port-forward to gone:80 refused (404): pods "gone" not found' });
    const wrong = clientFor(server.url, 'nope');
    await expect(openPortForwardSocket(wrong, 'default', { pod: 'p', port: 80 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    wrong.dispose();
  });

  it('drops a port prefix split over two messages', async () => {
    const split = await startPortForwardServer('t0ken', { splitPrefix: true });
    const splitClient = clientFor(split.url, 't0ken');
    const upstream = await startUpstream((socket) => socket.end('hello'));
    try {
      const { received, errors } = await roundTrip(splitClient, upstream.port, Buffer.from('x'));
      expect(errors).toEqual([]);
      expect(received.toString()).toBe('hello');
    } finally {
      splitClient.dispose();
      await upstream.close();
      await split.close();
    }
  });

  it('builds the portforward URL under the server’s path prefix, as ws or wss', () => {
    expect(portForwardUrl(new URL('https://api.example:6443/k8s/clusters/c-1'), 'ml team', { pod: 'web-0', port: 8080 }).href).toBe('wss://api.example:6443/k8s/clusters/c-1/api/v1/namespaces/ml%20team/pods/web-0/portforward?ports=8080');
    expect(portForwardUrl(new URL('http://127.0.0.1:8001'), 'default', { pod: 'p', port: 1 }).href).toBe('ws://127.0.0.1:8001/api/v1/namespaces/default/pods/p/portforward?ports=1');
  });
});
