import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServeProcess {
  url: string;
  origin: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function requireBuild(suite: string): boolean {
  if (fs.existsSync(path.join(root, 'out/main/cli.js')) && fs.existsSync(path.join(root, 'out/renderer/index.html'))) return true;
  const message = `${suite}: needs the built app — run \`npm run build\``;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  process.stdout.write(`SKIPPED (${message})\n`);
  return false;
}

/** Starts `slipway serve --port 0 --json` as a real child process and waits for its URL. */
export async function startServeProcess(env: NodeJS.ProcessEnv, extraArgs: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.join(root, 'resources/cli/slipway.mjs'), 'serve', '--port', '0', '--json', ...extraArgs], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 30_000);
    const check = () => {
      const match = /"url":\s*"([^"]+)"/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code}:\n${out}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
