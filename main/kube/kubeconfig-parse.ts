import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { KubeconfigProblem } from '../../shared/models/contexts';
import {
  kubeconfigFileSchema,
  type KubeconfigCluster,
  type KubeconfigContext,
  type KubeconfigFile,
  type KubeconfigUser,
} from './kubeconfig-schema';

export type ParsedKubeconfig = { ok: true; file: string; config: KubeconfigFile } | { ok: false; problem: KubeconfigProblem };

/**
 * Parses one kubeconfig file's text. Errors name the file and, where the YAML parser or the
 * schema can point at it, the 1-based line. Relative paths inside the file (certificates, token
 * files, exec commands with a slash) are resolved against the file's folder, as kubectl does.
 */
export function parseKubeconfig(file: string, text: string): ParsedKubeconfig {
  if (text.trim() === '') return { ok: true, file, config: {} };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0]?.line;
    return { ok: false, problem: withLine({ file, message: `invalid YAML: ${firstLine(yamlError.message)}` }, line) };
  }
  let value: unknown;
  try {
    // An alias bomb (a billion laughs) stops here, for this file only: `yaml` refuses to expand
    // more than maxAliasCount aliases and throws, which must not take the other files down.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, problem: { file, message: `invalid YAML: ${firstLine((error as Error).message)}` } };
  }
  if (value === null || value === undefined) return { ok: true, file, config: {} };
  const result = kubeconfigFileSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number] } | undefined;
    const parentNode = doc.getIn(issue.path.slice(0, -1) as (string | number)[], true) as
      | { range?: [number, number] }
      | undefined;
    const offset = node?.range?.[0] ?? parentNode?.range?.[0];
    const line = offset === undefined ? undefined : lineCounter.linePos(offset).line;
    const where = issue.path.length ? issue.path.join('.') : '(root)';
    return { ok: false, problem: withLine({ file, message: `invalid kubeconfig at ${where}: ${issue.message}` }, line) };
  }
  return { ok: true, file, config: resolveRelativePaths(file, result.data) };
}

function withLine(problem: KubeconfigProblem, line: number | undefined): KubeconfigProblem {
  return line === undefined ? problem : { ...problem, line };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function resolveRelativePaths(file: string, config: KubeconfigFile): KubeconfigFile {
  const dir = path.dirname(file);
  const abs = (p: string | undefined) => (p && !path.isAbsolute(p) && !p.startsWith('~') ? path.resolve(dir, p) : p);
  const clusters = config.clusters?.map((entry) => ({
    ...entry,
    cluster: { ...(entry.cluster as KubeconfigCluster), 'certificate-authority': abs((entry.cluster as KubeconfigCluster)['certificate-authority']) },
  }));
  const users = config.users?.map((entry) => {
    const user = entry.user as KubeconfigUser;
    const resolved: KubeconfigUser = {
      ...user,
      'client-certificate': abs(user['client-certificate']),
      'client-key': abs(user['client-key']),
      tokenFile: abs(user.tokenFile),
    };
    // kubectl resolves an exec command relative to the file only when it names a path.
    if (user.exec && /[\\/]/.test(user.exec.command)) resolved.exec = { ...user.exec, command: abs(user.exec.command)! };
    return { ...entry, user: dropUndefined(resolved) };
  });
  return { ...config, clusters, users };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export type { KubeconfigCluster, KubeconfigContext, KubeconfigUser };
