import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';
import { AppError } from '../../shared/errors';

/** How many of a tool's last output lines an error carries. */
export const TAIL_LINES = 15;

export interface RunToolOptions {
  /** Written to the tool's stdin (e.g. a kind config for `--config -`). */
  input?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Each output line (stdout and stderr, in arrival order) as it arrives. */
  onLine?: (line: string) => void;
  /** Kill the tool after this long; undefined = no deadline (cluster creation can take minutes). */
  timeoutMs?: number;
  /** Non-zero exits are returned instead of thrown (for probes like `docker info`). */
  allowFailure?: boolean;
  /** Words for the error message, e.g. "kind create cluster". Defaults to the tool and first args. */
  label?: string;
  /** What to tell the user when the tool fails; defaults to a generic hint. */
  fix?: string;
}

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The last {@link TAIL_LINES} non-empty lines of stdout+stderr, interleaved as they arrived. */
  tail: string[];
}

/**
 * Text without terminal escape sequences (colours, cursor moves). Some tools colour their output
 * even when it is not a terminal (k3d always does), and Slipway shows tool output as plain text:
 * progress lines, error tails and messages.
 */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}

/** The last `n` non-empty lines of some output. */
export function lastLines(text: string, n = TAIL_LINES): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .slice(-n);
}

/**
 * Runs an external tool without a shell, streaming its lines and keeping its last ones, so every
 * failure can say what the tool itself said. Lines, tail, stdout and stderr come without ANSI
 * escape sequences. Cancelling the signal stops the tool (SIGTERM, then SIGKILL after 5 s) and
 * throws CANCELLED.
 */
export async function runTool(file: string, args: string[], options: RunToolOptions = {}): Promise<ToolResult> {
  const all: string[] = [];
  const label = options.label ?? [file.split(/[\\/]/).pop(), ...args.slice(0, 2)].join(' ');
  const child = execa(file, args, {
    input: options.input,
    env: options.env,
    extendEnv: false,
    cancelSignal: options.signal,
    forceKillAfterDelay: 5_000,
    timeout: options.timeoutMs,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 64 * 1024 * 1024,
    // stdin stays a pipe only when we have input: tools that probe for a TTY must not block.
    stdin: options.input === undefined ? 'ignore' : 'pipe',
  });
  const take = (line: string) => {
    all.push(line);
    if (all.length > 400) all.splice(0, all.length - 200);
    options.onLine?.(line);
  };
  // Each stream keeps its own unfinished line, so a line never mixes bytes of stdout and stderr
  // (and an escape sequence split between two writes is whole again before it is stripped).
  const partial = { stdout: '', stderr: '' };
  for (const key of ['stdout', 'stderr'] as const) {
    child[key]?.on('data', (chunk: Buffer) => {
      const lines = (partial[key] + chunk.toString()).split(/\r?\n/);
      partial[key] = lines.pop() ?? '';
      for (const line of lines) take(stripAnsi(line));
    });
  }
  const result = await child;
  for (const rest of [partial.stdout, partial.stderr]) if (rest) take(stripAnsi(rest));
  const tail = all.map((l) => l.trimEnd()).filter(Boolean).slice(-TAIL_LINES);
  if (result.isCanceled || options.signal?.aborted) {
    throw new AppError('CANCELLED', `${label} was cancelled.`);
  }
  const error = result as unknown as { code?: string; failed?: boolean; timedOut?: boolean; exitCode?: number };
  if (error.code === 'ENOENT') {
    throw new AppError('TOOL_NOT_FOUND', `${label}: ${file} could not be started (not found).`, {
      fix: 'Install the tool or set its path in Settings → Tools.',
    });
  }
  if (error.timedOut) {
    throw new AppError('TIMEOUT', `${label} did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s.`, {
      fix: options.fix ?? 'Run it by hand to see what it waits for.',
      details: { tail },
    });
  }
  const exitCode = error.exitCode ?? (error.failed ? 1 : 0);
  const out = { exitCode, stdout: stripAnsi(String(result.stdout ?? '')), stderr: stripAnsi(String(result.stderr ?? '')), tail };
  if (exitCode !== 0 && !options.allowFailure) throw toolFailed(label, out, options.fix);
  return out;
}

/** A TOOL_FAILED error whose message ends with the tool's last output lines. */
export function toolFailed(label: string, result: Pick<ToolResult, 'exitCode' | 'tail'>, fix?: string): AppError {
  const tail = result.tail.length ? `\n${result.tail.join('\n')}` : '';
  return new AppError('TOOL_FAILED', `${label} failed (exit code ${result.exitCode}).${tail}`, {
    fix: fix ?? 'Read the tool output above; fix the cause and try again.',
    details: { exitCode: result.exitCode, tail: result.tail },
  });
}
