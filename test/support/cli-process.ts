import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const exec = promisify(execFile);

/** A `slipway` CLI running as its own process, with its output so far and its exit. */
export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** stdout and stderr, interleaved as they arrived. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Bundles the CLI from source with esbuild (what `npm run build` makes of it, with the same
 * `main()` entry the bin calls) and starts it as a real process, so signals reach the real
 * handlers and every dependency's own hooks, as they do for a user.
 */
export async function spawnCli(argv: string[], env: NodeJS.ProcessEnv): Promise<CliProcess> {
  // A folder of its own (at the same depth as out/main): suites running side by side must not
  // overwrite a bundle another process is loading.
  fs.mkdirSync(path.join(root, 'out'), { recursive: true });
  const outDir = fs.mkdtempSync(path.join(root, 'out', 'test-cli-'));
  await exec(
    path.join(root, 'node_modules/.bin/esbuild'),
    [
      'main/cli.ts',
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--packages=external',
      `--outfile=${path.join(outDir, 'cli.mjs')}`,
      '--log-level=error',
    ],
    { cwd: root },
  );
  fs.writeFileSync(path.join(outDir, 'run.mjs'), "import { main } from './cli.mjs';\nawait main();\n");
  const child = spawn(process.execPath, [path.join(outDir, 'run.mjs'), ...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      fs.rmSync(outDir, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  return { child, output: () => out, exited };
}
