import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import type { LogChunk } from '../../shared/models/views-logs';
import { KubeClient } from '../kube/kube-client';
import { followLogs, getLogs } from './pod-logs';

/**
 * The pod log endpoint is a plain (chunked) text response; kwok pods have no container logs, so
 * a loopback server plays /api/v1/namespaces/NS/pods/POD/log with follow, tailLines and container.
 */
describe('pod logs', () => {
  let server: http.Server;
  let client: KubeClient;
  const seen: URL[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      seen.push(url);
      if (!url.pathname.endsWith('/pods/trainer-0/log')) {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Status', message: 'pods "nope" not found', reason: 'NotFound', code: 404 }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      if (url.searchParams.get('follow') !== 'true') return res.end('epoch 1 loss 0.9\nepoch 2 loss 0.5\n');
      // Lines split across chunks and a multi-byte character split across chunks.
      const parts = [Buffer.from('epoch 1 lo'), Buffer.from('ss 0.9\nepoch 2 — ok\n'.slice(0, 14)), Buffer.from('epoch 2 — ok\n'.slice(7)), Buffer.from('last line without newline')];
      let i = 0;
      const timer = setInterval(() => {
        if (i < parts.length) res.write(parts[i++]);
        else {
          clearInterval(timer);
          res.end();
        }
      }, 20);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const kc = new KubeConfig();
    kc.loadFromOptions({ clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }], users: [{ name: 'u', token: 't' }], contexts: [{ name: 'c', cluster: 'c', user: 'u' }], currentContext: 'c' });
    client = new KubeClient(kc, 'c');
  });
  afterAll(() => {
    client.dispose();
    server.close();
  });

  it('fetches a container log with its options', async () => {
    const text = await getLogs(client, { context: 'c', namespace: 'ml', pod: 'trainer-0', container: 'pytorch', tailLines: 100 });
    expect(text).toEqual({ text: 'epoch 1 loss 0.9\nepoch 2 loss 0.5\n', truncated: false });
    const url = seen.at(-1)!;
    expect(url.pathname).toBe('/api/v1/namespaces/ml/pods/trainer-0/log');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ container: 'pytorch', tailLines: '100', limitBytes: String(8 * 1024 * 1024) });
  });

  it('follows: whole lines in batches, then ended; a missing pod ends with the error', async () => {
    const chunks: LogChunk[] = [];
    await new Promise<void>((resolve) => {
      followLogs(client, { context: 'c', namespace: 'ml', pod: 'trainer-0' }, (c) => {
        chunks.push(c);
        if (c.type === 'ended') resolve();
      }, 30);
    });
    const lines = chunks.flatMap((c) => (c.type === 'lines' ? c.lines : []));
    expect(lines).toEqual(['epoch 1 loss 0.9', 'epoch 2 — ok', 'last line without newline']);
    expect(chunks.at(-1)).toEqual({ type: 'ended' });
    expect(seen.at(-1)!.searchParams.get('follow')).toBe('true');

    const failed = await new Promise<LogChunk>((resolve) => followLogs(client, { context: 'c', namespace: 'ml', pod: 'nope' }, (c) => c.type === 'ended' && resolve(c)));
    expect(failed).toMatchObject({ type: 'ended', error: { code: 'NOT_FOUND' } });
  });
});
