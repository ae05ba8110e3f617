import { AppError } from '../../shared/errors';
import type { KubeClient } from '../kube/kube-client';
import type { KubeObject } from './manifests';

/** REST paths of the kinds Slipway's own manifests use (they are all built in, so no discovery). */
const RESOURCES: Record<string, { plural: string; namespaced: boolean }> = {
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true },
  'v1/Service': { plural: 'services', namespaced: true },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
  'v1/Namespace': { plural: 'namespaces', namespaced: false },
  'v1/Node': { plural: 'nodes', namespaced: false },
  'apps/v1/DaemonSet': { plural: 'daemonsets', namespaced: true },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true },
  'batch/v1/Job': { plural: 'jobs', namespaced: true },
  'node.k8s.io/v1/RuntimeClass': { plural: 'runtimeclasses', namespaced: false },
  'rbac.authorization.k8s.io/v1/ClusterRole': { plural: 'clusterroles', namespaced: false },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { plural: 'clusterrolebindings', namespaced: false },
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true },
  'apiregistration.k8s.io/v1/APIService': { plural: 'apiservices', namespaced: false },
};

/** The REST path of one object (`/api/v1/namespaces/x/configmaps/y`, `/apis/apps/v1/…`). */
export function objectPath(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const resource = RESOURCES[`${object.apiVersion}/${object.kind}`];
  if (!resource) throw new AppError('INTERNAL', `No REST mapping for ${object.apiVersion} ${object.kind}.`);
  const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(object.metadata.namespace ?? 'default')}` : '';
  return `${base}${ns}/${resource.plural}/${encodeURIComponent(object.metadata.name)}`;
}

export const FIELD_MANAGER = 'slipway';

/**
 * Server-side apply (PATCH application/apply-patch+yaml, force) of Slipway's own add-ons:
 * idempotent, so re-running cluster setup converges instead of failing on "already exists".
 */
export async function applyObjects(client: KubeClient, objects: KubeObject[], signal?: AbortSignal): Promise<void> {
  for (const object of objects) {
    await client.request({
      method: 'PATCH',
      path: objectPath(object),
      query: { fieldManager: FIELD_MANAGER, force: true },
      body: JSON.stringify(object),
      contentType: 'application/apply-patch+yaml',
      signal,
    });
  }
}
