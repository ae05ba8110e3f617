import { isMap, isSeq, parseDocument } from 'yaml';
import { editKubeconfigFile } from '../../kube/kubeconfig-write';

/**
 * Removes the cluster, user and context named `name` from a kubeconfig file, keeping every other
 * entry and the file's comments; clears `current-context` only when it pointed at `name`. The
 * safety net behind `kwokctl delete cluster --kubeconfig`, for a half-created cluster kwokctl can
 * no longer load. Returns whether anything changed; a missing file is nothing to do. The file
 * is the user's kubeconfig: edited under kubectl's lock and replaced atomically.
 */
export function removeKubeconfigEntries(file: string, name: string): Promise<boolean> {
  return editKubeconfigFile(file, (text) => withoutEntries(text, name));
}

/** The pure part of {@link removeKubeconfigEntries}: new text, or null when `name` is absent. */
export function withoutEntries(text: string, name: string): string | null {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
  let changed = false;
  for (const key of ['clusters', 'users', 'contexts']) {
    const list = doc.get(key);
    if (!isSeq(list)) continue;
    const kept = list.items.filter((item) => !(isMap(item) && item.get('name') === name));
    if (kept.length !== list.items.length) {
      list.items = kept;
      changed = true;
    }
  }
  if (doc.get('current-context') === name) {
    doc.set('current-context', '');
    changed = true;
  }
  return changed ? doc.toString() : null;
}

/**
 * Points the cluster entry `name` at another local port, when its server is still the
 * `https://127.0.0.1:<from>` kwokctl wrote (a server the user changed is left alone). Keeps every
 * other entry and the comments. Returns whether the file changed; a missing file is nothing to do.
 * Locked and atomic, like {@link removeKubeconfigEntries}.
 */
export function moveServerPort(file: string, name: string, from: number, to: number): Promise<boolean> {
  return editKubeconfigFile(file, (text) => withServerPort(text, name, from, to));
}

/** The pure part of {@link moveServerPort}: new text, or null when there is nothing to change. */
export function withServerPort(text: string, name: string, from: number, to: number): string | null {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
  const clusters = doc.get('clusters');
  if (!isSeq(clusters)) return null;
  let changed = false;
  for (const item of clusters.items) {
    if (!isMap(item) || item.get('name') !== name) continue;
    const cluster = item.get('cluster');
    if (!isMap(cluster)) continue;
    const server = cluster.get('server');
    for (const host of ['127.0.0.1', 'localhost']) {
      if (server === `https://${host}:${from}`) {
        cluster.set('server', `https://${host}:${to}`);
        changed = true;
      }
    }
  }
  return changed ? doc.toString() : null;
}
