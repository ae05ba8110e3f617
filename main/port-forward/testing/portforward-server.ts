/**
 * A loopback server for the port-forward half of the Kubernetes API, for unit tests of the data
 * path: the WebSocket upgrade at /api/v1/namespaces/NS/pods/POD/portforward?ports=P, as the
 * kubelet's streaming server answers it — only `v4.channel.k8s.io` (so a client offering v5
 * first falls back), the port as two little-endian bytes opening the data and the error
 * channel, then a real TCP connection to 127.0.0.1:P; a refused connection is reported as text
 * on the error channel and the WebSocket closes. The real kubelet path runs in
 * test/integration/port-forward-kind.test.ts.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface PortForwardServer {
  url: string;
  requests: URL[];
  /** The subprotocol of each accepted upgrade. */
  protocols: string[];
  close(): Promise<void>;
}

const SUPPORTED = ['v4.channel.k8s.io'];

export async function startPortForwardServer(token: string, options: { splitPrefix?: boolean } = {}): Promise<PortForwardServer> {
  const requests: URL[] = [];
  const protocols: string[] = [];
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => [...offered].find((p) => SUPPORTED.includes(p)) ?? false });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url);
    const reject = (code: number, message: string) => {
      const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code });
      socket.end(`HTTP/1.1 ${code} ${http.STATUS_CODES[code]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    if (req.headers.authorization !== `Bearer ${token}`) return reject(401, 'Unauthorized');
    const match = /^\/api\/v1\/namespaces\/[^/]+\/pods\/([^/]+)\/portforward$/.exec(url.pathname);
    if (!match) return reject(404, 'the server could not find the requested resource');
    if (match[1] === 'gone') return reject(404, 'pods "gone" not found');
    const port = Number(url.searchParams.get('ports'));
    if (!Number.isInteger(port) || port < 1 || port > 65535) return reject(400, 'invalid port');
    wss.handleUpgrade(req, socket, head, (ws) => {
      protocols.push(ws.protocol);
      const prefix = (channel: number) => Buffer.from([channel, port & 0xff, port >> 8]);
      if (options.splitPrefix) {
        ws.send(prefix(0).subarray(0, 2));
        ws.send(Buffer.from([0, port >> 8]));
      } else {
        ws.send(prefix(0));
      }
      ws.send(prefix(1));
      const upstream = net.connect(port, '127.0.0.1');
      const pending: Buffer[] = [];
      let connected = false;
      upstream.on('connect', () => {
        connected = true;
        for (const chunk of pending.splice(0)) upstream.write(chunk);
      });
      upstream.on('data', (d: Buffer) => ws.send(Buffer.concat([Buffer.from([0]), d])));
      upstream.on('end', () => ws.close());
      upstream.on('error', (error) => {
        ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`error forwarding port ${port} to pod ${match[1]}: dial tcp4 127.0.0.1:${port}: ${error.message}`)]));
        ws.close();
      });
      ws.on('message', (raw: Buffer) => {
        if (raw[0] !== 0) return;
        const data = raw.subarray(1);
        if (connected) upstream.write(data);
        else pending.push(Buffer.from(data));
      });
      ws.on('close', () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    protocols,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
