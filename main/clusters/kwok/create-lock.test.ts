import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { defaultLockDir, withCreateLock } from './create-lock';

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

describe('creation lock location', () => {
  it('sits in the user\'s own config folder, not in the shared temp folder, whatever SLIPWAY_CONFIG_DIR says', () => {
    expect(defaultLockDir({ XDG_CONFIG_HOME: '/home/u/.config' }, 'linux')).toBe('/home/u/.config/Slipway/locks/kwok-create.lock');
    expect(defaultLockDir({ XDG_CONFIG_HOME: '/home/u/.config', SLIPWAY_CONFIG_DIR: '/elsewhere' }, 'linux')).toBe('/home/u/.config/Slipway/locks/kwok-create.lock');
    expect(defaultLockDir().startsWith(os.tmpdir())).toBe(false);
  });

  it('is not blocked by a lock another local user planted at the old /tmp path', async () => {
    const planted = path.join(os.tmpdir(), 'slipway-kwok-create.lock');
    const existed = fs.existsSync(planted);
    if (!existed) {
      fs.mkdirSync(planted);
      // A live pid (this one): the old code waited for it until its 300 s timeout.
      fs.writeFileSync(path.join(planted, 'pid'), String(process.pid));
    }
    try {
      expect(await withCreateLock(async () => 'ran', { timeoutMs: 1_000 })).toBe('ran');
      const parent = path.dirname(defaultLockDir());
      expect(fs.statSync(parent).mode & 0o777).toBe(0o700);
    } finally {
      if (!existed) fs.rmSync(planted, { recursive: true, force: true });
    }
  });
});
