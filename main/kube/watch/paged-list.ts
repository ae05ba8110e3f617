import type { KubeObject } from '../../../shared/k8s/kube-object';
import { AppError } from '../../../shared/errors';
import type { KubeClient } from '../kube-client';
import { isGone } from './errors';
import { apiVersionOf, collectionPath } from '../resources/paths';
import type { ResolvedResource } from '../resources/resource-mapper';
import { slim } from './slim';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Items per page (the API server's `limit`). */
  pageSize?: number;
  /** Deadline of each page request. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** How often an expired continue token may restart the list from the top. */
  maxRestarts?: number;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  /** How many times the list restarted because its continue token expired. */
  restarts: number;
  pages: number;
}

interface KubeList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

/**
 * LISTs a collection in pages of `pageSize` (limit + continue), slimming each item as its page
 * arrives so a big cluster never sits in memory twice. A continue token that expired (410 Gone)
 * restarts the list from the top: pages of different snapshots must never be mixed.
 */
export async function listAll(client: KubeClient, resource: ResolvedResource, options: ListOptions = {}): Promise<ListResult> {
  const path = collectionPath(resource, options.namespace);
  const apiVersion = apiVersionOf(resource);
  const maxRestarts = options.maxRestarts ?? 5;
  for (let restarts = 0; ; restarts++) {
    const items: KubeObject[] = [];
    let pages = 0;
    let token: string | undefined;
    let resourceVersion = '';
    try {
      do {
        const res = await client.request<KubeList>({
          path,
          query: { limit: options.pageSize ?? 500, continue: token, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
          timeoutMs: options.timeoutMs,
          signal: options.signal,
        });
        pages++;
        const list = res.body ?? {};
        for (const item of list.items ?? []) {
          // LIST items carry no kind/apiVersion; views need them to tell objects apart.
          item.kind ??= resource.kind;
          item.apiVersion ??= apiVersion;
          items.push(slim(item));
        }
        // The first page's resourceVersion is the snapshot every later page belongs to.
        if (!resourceVersion) resourceVersion = list.metadata?.resourceVersion ?? '';
        token = list.metadata?.continue || undefined;
      } while (token);
      return { items, resourceVersion, restarts, pages };
    } catch (error) {
      if (!(token && isGone(error))) throw error;
      if (restarts >= maxRestarts) {
        throw new AppError('KUBE_API_ERROR', `${client.contextName}: listing ${resource.plural} kept outliving its continue token (${restarts + 1} tries).`, {
          fix: 'The collection changes faster than it can be paged; Slipway retries with backoff.',
          details: { status: 410, path },
        });
      }
    }
  }
}
