import os from 'node:os';
import path from 'node:path';

/**
 * The kubeconfig files to read, in merge order: every entry of `KUBECONFIG` (split on the
 * platform's path delimiter, empties dropped, duplicates once), else `~/.kube/config`; then the
 * extra files from settings.
 */
export function kubeconfigPaths(env: NodeJS.ProcessEnv, extra: readonly string[] = []): string[] {
  const fromEnv = (env.KUBECONFIG ?? '')
    .split(path.delimiter)
    .map((p) => p.trim())
    .filter(Boolean);
  const base = fromEnv.length ? fromEnv : [path.join(env.HOME ?? os.homedir(), '.kube', 'config')];
  return [...new Set([...base, ...extra].map(expandHome))];
}

/** The file kubectl writes new contexts into: the first KUBECONFIG entry, else ~/.kube/config. */
export function primaryKubeconfigPath(env: NodeJS.ProcessEnv): string {
  return kubeconfigPaths(env)[0]!;
}

function expandHome(p: string): string {
  return p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : path.resolve(p);
}
