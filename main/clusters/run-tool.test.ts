import { describe, expect, it } from 'vitest';
import type { AppError } from '../../shared/errors';
import { runTool as runKwokTool } from './kwok/run-tool';
import { runTool } from './run-tool';

/**
 * A tool that logs like k3d: coloured levels whether or not it writes to a terminal, INFO on
 * stdout and errors on stderr, then exits 1. One escape sequence is split across two writes.
 */
const COLOURED_TOOL = `
const out = (fd, text) => require('node:fs').writeSync(fd, text);
out(1, '\\x1b[36mINFO\\x1b[0m[0000] Prep: Network                                \\n');
out(2, '\\x1b[31mERRO\\x1b[0m[0000] Failed Cluster Preparation: no Docker \\n');
out(1, '\\x1b[3');
setTimeout(() => {
  out(1, '6mINFO\\x1b[0m[0000] Deleting cluster \\'gk\\'\\n');
  out(2, '\\x1b[31mFATA\\x1b[0m[0000] Cluster creation \\x1b[1mFAILED\\x1b[22m!');
  process.exit(1);
}, 50);
`;
const args = ['-e', COLOURED_TOOL];
const env = { PATH: process.env.PATH };

describe('tool output reaches Slipway without ANSI escape sequences', () => {
  it('runTool: progress lines, the error tail and message, stdout and stderr', async () => {
    const lines: string[] = [];
    const error = (await runTool(process.execPath, args, { env, label: 'k3d cluster create', onLine: (l) => lines.push(l) }).catch((e) => e)) as AppError;
    expect(lines.map((l) => l.trimEnd()).sort()).toEqual(
      ['INFO[0000] Prep: Network', 'ERRO[0000] Failed Cluster Preparation: no Docker', "INFO[0000] Deleting cluster 'gk'", 'FATA[0000] Cluster creation FAILED!'].sort(),
    );
    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toContain("\nINFO[0000] Deleting cluster 'gk'");
    expect(error.message).toContain('\nFATA[0000] Cluster creation FAILED!');
    expect(error.message).not.toContain('\x1b');
    expect((error.details as { tail: string[] }).tail.join('\n')).not.toContain('\x1b');

    const result = await runTool(process.execPath, args, { env, allowFailure: true });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("INFO[0000] Prep: Network                                \nINFO[0000] Deleting cluster 'gk'\n");
    expect(result.stderr).toBe('ERRO[0000] Failed Cluster Preparation: no Docker \nFATA[0000] Cluster creation FAILED!');
  });

  it('the kwokctl runner hands on plain lines too', async () => {
    const lines: string[] = [];
    const run = await runKwokTool(process.execPath, args, { env, onLine: (l) => lines.push(l) });
    expect(run.code).toBe(1);
    expect(run.lines).toEqual(lines);
    expect(lines.map((l) => l.trimEnd()).sort()).toEqual(
      ['INFO[0000] Prep: Network', 'ERRO[0000] Failed Cluster Preparation: no Docker', "INFO[0000] Deleting cluster 'gk'", 'FATA[0000] Cluster creation FAILED!'].sort(),
    );
  });
});
