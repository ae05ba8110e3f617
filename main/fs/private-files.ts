/**
 * The one way Slipway writes its own files (history, captures, exports, settings): owner-only
 * (0600 files in 0700 folders, whatever the umask), atomic (a temp file renamed over the target,
 * so a crash never leaves half a file) and durable (the file and its folder are fsynced before
 * the call returns, so a record written ahead of an apply survives a power cut).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates `dir` (and missing parents) as 0700, and tightens `dir` itself to 0700 when it already
 * existed with a wider mode. Parents that existed are left alone (a home folder is not ours).
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if ((fs.statSync(dir).mode & 0o777) !== PRIVATE_DIR_MODE) fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Tightens an existing file to 0600 (a file written before Slipway wrote owner-only); a missing file is fine. */
export function tightenPrivateFile(file: string): void {
  try {
    if ((fs.statSync(file).mode & 0o777) !== PRIVATE_FILE_MODE) fs.chmodSync(file, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Writes `data` to `file` as 0600, atomically and durably; the folder is made private first. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  ensurePrivateDir(path.dirname(file));
  writeFileAtomically(file, data, PRIVATE_FILE_MODE);
}

/**
 * Writes `data` to `file` with exactly `mode`: a temp file (O_EXCL, random name: nobody can have
 * planted it or a link in its place), fsynced, renamed over the target, and the folder fsynced.
 */
export function writeFileAtomically(file: string, data: string | Uint8Array, mode: number): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
  try {
    fs.writeFileSync(fd, data);
    // The mode given to open is masked by the umask: set it exactly.
    fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  syncDir(dir);
}

/** Makes a rename in `dir` durable; platforms that cannot open a folder (Windows) skip it. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // EISDIR/EPERM on Windows: the rename is as durable as the platform makes it
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
