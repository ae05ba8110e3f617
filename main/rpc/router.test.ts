import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { event, method, task } from '../../shared/contract/define';
import { AppError } from '../../shared/errors';
import type { ServerMessage } from '../../shared/protocol';
import { toDisposable } from '../../shared/disposable';
import { silentLogger } from '../logger';
import type { Handlers } from './handlers';
import { RpcRouter } from './router';

const testContract = {
  math: {
    add: method<{ a: number; b: number }, number>(z.object({ a: z.number(), b: z.number() }).strict()),
    fail: method<Record<string, never>, never>(z.object({})),
    ticks: event<{ every: number }, number>(z.object({ every: z.number().positive() })),
    count: task<{ to: number }, { at: number }, { done: number }>(z.object({ to: z.number().int().min(1) })),
  },
} as const;

function setup(overrides: Partial<Handlers<typeof testContract>['math']> = {}) {
  const disposed = vi.fn();
  const handlers: Handlers<typeof testContract> = {
    math: {
      add: ({ a, b }) => a + b,
      fail: () => {
        throw new AppError('NOT_FOUND', 'nothing here', { fix: 'look elsewhere' });
      },
      ticks: (_params, emit) => {
        emit(1);
        emit(2);
        return toDisposable(disposed);
      },
      count: async ({ to }, io) => {
        for (let i = 1; i <= to; i++) {
          if (io.signal.aborted) throw new AppError('CANCELLED', 'stopped');
          io.progress({ at: i });
          await new Promise((r) => setTimeout(r, 1));
        }
        return { done: to };
      },
      ...overrides,
    },
  };
  const router = new RpcRouter(testContract, handlers, silentLogger);
  const sent: ServerMessage[] = [];
  const session = router.openSession((m) => sent.push(m), { face: 'serve', peer: 'test' });
  const next = async (predicate: (m: ServerMessage) => boolean) => {
    await vi.waitFor(() => expect(sent.some(predicate)).toBe(true));
    return sent.find(predicate)!;
  };
  return { session, sent, next, disposed };
}

