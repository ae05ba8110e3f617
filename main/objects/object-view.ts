/**
 * Pure pieces of an object's details: its YAML, owners, children and pods as links, and the
 * actions its kind offers. The service fetches; these shape.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../shared/models/views-watch';
import type { ObjectActionId, ObjectLink, ObjectPodView } from '../../shared/models/objects';
import { groupOfApiVersion } from '../../shared/models/objects';
import { asArray, asRecord, str } from '../views/common';

/** The live object as YAML; managedFields (hundreds of lines of bookkeeping) only when asked. */
export function objectYaml(object: KubeObject, showManagedFields: boolean): string {
  const copy = structuredClone(object);
  if (!showManagedFields) delete copy.metadata.managedFields;
  return stringify(copy, { lineWidth: 0 });
}

export function ownerLinks(object: KubeObject): ObjectLink[] {
  return asArray(object.metadata.ownerReferences).map((o) => ({
    group: groupOfApiVersion(String(o.apiVersion ?? '')),
    kind: String(o.kind),
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: String(o.name),
  }));
}

/** Whether `child` names `ownerUid` among its owners. */
export function isOwnedBy(child: KubeObject, ownerUid: string): boolean {
  return asArray(child.metadata.ownerReferences).some((o) => o.uid === ownerUid);
}

/** A training pod's role: `Worker 1`, `head`, `driver`; undefined for plain pods. */
export function replicaOf(pod: KubeObject): string | undefined {
  const l = pod.metadata.labels ?? {};
  const type = l['training.kubeflow.org/replica-type'] ?? l['jobset.sigs.k8s.io/replicatedjob-name'] ?? l['ray.io/node-type'] ?? l['spark-role'];
  const index = l['training.kubeflow.org/replica-index'] ?? l['batch.kubernetes.io/job-completion-index'];
  if (!type) return index === undefined ? undefined : `index ${index}`;
  return index === undefined ? type : `${type} ${index}`;
}

export function podView(pod: KubeObject): ObjectPodView {
  const replica = replicaOf(pod);
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? 'default',
    containers: asArray(asRecord(pod.spec).containers).map((c) => String(c.name)),
    ...(str(asRecord(pod.status).phase) ? { phase: asRecord(pod.status).phase as string } : {}),
    ...(replica ? { replica } : {}),
  };
}

export function childLink(child: KubeObject, kind: string, group: string): ObjectLink {
  const isPod = kind === 'Pod' && group === '';
  const detail = isPod ? [replicaOf(child), str(asRecord(child.status).phase)].filter(Boolean).join(' · ') : replicasDetail(child);
  return { group, kind, ...(child.metadata.namespace ? { namespace: child.metadata.namespace } : {}), name: child.metadata.name, ...(detail ? { detail } : {}) };
}

function replicasDetail(object: KubeObject): string | undefined {
  const spec = asRecord(object.spec);
  const status = asRecord(object.status);
  if (typeof spec.replicas !== 'number') return undefined;
  return `${typeof status.readyReplicas === 'number' ? status.readyReplicas : 0}/${spec.replicas} ready`;
}

/** Kinds whose replicas the scale subresource sets. */
const SCALABLE = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/ReplicaSet']);
/** Kinds whose pods a rollout restart replaces. */
const RESTARTABLE = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet']);

/** The actions a kind offers, before RBAC and state are asked (suspend only where the kind can be suspended). */
export function actionsForKind(group: string, kind: string, suspendable: boolean): ObjectActionId[] {
  const id = `${group}/${kind}`;
  const actions: ObjectActionId[] = ['edit'];
  if (SCALABLE.has(id)) actions.push('scale');
  if (RESTARTABLE.has(id)) actions.push('restart');
  if (suspendable) actions.push('suspend', 'resume');
  if (id === '/Node') actions.push('cordon', 'uncordon');
  // Nodes and namespaces are not for deleting from a details panel: too much goes with them.
  if (id !== '/Node' && id !== '/Namespace') actions.push('delete');
  return actions;
}

/** The API verb and subresource each action needs, for SelfSubjectAccessReview. */
export function accessFor(action: ObjectActionId): { verb: string; subresource?: string } {
  switch (action) {
    case 'delete':
      return { verb: 'delete' };
    case 'scale':
      return { verb: 'patch', subresource: 'scale' };
    default:
      return { verb: 'patch' };
  }
}

/** Said in a delete's confirmation: what goes with the object. */
export function deleteWarning(object: KubeObject, group: string, kind: string): string | undefined {
  if (group === '' && kind === 'PersistentVolumeClaim') {
    return 'The data in this volume goes with it when its PersistentVolume’s reclaim policy is Delete (the default for dynamically provisioned volumes).';
  }
  if (group === '' && kind === 'Pod' && asArray(object.metadata.ownerReferences).some((o) => o.controller)) {
    return 'Its controller will create a replacement.';
  }
  if (asRecord(object.spec).template !== undefined) return 'Its pods are deleted with it.';
  return undefined;
}
