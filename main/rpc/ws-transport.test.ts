import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger';
import { MAX_BUFFERED_BYTES, checkUpgrade, sendWithBackpressure } from './ws-transport';
import { hostPolicy } from '../serve';

describe('WebSocket sends under backpressure', () => {
  const socket = (bufferedAmount: number) => ({ readyState: 1 as const, OPEN: 1 as const, bufferedAmount, send: vi.fn(), close: vi.fn() });

  it('sends while the peer reads, and closes a peer that stopped reading instead of buffering without bound', () => {
    const reading = socket(1024);
    sendWithBackpressure(reading, { t: 'ok', id: 1, result: null }, 'p', silentLogger);
    expect(reading.send).toHaveBeenCalledWith('{"t":"ok","id":1,"result":null}');
    const stalled = socket(MAX_BUFFERED_BYTES + 1);
    sendWithBackpressure(stalled, { t: 'ev', id: 2, payload: 'x' }, 'p', silentLogger);
    expect(stalled.send).not.toHaveBeenCalled();
    expect(stalled.close).toHaveBeenCalledWith(1013, expect.any(String));
  });
});

describe('upgrade checks', () => {
  const options = { token: 't', scheme: 'http' as const, isAllowedHost: hostPolicy('127.0.0.1', false) };
  const req = (host: string, origin?: string) => ({ url: '/rpc?token=t', headers: { host, ...(origin ? { origin } : {}) } });

  it('derives the allowed Origin from a loopback Host, on any port, and refuses other hosts', () => {
    expect(checkUpgrade(req('localhost:9000', 'http://localhost:9000'), options)).toEqual({ ok: true });
    expect(checkUpgrade(req('127.0.0.1:7420', 'http://127.0.0.1:7420'), options)).toEqual({ ok: true });
    expect(checkUpgrade(req('[::1]:7420', 'http://[::1]:7420'), options)).toEqual({ ok: true });
    expect(checkUpgrade(req('localhost:9000', 'http://localhost:9001'), options)).toMatchObject({ ok: false, status: 403 });
    expect(checkUpgrade(req('evil.example:7420', 'http://evil.example:7420'), options)).toMatchObject({ ok: false, status: 421 });
    expect(checkUpgrade(req('127.0.0.1.evil.example', undefined), options)).toMatchObject({ ok: false, status: 421 });
    expect(checkUpgrade(req('', undefined), options)).toMatchObject({ ok: false, status: 421 });
  });

  it('when exposed, also answers for the bound name, and for any name when bound to every interface', () => {
    expect(hostPolicy('gpu-box.lan', true)('gpu-box.lan:7420')).toBe(true);
    expect(hostPolicy('gpu-box.lan', true)('evil.example:7420')).toBe(false);
    expect(hostPolicy('0.0.0.0', true)('10.0.0.5:7420')).toBe(true);
    expect(hostPolicy('127.0.0.1', false)('10.0.0.5:7420')).toBe(false);
  });
});
