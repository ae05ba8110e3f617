import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { resolveConfigDir } from '../../settings/config-dir';
import { isAlive } from './kwok-state';

/**
 * kwokctl picks free ports by probing and binds them only later, so two creations at the same
 * time — from the app, the CLI or parallel test files — could pick the same ports. One lock per
 * user (a directory holding the owner's pid) serializes creations; a lock whose owner died is
 * taken over.
 *
 * The lock lives in the user's own config folder (0700), not at a fixed path in the shared /tmp,
 * where any local user could create it first and block every creation. It is per user rather
 * than per SLIPWAY_CONFIG_DIR: two instances of one user with different config folders still
 * compete for the same ports.
 */
export function defaultLockDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const userConfig = resolveConfigDir({ ...env, SLIPWAY_CONFIG_DIR: undefined }, platform);
  return path.join(userConfig, 'locks', 'kwok-create.lock');
}

/** Makes the folder that holds a lock, private to the user (0700 even where it existed wider). */
function privateParent(lockDir: string): void {
  const parent = path.dirname(lockDir);
  fs.mkdirSync(parent, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') fs.chmodSync(parent, 0o700);
}

export async function withCreateLock<T>(
  fn: () => Promise<T>,
  options: { lockDir?: string; signal?: AbortSignal; timeoutMs?: number; onWait?: () => void } = {},
): Promise<T> {
  const lockDir = options.lockDir ?? defaultLockDir();
  if (options.lockDir === undefined) privateParent(lockDir);
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
