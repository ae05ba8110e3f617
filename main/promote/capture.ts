/**
 * Capturing a bundle from a live namespace (optionally narrowed by a label selector): the
 * workload kinds an ML developer deploys plus every namespaced custom resource (training jobs),
 * with what the cluster assigned removed (see sanitize.ts).
 */
import { AppError, toAppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { Bundle } from '../../shared/models/promote';
import type { KubeClient } from '../kube/kube-client';
import { apiVersionOf, collectionPath } from '../kube/resources/paths';
import { ResourceMapper, type ResolvedResource } from '../kube/resources/resource-mapper';
import { mapLimit } from './pool';
import { isCapturable, sanitize } from './sanitize';

/** Built-in kinds worth promoting; events, endpoints, leases and pods of controllers are not. */
export const CAPTURED_KINDS: { apiVersion: string; kind: string }[] = [
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
];

interface Crd {
  spec: { group: string; scope: string; names: { kind: string; plural: string }; versions: { name: string; served: boolean; storage: boolean }[] };
}

/** Namespaced custom resources, as their CRDs define them (no discovery round trip needed). */
async function customKinds(client: KubeClient, signal?: AbortSignal): Promise<ResolvedResource[]> {
  try {
    const crds = (await client.request<{ items: Crd[] }>({ path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', signal })).body.items;
    return crds
      .filter((c) => c.spec.scope === 'Namespaced')
      .map((c) => {
        const version = c.spec.versions.find((v) => v.storage && v.served) ?? c.spec.versions.find((v) => v.served);
        return version ? { group: c.spec.group, version: version.name, plural: c.spec.names.plural, kind: c.spec.names.kind, namespaced: true } : undefined;
      })
      .filter((k): k is ResolvedResource => Boolean(k));
  } catch (error) {
    // Without permission to list CRDs the built-in kinds are still captured.
    if (toAppError(error).code === 'FORBIDDEN') return [];
    throw error;
  }
}

/**
 * Reads the namespace into a bundle. Secrets are captured only with `includeSecrets` (their
 * values would end up in files); the names of those left out come back in `secretsLeftOut`.
 */
export async function captureBundle(client: KubeClient, options: { namespace: string; selector?: string; includeSecrets?: boolean; signal?: AbortSignal }): Promise<Bundle & { secretsLeftOut: string[] }> {
  const { namespace, selector, signal } = options;
  try {
    await client.request({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}`, signal });
  } catch (error) {
    const e = toAppError(error);
    if (e.code === 'NOT_FOUND') throw new AppError('NOT_FOUND', `${client.contextName} has no namespace ${namespace}.`, { fix: 'Check the namespace with `slipway contexts` and kubectl get namespaces.' });
    throw e;
  }
  // Built-ins resolve from the mapper's table at once (an unknown one would be discovered).
  const mapper = new ResourceMapper(client);
  const builtins = (await mapLimit(CAPTURED_KINDS, 6, (k) => mapper.resolveKind(k.apiVersion, k.kind, signal))).filter((r): r is ResolvedResource => r !== null);
  const kinds = [...builtins, ...(await customKinds(client, signal))];
  const lists = await mapLimit(kinds, 6, async (k) => {
    const path = collectionPath(k, namespace);
    try {
      const items = (await client.request<{ items: KubeObject[] }>({ path, query: { labelSelector: selector }, signal })).body.items;
      return items.map((item) => ({ ...item, apiVersion: apiVersionOf(k), kind: k.kind }));
    } catch (error) {
      // A kind the server does not serve (an older cluster) is simply absent.
      if (toAppError(error).code === 'NOT_FOUND') return [];
      throw error;
    }
  });
  const capturable = lists.flat().filter(isCapturable);
  const secretsLeftOut = options.includeSecrets ? [] : capturable.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name).sort();
  const objects = capturable
    .filter((o) => options.includeSecrets || o.kind !== 'Secret')
    .map((live) => ({ object: sanitize(live), origin: { file: `${client.contextName}/${namespace}` } }));
  if (objects.length === 0) {
    throw new AppError('NOT_FOUND', `Nothing to capture in ${client.contextName}/${namespace}${selector ? ` matching ${selector}` : ''}.`, { fix: 'Check the namespace and the label selector.' });
  }
  return { name: namespace, source: { kind: 'capture', context: client.contextName, namespace, ...(selector ? { selector } : {}) }, objects, secretsLeftOut };
}
