import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { isAlive } from './kwok-state';

/**
 * kwokctl picks free ports by probing and binds them only later, so two creations at the same
 * time — from the app, the CLI or parallel test files — could pick the same ports. One
 * machine-wide lock (a directory holding the owner's pid) serializes creations; a lock whose
 * owner died is taken over.
 */
export const DEFAULT_LOCK_DIR = path.join(os.tmpdir(), 'slipway-kwok-create.lock');

export async function withCreateLock<T>(
  fn: () => Promise<T>,
  options: { lockDir?: string; signal?: AbortSignal; timeoutMs?: number; onWait?: () => void } = {},
): Promise<T> {
  const lockDir = options.lockDir ?? DEFAULT_LOCK_DIR;
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let waited = false;
  for (;;) {
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'Cluster creation was cancelled.');
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockDir);
      // A holder that died between mkdir and writing its pid leaves a pid-less lock: stale after 10 s.
      if (holder !== null ? !isAlive(holder) : ageMs(lockDir) > 10_000) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new AppError('TIMEOUT', 'Another simulated cluster is still being created.', {
          fix: `Wait for it to finish, or remove ${lockDir} if no Slipway or kwokctl process is running.`,
        });
      }
      if (!waited) options.onWait?.();
      waited = true;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function ageMs(dir: string): number {
  try {
    return Date.now() - fs.statSync(dir).mtimeMs;
  } catch {
    return 0;
  }
}

function readHolder(lockDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
