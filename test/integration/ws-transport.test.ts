import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServe, type ServeHandle } from '../../main/serve';
import type { Services } from '../../main/services';
import type { Logger } from '../../main/logger';
import { tempDir, testServices } from '../support/fixtures';
import { createServices } from '../../main/services';
import { createSettingsFile } from '../../main/settings/settings-file';

/** Opens a socket and resolves with the HTTP status of a refused upgrade, or 101 when accepted. */
function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', (error) => reject(error));
  });
}

describe('WebSocket transport', () => {
  const tmp = tempDir();
  let services: Services;
  let serve: ServeHandle;
  const warnings: string[] = [];

  beforeAll(async () => {
    const log: Logger = { info() {}, warn: (m) => warnings.push(m), error() {} };
    const configDir = path.join(tmp.dir, 'config');
    services = createServices({ ...testServices({ HOME: tmp.dir }, configDir).platform, log, settingsBackend: createSettingsFile(configDir) });
    serve = await startServe({ services, port: 0, rendererDir: path.join(tmp.dir, 'no-renderer') });
  });
  afterAll(async () => {
    await serve.close();
    services.dispose();
    tmp.cleanup();
  });

  const base = () => `ws://127.0.0.1:${serve.port}/rpc`;

  it('listens on loopback only, with a long random token', () => {
    expect(serve.host).toBe('127.0.0.1');
    expect(serve.token.length).toBeGreaterThanOrEqual(40);
    expect(serve.url).toBe(`http://127.0.0.1:${serve.port}/?token=${serve.token}`);
  });

  it('refuses a missing or wrong token with 401 and logs it', async () => {
    expect(await upgradeStatus(base())).toBe(401);
    expect(await upgradeStatus(`${base()}?token=${serve.token.slice(0, -1)}x`)).toBe(401);
    expect(warnings.some((w) => w.includes('missing or wrong token'))).toBe(true);
  });

  it('refuses a foreign Origin with 403 even with the right token, and logs it', async () => {
    expect(await upgradeStatus(`${base()}?token=${serve.token}`, 'https://evil.example')).toBe(403);
    expect(await upgradeStatus(`${base()}?token=${serve.token}`, `http://127.0.0.1:${serve.port + 1}`)).toBe(403);
    expect(warnings.some((w) => w.includes('foreign Origin https://evil.example'))).toBe(true);
  });

  it('accepts the right token from the page origin and answers calls; validation errors carry codes', async () => {
    const ws = new WebSocket(`${base()}?token=${serve.token}`, { origin: `http://127.0.0.1:${serve.port}` });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const replies: unknown[] = [];
    ws.on('message', (data) => replies.push(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'app.getInfo', args: {} }));
    ws.send(JSON.stringify({ t: 'call', id: 2, method: 'settings.update', args: { theme: 'purple' } }));
    ws.send('not json');
    await expect.poll(() => replies.length).toBe(3);
    expect(replies).toContainEqual({ t: 'bad', error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) });
    expect(replies).toContainEqual(expect.objectContaining({ t: 'ok', id: 1, result: expect.objectContaining({ face: 'serve' }) }));
    expect(replies).toContainEqual(expect.objectContaining({ t: 'err', id: 2, error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) }));
    ws.close();
  });

  it('refuses to listen on a non-loopback host without --unsafe-expose', async () => {
    await expect(startServe({ services, host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('reports a busy explicit port as PORT_IN_USE', async () => {
    await expect(startServe({ services, port: serve.port })).rejects.toMatchObject({ code: 'PORT_IN_USE' });
  });
});
