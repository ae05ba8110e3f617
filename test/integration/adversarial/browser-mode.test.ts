/**
 * Adversarial: browser mode (`slipway serve`) against DNS rebinding, foreign origins, exposure
 * without TLS, shells for whoever holds the token, malformed frames and resource exhaustion.
 * Real sockets on loopback, real TLS, a real openssl.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServe, type ServeHandle } from '../../../main/serve';
import { MAX_CALLS_IN_FLIGHT, MAX_CONNECTIONS, MAX_TERMINALS_PER_CONNECTION } from '../../../main/rpc/ws-transport';
import type { Services } from '../../../main/services';
import { startBlackhole, tempDir, testServices } from '../../support/fixtures';

type Reply = { t: string; id?: number; error?: { code: string; message: string }; payload?: { type?: string } };

/** Opens a socket; resolves with it once open, or rejects with the HTTP status of the refusal. */
function connect(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket & { replies: Reply[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options) as WebSocket & { replies: Reply[] };
    ws.replies = [];
    ws.on('message', (data) => ws.replies.push(JSON.parse(data.toString()) as Reply));
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.on('error', reject);
  });
}

function get(port: number, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { host: hostHeader } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A TCP forwarder on another local port, as `ssh -L` makes one. */
async function tunnel(to: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const upstream = net.connect(to, '127.0.0.1');
    sockets.add(socket).add(upstream);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('adversarial: browser mode', () => {
  const tmp = tempDir();
  const renderer = path.join(tmp.dir, 'renderer');
  let services: Services;
  let serve: ServeHandle;
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    fs.mkdirSync(renderer);
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Slipway</title>');
    blackhole = await startBlackhole();
    const kubeconfig = path.join(tmp.dir, 'kubeconfig.yaml');
    fs.writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\ncurrent-context: hangs\nclusters:\n- name: hangs\n  cluster: {server: "https://127.0.0.1:${blackhole.port}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: hangs\n  context: {cluster: hangs, user: u}\n`);
    services = testServices({ ...process.env, HOME: tmp.dir, KUBECONFIG: kubeconfig }, path.join(tmp.dir, 'config'));
    serve = await startServe({ services, port: 0, rendererDir: renderer });
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await serve?.close();
    services?.dispose();
    await blackhole?.close();
    tmp.cleanup();
  });
  const rpc = (port = serve.port, host = '127.0.0.1') => `ws://${host}:${port}/rpc?token=${serve.token}`;

  it('DNS rebinding: a page whose name now points at 127.0.0.1 is refused by its Host, even holding the token', async () => {
    expect(await get(serve.port, `127.0.0.1:${serve.port}`)).toBe(200);
    expect(await get(serve.port, `evil.example:${serve.port}`)).toBe(421);
    await expect(connect(rpc(), { headers: { host: `evil.example:${serve.port}` }, origin: `http://evil.example:${serve.port}` })).rejects.toMatchObject({ status: 421 });
  });

  it('an SSH tunnel on another local port works, and only from its own origin', async () => {
    const t = await tunnel(serve.port);
    cleanups.push(() => t.close());
    expect(await get(t.port, `localhost:${t.port}`)).toBe(200);
    const ws = await connect(rpc(t.port, 'localhost'), { origin: `http://localhost:${t.port}` });
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'app.getInfo', args: {} }));
    await expect.poll(() => ws.replies.length).toBe(1);
    expect(ws.replies[0]).toMatchObject({ t: 'ok', id: 1 });
    ws.close();
    await expect(connect(rpc(t.port, 'localhost'), { origin: `http://localhost:${t.port + 1}` })).rejects.toMatchObject({ status: 403 });
  });

  it('answers malformed frames instead of staying silent', async () => {
    const ws = await connect(rpc(), { origin: `http://127.0.0.1:${serve.port}` });
    ws.send('{"t":"call","id":7,"method":"app.getInfo",');
    ws.send('not json');
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await expect.poll(() => ws.replies.length).toBe(3);
    expect(ws.replies[0]).toMatchObject({ t: 'err', id: 7, error: { code: 'INVALID_ARGUMENT' } });
    expect(ws.replies.slice(1)).toEqual([
      { t: 'bad', error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) },
      { t: 'bad', error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) },
    ]);
    ws.close();
  });

  it(`caps connections at ${MAX_CONNECTIONS}`, async () => {
    const sockets: WebSocket[] = [];
    try {
      for (let i = 0; i < MAX_CONNECTIONS; i++) sockets.push(await connect(rpc()));
      await expect(connect(rpc())).rejects.toMatchObject({ status: 503 });
    } finally {
      for (const s of sockets) s.terminate();
    }
    await expect.poll(async () => (await connect(rpc()).then((s) => (s.close(), 'open'), () => 'refused'))).toBe('open');
  });

  it(`caps calls in flight at ${MAX_CALLS_IN_FLIGHT} per connection`, async () => {
    const ws = await connect(rpc());
    // Each probe waits on a cluster that never answers (5 s deadline): they stay in flight.
    for (let id = 1; id <= MAX_CALLS_IN_FLIGHT + 1; id++) ws.send(JSON.stringify({ t: 'call', id, method: 'contexts.list', args: { probe: true } }));
    await expect.poll(() => ws.replies.find((r) => r.id === MAX_CALLS_IN_FLIGHT + 1)).toMatchObject({ t: 'err', error: { code: 'UNAVAILABLE' } });
    expect(ws.replies.filter((r) => r.id !== MAX_CALLS_IN_FLIGHT + 1)).toEqual([]);
    ws.terminate();
  });

  it(`caps terminals at ${MAX_TERMINALS_PER_CONNECTION} per connection`, async () => {
    const ws = await connect(rpc());
    const ids = Array.from({ length: MAX_TERMINALS_PER_CONNECTION + 1 }, (_, i) => i + 1);
    try {
      for (const id of ids) ws.send(JSON.stringify({ t: 'sub', id, event: 'terminal.open', params: { target: { kind: 'local' }, cols: 80, rows: 24 } }));
      const over = MAX_TERMINALS_PER_CONNECTION + 1;
      await expect.poll(() => ws.replies.find((r) => r.id === over && r.t === 'end')).toMatchObject({ error: { code: 'UNAVAILABLE' } });
      await expect.poll(() => new Set(ws.replies.filter((r) => r.t === 'ev' && r.payload?.type === 'started').map((r) => r.id)).size).toBe(MAX_TERMINALS_PER_CONNECTION);
    } finally {
      for (const id of ids) ws.send(JSON.stringify({ t: 'unsub', id }));
      ws.close();
    }
  });

  describe('--unsafe-expose', () => {
    let exposed: ServeHandle;
    let exposedServices: Services;
    const configDir = path.join(tmp.dir, 'exposed-config');
    beforeAll(async () => {
      exposedServices = testServices({ ...process.env, HOME: tmp.dir }, configDir);
      // Bound to loopback so no test traffic leaves the machine; the flag decides the policy.
      exposed = await startServe({ services: exposedServices, port: 0, unsafeExpose: true, rendererDir: renderer });
    });
    afterAll(async () => {
      await exposed?.close();
      exposedServices?.dispose();
    });

    it('serves TLS only, with a self-signed certificate made once per install whose fingerprint it reports', async () => {
      expect(exposed.url).toMatch(/^https:\/\//);
      const certFile = path.join(configDir, 'tls', 'serve.crt');
      expect(exposed.tlsFingerprint).toBe(new X509Certificate(fs.readFileSync(certFile)).fingerprint256);
      expect(fs.statSync(path.join(configDir, 'tls', 'serve.key')).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(configDir, 'tls')).mode & 0o777).toBe(0o700);
      // Plain HTTP gets no page and no token-bearing socket.
      await expect(get(exposed.port, `127.0.0.1:${exposed.port}`)).rejects.toThrow();
      const status = await new Promise<number>((resolve, reject) => {
        https.get({ host: '127.0.0.1', port: exposed.port, path: '/', ca: fs.readFileSync(certFile), servername: 'localhost' }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
      expect(status).toBe(200);
      // A restart keeps the certificate the user checked.
      const again = await startServe({ services: exposedServices, port: 0, unsafeExpose: true, rendererDir: renderer });
      expect(again.tlsFingerprint).toBe(exposed.tlsFingerprint);
      await again.close();
    });

    it('keeps the local shell and pod exec off unless --allow-shell', async () => {
      const open = async (handle: ServeHandle) => {
        const ws = await connect(`wss://127.0.0.1:${handle.port}/rpc?token=${handle.token}`, { rejectUnauthorized: false });
        ws.send(JSON.stringify({ t: 'sub', id: 1, event: 'terminal.open', params: { target: { kind: 'local' }, cols: 80, rows: 24 } }));
        ws.send(JSON.stringify({ t: 'sub', id: 2, event: 'terminal.open', params: { target: { kind: 'pod', context: 'any', namespace: 'default', pod: 'p' }, cols: 80, rows: 24 } }));
        return ws;
      };
      const ws = await open(exposed);
      await expect.poll(() => ws.replies.filter((r) => r.t === 'end').length).toBe(2);
      for (const reply of ws.replies) expect(reply).toMatchObject({ t: 'end', error: { code: 'FORBIDDEN', message: expect.stringContaining('Terminals are off') } });
      ws.close();

      const allowed = await startServe({ services: exposedServices, port: 0, unsafeExpose: true, allowShell: true, rendererDir: renderer });
      const ws2 = await open(allowed);
      try {
        await expect.poll(() => ws2.replies.some((r) => r.id === 1 && r.t === 'ev' && r.payload?.type === 'started')).toBe(true);
        expect(ws2.replies.some((r) => r.error?.code === 'FORBIDDEN')).toBe(false);
      } finally {
        ws2.send(JSON.stringify({ t: 'unsub', id: 1 }));
        ws2.close();
        await allowed.close();
      }
    });
  });
});
