import { AppError } from '../../../shared/errors';
import type { ResourceRef } from '../../../shared/models/views-watch';
import type { KubeClient } from '../kube-client';
import { builtinKind, builtinRef } from './builtin';
import { collectionPath, groupOf, objectPathOf } from './paths';

/** A resource as the server serves it (or as every server serves it, for built-ins). */
export interface ResolvedResource {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** What discovery says may be done with it; absent for built-ins answered from the table. */
  verbs?: string[];
}

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

interface ApiGroup {
  versions?: { groupVersion: string; version: string }[];
  preferredVersion?: { version: string };
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The one map from what objects say (apiVersion + kind) or what watches ask for (group +
 * plural) to the resource a server serves: plural, scope, verbs. Built-ins come from a static
 * table at once; everything else from discovery, one GET per group-version (and one per group
 * to learn its preferred version), cached until {@link invalidate} — called when CRDs change, so
 * a kind installed later is found on the next lookup. A lookup that failed (network, timeout)
 * is not remembered as "not served".
 */
export class ResourceMapper {
  private readonly groupVersions = new Map<string, Promise<ResolvedResource[] | null>>();
  private readonly groupVersionsOf = new Map<string, Promise<string[] | null>>();
  private readonly timeoutMs: number;

  /**
   * @param client the cluster to ask, or a factory (watches get their client lazily, and a
   *   factory that fails surfaces as the lookup's error).
   * @param options.timeoutMs deadline of each discovery request (default 15 s).
   */
  constructor(
    private readonly client: KubeClient | (() => Promise<KubeClient>),
    options: { timeoutMs?: number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The resource of `kind` at exactly `apiVersion`, or null when the server does not serve it. */
  async resolveKind(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResolvedResource | null> {
    const known = builtinKind(apiVersion, kind);
    if (known) return known;
    return (await this.groupVersion(apiVersion, signal))?.find((r) => r.kind === kind) ?? null;
  }

  /**
   * The resource of a plural ref: at `ref.version` when it names one, else at the group's
   * preferred version (other served versions after it). Null when the server does not serve it.
   */
  async resolveRef(ref: ResourceRef, signal?: AbortSignal): Promise<ResolvedResource | null> {
    const known = builtinRef(ref);
    if (known) return known;
    const versions = ref.version ? [ref.version] : ref.group ? await this.versionsOf(ref.group, signal) : ['v1'];
    for (const version of versions ?? []) {
      const apiVersion = ref.group ? `${ref.group}/${version}` : version;
      const found = (await this.groupVersion(apiVersion, signal))?.find((r) => r.plural === ref.plural);
      if (found) return found;
    }
    return null;
  }

  /** Like {@link resolveKind}, but a kind the server does not serve is a NOT_FOUND error saying what to do. */
  async requireKind(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResolvedResource> {
    const resource = await this.resolveKind(apiVersion, kind, signal);
    if (resource) return resource;
    const client = await this.getClient();
    throw new AppError('NOT_FOUND', `${client.contextName} does not serve ${kind} (${apiVersion}).`, {
      fix: 'Install the CRD (or the operator that provides it) in the cluster, or check the apiVersion and kind.',
    });
  }

  /**
   * A kind of a group at the group's preferred version, as a user names it (`apps`, `Deployment`)
   * without a version. NOT_FOUND, saying what to do, when the group or the kind is not served.
   */
  async requireGroupKind(group: string, kind: string, signal?: AbortSignal): Promise<{ apiVersion: string; resource: ResolvedResource }> {
    const version = await this.preferredVersion(group, signal);
    if (!version) {
      const client = await this.getClient();
      throw new AppError('NOT_FOUND', `${client.contextName} does not serve the API group ${group}.`, { fix: 'Install the CRD (or the operator that provides it), or check the group name.' });
    }
    const apiVersion = group ? `${group}/${version}` : version;
    return { apiVersion, resource: await this.requireKind(apiVersion, kind, signal) };
  }

  /**
   * The REST path of an object, or of the collection it would be created in when `name` is
   * omitted. A namespaced kind without a namespace is in `default`. Throws as {@link requireKind}.
   */
  async objectPath(ref: { apiVersion: string; kind: string; namespace?: string; name?: string }, signal?: AbortSignal): Promise<string> {
    const resource = await this.requireKind(ref.apiVersion, ref.kind, signal);
    return ref.name ? objectPathOf(resource, ref.namespace, ref.name) : collectionPath(resource, resource.namespaced ? (ref.namespace ?? 'default') : undefined);
  }

  /** Forgets what discovery said about `group` ('' is the core group), or about everything. */
  invalidate(group?: string): void {
    for (const apiVersion of [...this.groupVersions.keys()]) {
      if (group === undefined || groupOf(apiVersion) === group) this.groupVersions.delete(apiVersion);
    }
    if (group === undefined) this.groupVersionsOf.clear();
    else this.groupVersionsOf.delete(group);
  }

  private getClient(): Promise<KubeClient> {
    return typeof this.client === 'function' ? this.client() : Promise.resolve(this.client);
  }

  /** The resources of one group-version (subresources left out), or null when it is not served. */
  private groupVersion(apiVersion: string, signal?: AbortSignal): Promise<ResolvedResource[] | null> {
    return this.cached(this.groupVersions, apiVersion, async () => {
      const group = groupOf(apiVersion);
      const version = group ? apiVersion.slice(group.length + 1) : apiVersion;
      const list = await this.get<ApiResourceList>(group ? `/apis/${apiVersion}` : `/api/${apiVersion}`, signal);
      if (!list) return null;
      return (list.resources ?? [])
        .filter((r) => !r.name.includes('/')) // subresources such as jobs/status
        .map((r) => ({ group, version, plural: r.name, kind: r.kind, namespaced: r.namespaced, ...(r.verbs ? { verbs: r.verbs } : {}) }));
    });
  }

  /** A group's preferred served version (`v1` for the core group); null when the group is not served. */
  async preferredVersion(group: string, signal?: AbortSignal): Promise<string | null> {
    if (!group) return 'v1';
    return (await this.versionsOf(group, signal))?.[0] ?? null;
  }

  /** The served versions of a group, the preferred one first; null when the group is not served. */
  private versionsOf(group: string, signal?: AbortSignal): Promise<string[] | null> {
    return this.cached(this.groupVersionsOf, group, async () => {
      const info = await this.get<ApiGroup>(`/apis/${group}`, signal);
      if (!info) return null;
      const preferred = info.preferredVersion?.version;
      return (info.versions ?? []).map((v) => v.version).sort((a, b) => (a === preferred ? -1 : b === preferred ? 1 : 0));
    });
  }

  /** One request per key at a time; a rejected one is dropped so the next lookup asks again. */
  private cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let pending = cache.get(key);
    if (!pending) {
      pending = load();
      cache.set(key, pending);
      const settled = pending;
      settled.catch(() => {
        if (cache.get(key) === settled) cache.delete(key);
      });
    }
    return pending;
  }

  /** A discovery GET; 404 ("not served") is null. */
  private async get<T>(path: string, signal?: AbortSignal): Promise<T | null> {
    const client = await this.getClient();
    try {
      return (await client.request<T>({ path, signal, timeoutMs: this.timeoutMs })).body;
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }
}
