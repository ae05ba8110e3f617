import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import { withThrottleRetry } from './throttle-retry';

const throttled = (retryAfterSeconds?: number) => new AppError('UNAVAILABLE', 'throttled', { details: { status: 429, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) } });

describe('withThrottleRetry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits the Retry-After the server asked for, then retries', async () => {
    const waits: number[] = [];
    let calls = 0;
    const work = withThrottleRetry(
      async () => {
        calls++;
        if (calls === 1) throw throttled(3);
        if (calls === 2) throw throttled();
        return 'done';
      },
      undefined,
      (s) => waits.push(s),
    );
    await vi.advanceTimersByTimeAsync(2999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(work).resolves.toBe('done');
    expect(waits).toEqual([3, 1]);
  });

  it('does not retry other errors and stops when cancelled', async () => {
    await expect(withThrottleRetry(async () => Promise.reject(new AppError('CONFLICT', 'c', { details: { status: 409 } })))).rejects.toThrow('c');
    const abort = new AbortController();
    const work = withThrottleRetry(async () => Promise.reject(throttled(10)), abort.signal);
    const settled = expect(work).rejects.toMatchObject({ code: 'CANCELLED' });
    await vi.advanceTimersByTimeAsync(100);
    abort.abort();
    await settled;
  });
});
