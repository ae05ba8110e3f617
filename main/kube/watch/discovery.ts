import type { ResourceRef } from '../../../shared/models/views-watch';
import type { KubeClient } from '../kube-client';
import { isNotServed } from './errors';
import { builtin, type ResolvedResource } from './resource';

interface ApiGroup {
  versions?: { groupVersion: string; version: string }[];
  preferredVersion?: { version: string };
}

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/**
 * Resolves resources to the version and scope the server serves, so kinds from CRDs work
 * without being compiled in. Answers are cached per group until {@link invalidate} (called when
 * CRDs change), so a CRD installed after a watch started is found on the next resolve.
 */
export class Discovery {
  private readonly groups = new Map<string, Promise<Map<string, ResolvedResource[]> | null>>();

  constructor(
    private readonly client: () => Promise<KubeClient>,
    private readonly timeoutMs = 10_000,
  ) {}

  async resolve(ref: ResourceRef): Promise<ResolvedResource | null> {
    const known = builtin(ref);
    if (known) return known;
    if (!ref.group) return null;
    let pending = this.groups.get(ref.group);
    if (!pending) {
      pending = this.loadGroup(ref.group);
      this.groups.set(ref.group, pending);
      // A failed lookup (network) must not be remembered as "not served".
      pending.catch(() => this.groups.delete(ref.group));
    }
    const group = await pending;
    const candidates = group?.get(ref.plural) ?? [];
    return (ref.version ? candidates.find((c) => c.version === ref.version) : candidates[0]) ?? null;
  }

  /** Forgets what is known about `group` (or everything). */
  invalidate(group?: string): void {
    if (group === undefined) this.groups.clear();
    else this.groups.delete(group);
  }

  /** plural → served versions, the preferred version first; null when the group is not served. */
  private async loadGroup(group: string): Promise<Map<string, ResolvedResource[]> | null> {
    const client = await this.client();
    let info: ApiGroup;
    try {
      info = (await client.request<ApiGroup>({ path: `/apis/${group}`, timeoutMs: this.timeoutMs })).body;
    } catch (error) {
      if (isNotServed(error)) return null;
      throw error;
    }
    const preferred = info.preferredVersion?.version;
    const versions = (info.versions ?? []).map((v) => v.version).sort((a, b) => (a === preferred ? -1 : b === preferred ? 1 : 0));
    const byPlural = new Map<string, ResolvedResource[]>();
    for (const version of versions) {
      let list: ApiResourceList;
      try {
        list = (await client.request<ApiResourceList>({ path: `/apis/${group}/${version}`, timeoutMs: this.timeoutMs })).body;
      } catch (error) {
        if (isNotServed(error)) continue;
        throw error;
      }
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue; // subresources such as jobs/status
        const entry = { group, version, plural: r.name, kind: r.kind, namespaced: r.namespaced };
        byPlural.set(r.name, [...(byPlural.get(r.name) ?? []), entry]);
      }
    }
    return byPlural;
  }
}
