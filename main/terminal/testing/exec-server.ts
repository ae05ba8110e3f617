/**
 * A loopback server for the exec half of the Kubernetes API: the WebSocket upgrade at
 * /api/v1/namespaces/NS/pods/POD/exec with the channel.k8s.io framing (v4 and v5), running the
 * requested command as a real local process. kwok pods have no containers to exec into, so this
 * is how the exec client is exercised end to end. It follows the API server's behaviour:
 * bearer-token check, subprotocol negotiation, stdout/stderr on channels 1/2 (stderr merged into
 * stdout with a TTY, where stderr=true is refused), the exit Status on channel 3, resize JSON on
 * channel 4, and v5's close frame (255, stream) closing stdin.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface ExecServer {
  url: string;
  resizes: { Width: number; Height: number }[];
  requests: URL[];
  close(): Promise<void>;
}

const SUPPORTED = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export async function startExecServer(token: string): Promise<ExecServer> {
  const resizes: { Width: number; Height: number }[] = [];
  const requests: URL[] = [];
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => [...offered].find((p) => SUPPORTED.includes(p)) ?? false,
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url);
    const reject = (code: number, message: string) => {
      const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code });
      socket.end(`HTTP/1.1 ${code} ${http.STATUS_CODES[code]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    if (req.headers.authorization !== `Bearer ${token}`) return reject(401, 'Unauthorized');
    if (!/^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/exec$/.test(url.pathname)) return reject(404, 'the server could not find the requested resource');
    const tty = url.searchParams.get('tty') === 'true';
    if (tty && url.searchParams.get('stderr') === 'true') return reject(400, 'tty and stderr cannot both be true');
    const command = url.searchParams.getAll('command');
    if (command.length === 0) return reject(400, 'you must specify at least 1 command');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const child = spawn(command[0]!, command.slice(1), { stdio: 'pipe' });
      const send = (channel: number, data: Buffer) => ws.send(Buffer.concat([Buffer.from([channel]), data]));
      child.stdout.on('data', (d: Buffer) => send(1, d));
      child.stderr.on('data', (d: Buffer) => send(tty ? 1 : 2, d));
      child.on('error', (error) => {
        send(3, Buffer.from(JSON.stringify({ metadata: {}, status: 'Failure', message: `exec: ${error.message}`, reason: 'InternalError', code: 500 })));
        ws.close(1000);
      });
      child.on('close', (code) => {
        const status =
          code === 0
            ? { metadata: {}, status: 'Success' }
            : { metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: exit status ${code}`, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } };
        send(3, Buffer.from(JSON.stringify(status)));
        ws.close(1000);
      });
      ws.on('message', (raw: Buffer) => {
        const channel = raw[0];
        const payload = raw.subarray(1);
        if (channel === 0) child.stdin.write(payload);
        else if (channel === 4) resizes.push(JSON.parse(payload.toString()) as { Width: number; Height: number });
        else if (channel === 255 && ws.protocol === 'v5.channel.k8s.io' && payload[0] === 0) child.stdin.end();
      });
      ws.on('close', () => child.kill());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    resizes,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
