import path from 'node:path';
import { execa } from 'execa';

const MARKER = '__SLIPWAY_PATH__';

export interface LoginShellPathOptions {
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** The shell to ask; defaults to $SHELL, then /bin/zsh on macOS and /bin/bash elsewhere. */
  shell?: string;
  timeoutMs?: number;
}

/**
 * The PATH a login shell would have. A GUI app started from the dock or a desktop launcher gets a
 * minimal PATH (/usr/bin:/bin…) without Homebrew, ~/.local/bin, asdf shims or the directories of
 * kubeconfig credential plugins, so tools "installed" for the user are not found (lens#6563).
 *
 * Runs `$SHELL -ilc` once, printing PATH between markers so that whatever the user's rc files
 * print around it is ignored. Returns undefined on Windows, on timeout or on any failure: callers
 * then keep the PATH they have.
 */
export async function loginShellPath(options: LoginShellPathOptions): Promise<string | undefined> {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') return undefined;
  const shell = options.shell ?? options.env.SHELL ?? (platform === 'darwin' ? '/bin/zsh' : '/bin/bash');
  try {
    const result = await execa(shell, ['-ilc', `printf '${MARKER}%s${MARKER}' "$PATH"`], {
      env: { ...options.env, TERM: 'dumb', DISABLE_AUTO_UPDATE: 'true' },
      extendEnv: false,
      timeout: options.timeoutMs ?? 5_000,
      stdin: 'ignore',
      reject: false,
    });
    const match = new RegExp(`${MARKER}(.*?)${MARKER}`, 's').exec(String(result.stdout ?? ''));
    return match?.[1]?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Joins PATH lists, keeping the first occurrence of each directory and dropping empties. */
export function mergePathLists(...lists: (string | undefined)[]): string {
  const seen = new Set<string>();
  for (const list of lists) {
    for (const dir of (list ?? '').split(path.delimiter)) {
      if (dir) seen.add(dir);
    }
  }
  return [...seen].join(path.delimiter);
}
