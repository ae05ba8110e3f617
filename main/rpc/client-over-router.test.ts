import { describe, expect, it } from 'vitest';
import { contract, type SlipwayContract } from '../../shared/contract';
import { createRpcEndpoint, createTypedClient } from '../../shared/rpc-client';
import { AppError } from '../../shared/errors';
import { RpcRouter } from './router';
import { createHandlers } from './handlers/index';
import { silentLogger } from '../logger';
import { tempDir, testServices } from '../../test/support/fixtures';

function connect() {
  const t = tempDir();
  const services = testServices({ HOME: t.dir }, t.dir);
  const router = new RpcRouter(contract, createHandlers(services), silentLogger);
  const box: { endpoint?: ReturnType<typeof createRpcEndpoint> } = {};
  let online = true;
  const session = router.openSession((m) => online && queueMicrotask(() => box.endpoint!.receive(JSON.parse(JSON.stringify(m)))), { face: 'serve', peer: 't' });
  const endpoint = createRpcEndpoint((m) => {
    if (!online) throw new Error('offline');
    queueMicrotask(() => session.receive(JSON.parse(JSON.stringify(m))));
  });
  box.endpoint = endpoint;
  const client = createTypedClient<SlipwayContract>(endpoint);
  return {
    client,
    endpoint,
    setOnline: (v: boolean) => (online = v),
    close: () => {
      session.dispose();
      services.dispose();
      t.cleanup();
    },
  };
}

describe('typed client over the wire format', () => {
  it('calls methods, receives subscription payloads, and surfaces AppErrors', async () => {
    const { client, close } = connect();
    try {
      expect((await client.call('app.getInfo', {})).face).toBe('serve');
      const seen: string[] = [];
      const unsubscribe = client.subscribe('settings.onDidChange', {}, (s) => seen.push(s.theme));
      await client.call('settings.update', { theme: 'dark' });
      await expect.poll(() => seen).toEqual(['dark']);
      unsubscribe();
      await client.call('settings.update', { theme: 'light' });
      await new Promise((r) => setTimeout(r, 5));
      expect(seen).toEqual(['dark']);
      const error = await client.call('settings.update', { theme: 'x' as 'dark' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INVALID_ARGUMENT');
    } finally {
      close();
    }
  });

  it('fails pending calls with UNAVAILABLE when the transport drops', async () => {
    const { client, endpoint, setOnline, close } = connect();
    try {
      setOnline(false);
      await expect(client.call('app.getInfo', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      endpoint.disconnected();
    } finally {
      close();
    }
  });
});
