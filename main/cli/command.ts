import type { ParseArgsConfig } from 'node:util';
import type { Services } from '../services';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** What a command gets: parsed flags, positionals, lazily built services and output helpers. */
export interface CliContext {
  positionals: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  services(): Services;
  /** Writes a command's result: JSON when `--json`, else the text from `text()`. */
  print(result: unknown, text: () => string): void;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Aborted on Ctrl-C: long commands stop and clean up. */
  signal: AbortSignal;
}

/** One `slipway` command. `path` is its words, e.g. ['cluster', 'create']. */
export interface CliCommand {
  path: string[];
  summary: string;
  usage: string;
  options?: OptionSpec;
  /** Returns the exit code (0 when omitted). Throws AppError for failures. */
  run(ctx: CliContext): Promise<number | void>;
}

/** Left-aligned columns with two spaces between; for human output. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
