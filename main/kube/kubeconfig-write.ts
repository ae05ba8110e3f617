import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../shared/errors';
import { PRIVATE_FILE_MODE, writeFileAtomically } from '../fs/private-files';

/** How long an edit waits for another writer (kubectl, kwokctl, another Slipway) to finish. */
export const KUBECONFIG_LOCK_TIMEOUT_MS = 10_000;

/**
 * Edits a kubeconfig file the way kubectl does, so that neither loses the other's change: under
 * `<file>.lock` (created exclusively — client-go's own lock file, so kubectl and kwokctl wait for
 * Slipway and Slipway waits for them), and replaced atomically (a temp file in the same folder,
 * fsynced, renamed over the real file, keeping its mode; 0600 for a new mode), so a crash or a
 * concurrent reader never sees half a file. A symlinked file is edited where the link points.
 *
 * `edit` gets the current text and returns the new text, or null for "nothing to change".
 * Returns whether the file changed; a missing file is nothing to do.
 */
export async function editKubeconfigFile(
  file: string,
  edit: (text: string) => string | null,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<boolean> {
  if (!fs.existsSync(file)) return false;
  const lock = `${file}.lock`;
  await acquire(lock, options.timeoutMs ?? KUBECONFIG_LOCK_TIMEOUT_MS, options.signal);
  try {
    let real: string;
    let text: string;
    try {
      real = fs.realpathSync(file);
      text = fs.readFileSync(real, 'utf8');
    } catch {
      return false;
    }
    const next = edit(text);
    if (next === null || next === text) return false;
    writeAtomically(real, next);
    return true;
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

async function acquire(lock: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx', 0o600));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (Date.now() >= deadline) {
      throw new AppError('TIMEOUT', `${lock} is held by another program editing the kubeconfig.`, {
        fix: `Wait for kubectl or kwokctl to finish; if none is running, remove ${lock}.`,
      });
    }
    await sleep(50, undefined, { signal });
  }
}

/** Writes `text` to `file` by temp file + fsync + rename, keeping the file's mode (0600 when new). */
export function writeAtomically(file: string, text: string): void {
  let mode = PRIVATE_FILE_MODE;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch {
    // new file: private
  }
  writeFileAtomically(file, text, mode);
}
