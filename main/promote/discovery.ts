import { AppError } from '../../shared/errors';
import type { ObjectRef } from '../../shared/models/promote';
import type { KubeClient } from '../kube/kube-client';

export interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

interface ResourceList {
  resources: (ApiResource & { name: string })[];
}

/**
 * Discovery of one target for one promotion: which kinds exist (a missing kind means a missing
 * CRD), their plural names and scope. One GET per group-version, cached for the run.
 */
export class Discovery {
  private readonly groupVersions = new Map<string, Promise<Map<string, ApiResource> | null>>();

  constructor(private readonly client: KubeClient) {}

  /** The kinds of a group-version, or null when the target does not serve it. */
  private kinds(apiVersion: string, signal?: AbortSignal): Promise<Map<string, ApiResource> | null> {
    let pending = this.groupVersions.get(apiVersion);
    if (!pending) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      pending = this.client.request<ResourceList>({ path, signal, timeoutMs: 15_000 }).then(
        (res) => new Map(res.body.resources.filter((r) => !r.name.includes('/')).map((r) => [r.kind, r])),
        (error: unknown) => {
          if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
          this.groupVersions.delete(apiVersion);
          throw error;
        },
      );
      this.groupVersions.set(apiVersion, pending);
    }
    return pending;
  }

  /** The resource for a kind, or null when the target does not know it. */
  async resource(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ApiResource | null> {
    return (await this.kinds(apiVersion, signal))?.get(kind) ?? null;
  }

  /** Forgets what it learnt (after CRDs were created by the promotion). */
  reset(): void {
    this.groupVersions.clear();
  }

  /** The REST path of an object (collection path when `name` is omitted). */
  async pathOf(ref: Omit<ObjectRef, 'name'> & { name?: string }, signal?: AbortSignal): Promise<string> {
    const resource = await this.resource(ref.apiVersion, ref.kind, signal);
    if (!resource) {
      throw new AppError('NOT_FOUND', `${this.client.contextName} does not serve ${ref.kind} (${ref.apiVersion}).`, {
        fix: 'Install the CRD (or the operator that provides it) in the target, or remove the object from the bundle.',
      });
    }
    return resourcePath(ref, resource);
  }
}

export function resourcePath(ref: Omit<ObjectRef, 'name'> & { name?: string }, resource: Pick<ApiResource, 'name' | 'namespaced'>): string {
  const base = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
  const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}` : '';
  return `${base}${ns}/${resource.name}${ref.name ? `/${encodeURIComponent(ref.name)}` : ''}`;
}
