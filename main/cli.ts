/**
 * The `slipway` command: the same services as the app, no transport. Every command takes
 * `--json`; failures exit non-zero with one line on stderr: `slipway: [CODE] message — fix`.
 */
import { parseArgs } from 'node:util';
import { AppError, formatError, toAppError } from '../shared/errors';
import { commands } from './cli/registry';
import type { CliCommand, CliContext, OptionSpec } from './cli/command';
import { createConsoleLogger } from './logger';
import { createServices, type Services } from './services';
import { resolveConfigDir } from './settings/config-dir';
import { createSettingsFile } from './settings/settings-file';
import { SLIPWAY_VERSION } from './version';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const GLOBAL_OPTIONS: OptionSpec = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'allow-exec': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
};

/** Finds the command whose words are the longest prefix of `words`. */
function findCommand(words: string[]): CliCommand | undefined {
  let best: CliCommand | undefined;
  for (const command of commands) {
    const matches = command.path.every((part, i) => words[i] === part);
    if (matches && (!best || command.path.length > best.path.length)) best = command;
  }
  return best;
}

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  return [
    `slipway ${SLIPWAY_VERSION} — local GPU Kubernetes clusters, live ML workload state, promotion.`,
    '',
    'Usage: slipway <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Global flags: --json (machine-readable output), --allow-exec (run kubeconfig exec plugins), --help',
  ].join('\n');
}

/** Runs one invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  if (argv.includes('--version')) {
    io.stdout.write(`${SLIPWAY_VERSION}\n`);
    return 0;
  }
  const command = findCommand(words);
  if (!command) {
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || words[0] === 'help';
    if (wantsHelp) {
      io.stdout.write(helpText() + '\n');
      return 0;
    }
    io.stderr.write(`slipway: [INVALID_ARGUMENT] unknown command "${words.join(' ')}" — run \`slipway --help\` for the list.\n`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr.write(`slipway: [INVALID_ARGUMENT] ${(error as Error).message.split('\n')[0]} — usage: ${command.usage}\n`);
    return 2;
  }
  const flags = parsed.values as CliContext['flags'];
  if (flags.help) {
    io.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }
  const json = Boolean(flags.json);
  let services: Services | undefined;
  const abort = new AbortController();
  io.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  const ctx: CliContext = {
    positionals: parsed.positionals.slice(command.path.length),
    flags,
    json,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: abort.signal,
    services() {
      if (!services) {
        const configDir = resolveConfigDir(io.env);
        services = createServices({
          face: 'cli',
          version: SLIPWAY_VERSION,
          env: io.env,
          configDir,
          settingsBackend: createSettingsFile(configDir),
          // serve mode is a server: its refusals and failures are always logged.
          log: flags.verbose || command.path[0] === 'serve' ? createConsoleLogger('slipway', io.stderr) : { info() {}, warn() {}, error() {} },
          allowExec: Boolean(flags['allow-exec']),
        });
      }
      return services;
    },
    print(result, text) {
      io.stdout.write(json ? JSON.stringify(result, null, 2) + '\n' : text() + '\n');
    },
  };
  try {
    const code = await command.run(ctx);
    return code ?? 0;
  } catch (error) {
    const appError = toAppError(error);
    if (json) io.stdout.write(JSON.stringify({ error: appError.toWire() }) + '\n');
    io.stderr.write(`slipway: ${formatError(appError).replace(/\n/g, ' ')}\n`);
    return appError.code === 'INVALID_ARGUMENT' ? 2 : 1;
  } finally {
    services?.dispose();
  }
}

/** Entry for the `slipway` bin: wires process streams and Ctrl-C, then exits with the code. */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await runCli(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: abort.signal });
  process.exitCode = code;
  // Keep-alive sockets and timers of finished work must not hold the process open.
  setTimeout(() => process.exit(code), 50).unref();
}

export { AppError };