describe('RpcRouter', () => {
  it('answers a valid call with ok', async () => {
    const { session, next } = setup();
    session.receive({ t: 'call', id: 1, method: 'math.add', args: { a: 2, b: 3 } });
    expect(await next((m) => m.id === 1)).toEqual({ t: 'ok', id: 1, result: 5 });
  });

  it('rejects invalid arguments with INVALID_ARGUMENT naming the field, without calling the handler', async () => {
    const add = vi.fn();
    const { session, next } = setup({ add });
    session.receive({ t: 'call', id: 2, method: 'math.add', args: { a: 'two', b: 3 } });
    const reply = await next((m) => m.id === 2);
    expect(reply.t).toBe('err');
    const error = (reply as Extract<ServerMessage, { t: 'err' }>).error;
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('a:');
    expect(add).not.toHaveBeenCalled();
  });

  it('rejects unknown fields on strict schemas', async () => {
    const { session, next } = setup();
    session.receive({ t: 'call', id: 3, method: 'math.add', args: { a: 1, b: 2, c: 3 } });
    expect(((await next((m) => m.id === 3)) as { error: { code: string } }).error.code).toBe('INVALID_ARGUMENT');
  });

  it('answers unknown methods and events-called-as-methods with UNKNOWN_METHOD', async () => {
    const { session, next } = setup();
    session.receive({ t: 'call', id: 4, method: 'math.nope', args: {} });
    session.receive({ t: 'call', id: 5, method: 'math.ticks', args: { every: 1 } });
    expect(((await next((m) => m.id === 4)) as { error: { code: string } }).error.code).toBe('UNKNOWN_METHOD');
    expect(((await next((m) => m.id === 5)) as { error: { code: string } }).error.code).toBe('UNKNOWN_METHOD');
  });

  it('carries AppError code, message and fix across the wire', async () => {
    const { session, next } = setup();
    session.receive({ t: 'call', id: 6, method: 'math.fail', args: {} });
    expect(await next((m) => m.id === 6)).toEqual({ t: 'err', id: 6, error: { code: 'NOT_FOUND', message: 'nothing here', fix: 'look elsewhere' } });
  });

  it('turns thrown non-AppErrors into INTERNAL', async () => {
    const { session, next } = setup({
      add: () => {
        throw new TypeError('boom');
      },
    });
    session.receive({ t: 'call', id: 7, method: 'math.add', args: { a: 1, b: 1 } });
    expect(((await next((m) => m.id === 7)) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'INTERNAL', message: 'boom' });
  });

  it('answers malformed envelopes that carry an id and ignores the rest', async () => {
    const { session, sent, next } = setup();
    session.receive({ t: 'call', id: 8 });
    session.receive('garbage');
    session.receive(null);
    expect(((await next((m) => m.id === 8)) as { error: { code: string } }).error.code).toBe('INVALID_ARGUMENT');
    expect(sent).toHaveLength(1);
  });

  it('streams event payloads and disposes the handler on unsub', async () => {
    const { session, sent, disposed } = setup();
    session.receive({ t: 'sub', id: 9, event: 'math.ticks', params: { every: 1 } });
    await vi.waitFor(() => expect(sent.filter((m) => m.t === 'ev')).toHaveLength(2));
    session.receive({ t: 'unsub', id: 9 });
    expect(disposed).toHaveBeenCalledTimes(1);
    expect(session.subscriptionCount).toBe(0);
  });

  it('disposes every subscription when the session ends', async () => {
    const { session, sent, disposed } = setup();
    session.receive({ t: 'sub', id: 10, event: 'math.ticks', params: { every: 1 } });
    await vi.waitFor(() => expect(sent.length).toBe(2));
    session.dispose();
    expect(disposed).toHaveBeenCalledTimes(1);
  });

  it('runs a task with progress and ends it with the result', async () => {
    const { session, sent, next } = setup();
    session.receive({ t: 'sub', id: 11, event: 'math.count', params: { to: 3 } });
    const end = await next((m) => m.t === 'end' && m.id === 11);
    expect(end).toEqual({ t: 'end', id: 11, result: { done: 3 } });
    expect(sent.filter((m) => m.t === 'ev').map((m) => (m as { payload: unknown }).payload)).toEqual([{ at: 1 }, { at: 2 }, { at: 3 }]);
  });

  it('cancels a task on unsub: its signal aborts and nothing more is sent', async () => {
    let seenSignal: AbortSignal | undefined;
    const { session, sent } = setup({
      count: async (_req, io) => {
        seenSignal = io.signal;
        await new Promise((resolve) => io.signal.addEventListener('abort', resolve));
        throw new AppError('CANCELLED', 'stopped');
      },
    });
    session.receive({ t: 'sub', id: 12, event: 'math.count', params: { to: 100 } });
    await vi.waitFor(() => expect(seenSignal).toBeDefined());
    session.receive({ t: 'unsub', id: 12 });
    expect(seenSignal!.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(sent.filter((m) => m.id === 12)).toHaveLength(0);
  });

  it('refuses to build a router whose handler table misses an entry', () => {
    expect(
      () =>
        new RpcRouter(
          testContract,
          // @ts-expect-error — `count` is missing, which must not compile.
          { math: { add: () => 1, fail: () => 1, ticks: () => toDisposable(() => {}) } },
          silentLogger,
        ),
    ).toThrow('No handler for math.count');
  });
});

// Compile-time checks of the contract typing: each line must be a type error.
export function typingChecks(h: Handlers<typeof testContract>) {
  // @ts-expect-error — a method handler must return the declared response type.
  const wrongResult: Handlers<typeof testContract>['math']['add'] = () => 'five';
  // @ts-expect-error — the request type is the schema's type, not anything.
  h.math.add({ a: '1', b: 2 }, { face: 'cli', peer: '' });
  return wrongResult;
}
