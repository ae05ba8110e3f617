import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { withCreateLock } from './create-lock';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-lock-test-'));
const lockDir = path.join(root, 'create.lock');
afterEach(() => {
  vi.useRealTimers();
  fs.rmSync(lockDir, { recursive: true, force: true });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('creation lock', () => {
  it('holds the lock while the work runs and releases it afterwards, even on failure', async () => {
    await withCreateLock(async () => expect(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8')).toBe(String(process.pid)), { lockDir });
    expect(fs.existsSync(lockDir)).toBe(false);
    await expect(withCreateLock(async () => Promise.reject(new Error('boom')), { lockDir })).rejects.toThrow('boom');
    expect(fs.existsSync(lockDir)).toBe(false);
  });

  it('takes over a lock whose owner died', async () => {
    fs.mkdirSync(lockDir);
    fs.writeFileSync(path.join(lockDir, 'pid'), '2147483646');
    expect(await withCreateLock(async () => 'ran', { lockDir })).toBe('ran');
  });

  it('waits for a live owner, says so, and gives up with TIMEOUT', async () => {
    vi.useFakeTimers();
    fs.mkdirSync(lockDir);
    fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
    const onWait = vi.fn();
    const work = vi.fn();
    const attempt = withCreateLock(work, { lockDir, timeoutMs: 1000, onWait });
    const outcome = expect(attempt).rejects.toMatchObject({ code: 'TIMEOUT' });
    await vi.advanceTimersByTimeAsync(1500);
    await outcome;
    expect(onWait).toHaveBeenCalledTimes(1);
    expect(work).not.toHaveBeenCalled();
  });

  it('stops waiting when cancelled', async () => {
    vi.useFakeTimers();
    fs.mkdirSync(lockDir);
    fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
    const abort = new AbortController();
    const attempt = withCreateLock(async () => 'ran', { lockDir, signal: abort.signal });
    const outcome = expect(attempt).rejects.toMatchObject({ code: 'CANCELLED' });
    abort.abort();
    await vi.advanceTimersByTimeAsync(200);
    await outcome;
  });
});
