import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

export interface LocalShellOptions {
  /** KUBECONFIG files the app uses (merged in this order). */
  kubeconfigFiles: string[];
  /** The context `kubectl` in this shell should use. */
  context?: string;
  cols: number;
  rows: number;
  env: NodeJS.ProcessEnv;
  shell?: string;
}

export interface LocalShell {
  /** Whether a pseudo-terminal backs the shell (line editing, colours, full-screen programs). */
  pty: boolean;
  description: string;
  write(data: string): void;
  kill(): void;
}

/**
 * A kubeconfig that sets only `current-context`, put first in KUBECONFIG: kubectl takes the
 * first current-context it finds, and the credentials stay in the user's own files — no secret
 * is copied anywhere.
 */
export function contextSelectorFile(dir: string, context: string): string {
  const file = path.join(dir, 'context.yaml');
  fs.writeFileSync(file, `apiVersion: v1\nkind: Config\ncurrent-context: ${JSON.stringify(context)}\nclusters: []\ncontexts: []\nusers: []\n`, { mode: 0o600 });
  return file;
}

function hasScript(): boolean {
  return process.platform === 'linux' && fs.existsSync('/usr/bin/script');
}

/**
 * Starts the user's shell with KUBECONFIG pointing at the chosen context. A native PTY library
 * would need a compiler at install time, so on Linux util-linux `script` provides the PTY; where
 * it is missing the shell runs on pipes (commands work; line editing and resizing do not).
 * The Electron build may swap in node-pty here without changing the interface.
 */
export function startLocalShell(options: LocalShellOptions, onOutput: (data: string) => void, onExit: (code: number | null) => void): LocalShell {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-shell-'));
  const files = [...(options.context ? [contextSelectorFile(dir, options.context)] : []), ...options.kubeconfigFiles];
  const shell = options.shell ?? (process.platform === 'win32' ? 'powershell.exe' : options.env.SHELL || '/bin/bash');
  const env = { ...options.env, KUBECONFIG: files.join(path.delimiter), TERM: 'xterm-256color', COLUMNS: String(options.cols), LINES: String(options.rows) };
  const pty = hasScript();
  let child: ChildProcess;
  if (pty) {
    const inner = `stty cols ${options.cols} rows ${options.rows} 2>/dev/null; exec ${shell.replace(/[^\w/.-]/g, '')} -i`;
    child = spawn('/usr/bin/script', ['-q', '-f', '-e', '-c', inner, '/dev/null'], { env, cwd: options.env.HOME || os.homedir(), stdio: 'pipe' });
  } else {
    child = spawn(shell, process.platform === 'win32' ? [] : ['-i'], { env, cwd: options.env.HOME || os.homedir(), stdio: 'pipe' });
  }
  const out = new StringDecoder('utf8');
  const err = new StringDecoder('utf8');
  child.stdout?.on('data', (d: Buffer) => onOutput(out.write(d)));
  child.stderr?.on('data', (d: Buffer) => onOutput(err.write(d)));
  let done = false;
  const finish = (code: number | null) => {
    if (done) return;
    done = true;
    fs.rmSync(dir, { recursive: true, force: true });
    onExit(code);
  };
  child.once('exit', (code) => finish(code));
  child.once('error', () => finish(null));
  return {
    pty,
    description: `${path.basename(shell)}${options.context ? ` (kubectl context ${options.context})` : ''}`,
    // Pipes have no line discipline: turn the terminal's CR into the newline a shell reads.
    write: (data) => child.stdin?.write(pty ? data : data.replace(/\r/g, '\n')),
    kill: () => {
      if (child.exitCode === null) child.kill('SIGHUP');
      finish(child.exitCode);
    },
  };
}
