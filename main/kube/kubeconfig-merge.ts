import type { KubeconfigCluster, KubeconfigContext, KubeconfigFile, KubeconfigUser } from './kubeconfig-schema';

interface Sourced<T> {
  name: string;
  value: T;
  /** The file this entry came from. */
  file: string;
}

/** The merged view of several kubeconfig files. */
export interface MergedKubeconfig {
  currentContext: string;
  clusters: Map<string, Sourced<KubeconfigCluster>>;
  users: Map<string, Sourced<KubeconfigUser>>;
  contexts: Map<string, Sourced<KubeconfigContext>>;
}

/**
 * Merges files as kubectl does for KUBECONFIG: for every cluster, user and context name the first
 * file that defines it wins, later definitions are ignored; `current-context` comes from the
 * first file that sets one.
 */
export function mergeKubeconfigs(files: { file: string; config: KubeconfigFile }[]): MergedKubeconfig {
  const merged: MergedKubeconfig = { currentContext: '', clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const { file, config } of files) {
    if (!merged.currentContext && config['current-context']) merged.currentContext = config['current-context'];
    for (const entry of config.clusters ?? []) addFirst(merged.clusters, entry.name, entry.cluster as KubeconfigCluster, file);
    for (const entry of config.users ?? []) addFirst(merged.users, entry.name, entry.user as KubeconfigUser, file);
    for (const entry of config.contexts ?? []) addFirst(merged.contexts, entry.name, entry.context as KubeconfigContext, file);
  }
  return merged;
}

function addFirst<T>(map: Map<string, Sourced<T>>, name: string, value: T, file: string) {
  if (!map.has(name)) map.set(name, { name, value, file });
}
