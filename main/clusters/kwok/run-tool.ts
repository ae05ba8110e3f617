import { spawn, type ChildProcess } from 'node:child_process';
import { AppError } from '../../../shared/errors';
import { stripAnsi } from '../run-tool';

export interface ToolRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Every output line (stdout and stderr interleaved as they came). */
  lines: string[];
}

/**
 * Runs a tool to completion, handing each output line (ANSI escapes stripped) to `onLine`.
 * Aborting `signal` sends SIGTERM, then SIGKILL after `killAfterMs`, and rejects with CANCELLED
 * once the process is gone — never earlier, so callers can clean up what it left without racing it.
 */
export function runTool(
  file: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; signal?: AbortSignal; onLine?: (line: string) => void; onSpawn?: (child: ChildProcess) => void; killAfterMs?: number },
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new AppError('CANCELLED', 'The operation was cancelled.'));
    const child = spawn(file, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    options.onSpawn?.(child);
    const lines: string[] = [];
    const pending = { stdout: '', stderr: '' };
    const feed = (key: 'stdout' | 'stderr', chunk: Buffer) => {
      pending[key] += chunk.toString('utf8');
      const parts = pending[key].split('\n');
      pending[key] = parts.pop() ?? '';
      for (const line of parts) emit(line);
    };
    const emit = (raw: string) => {
      const line = stripAnsi(raw);
      if (!line.trim()) return;
      lines.push(line);
      if (lines.length > 2000) lines.splice(0, lines.length - 2000);
      options.onLine?.(line);
    };
    child.stdout.on('data', (c: Buffer) => feed('stdout', c));
    child.stderr.on('data', (c: Buffer) => feed('stderr', c));
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      aborted = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 3000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(
        error.code === 'ENOENT' || error.code === 'EACCES'
          ? new AppError('TOOL_NOT_FOUND', `Cannot run ${file}: ${error.code}.`, { fix: 'Check the path in Settings → Tools, or reinstall the tool.' })
          : new AppError('TOOL_FAILED', `Cannot run ${file}: ${error.message}`),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      emit(pending.stdout);
      emit(pending.stderr);
      if (aborted) reject(new AppError('CANCELLED', 'The operation was cancelled.'));
      else resolve({ code, signal, lines });
    });
  });
}
