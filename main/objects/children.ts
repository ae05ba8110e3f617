/**
 * Where an object's children and pods are found: which kinds to list, with which label
 * selector. Pure. Selectors keep the lists small at 10,000 pods; ownership (uid) then decides.
 */
import type { KubeObject } from '../../shared/models/views-watch';
import { trainingKindOf } from '../../shared/k8s/training-kinds';
import { asRecord } from '../views/common';

export interface ChildQuery {
  apiVersion: string;
  kind: string;
  labelSelector: string;
}

export interface ChildPlan {
  /** Kinds of owned objects to list (ReplicaSets of a Deployment, Jobs of a JobSet). */
  children: ChildQuery[];
  /**
   * The pods: the object itself (a pod), pods by a selector — `ownedOnly` keeps those owned by the
   * object or one of its children — or none.
   */
  pods?: 'self' | { labelSelector: string; ownedOnly: boolean };
}

/** `a=1,b=2` from matchLabels; undefined when there are none (matchExpressions-only selectors list nothing). */
function matchLabels(object: KubeObject): string | undefined {
  const labels = asRecord(asRecord(asRecord(object.spec).selector).matchLabels);
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`);
  return pairs.length ? pairs.join(',') : undefined;
}

/** A training job's pods, by the label its registry entry names; undefined when it has none. */
function trainingPods(apiVersion: string, object: KubeObject): ChildPlan['pods'] {
  const entry = trainingKindOf(apiVersion, String(object.kind ?? ''));
  if (!entry?.pods) return undefined;
  let value: unknown = object;
  for (const key of entry.pods.valueFrom ?? ['metadata', 'name']) value = asRecord(value)[key];
  // The label carries the job's own name (or its RayCluster's): specific enough without ownership.
  return typeof value === 'string' && value ? { labelSelector: `${entry.pods.label}=${value}`, ownedOnly: false } : undefined;
}

export function childQueries(apiVersion: string, object: KubeObject): ChildPlan {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  const kind = String(object.kind ?? '');
  const selector = matchLabels(object);
  const pods = trainingPods(apiVersion, object);
  switch (`${group}/${kind}`) {
    case '/Pod':
      return { children: [], pods: 'self' };
    case 'apps/Deployment':
      return selector ? { children: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', labelSelector: selector }], pods: { labelSelector: selector, ownedOnly: true } } : { children: [] };
    case 'apps/ReplicaSet':
    case 'apps/StatefulSet':
    case 'apps/DaemonSet':
      return selector ? { children: [], pods: { labelSelector: selector, ownedOnly: true } } : { children: [] };
    case 'batch/CronJob':
      return { children: [{ apiVersion: 'batch/v1', kind: 'Job', labelSelector: '' }] };
    case 'jobset.x-k8s.io/JobSet':
      return { children: [{ apiVersion: 'batch/v1', kind: 'Job', labelSelector: `jobset.sigs.k8s.io/jobset-name=${object.metadata.name}` }], ...(pods ? { pods } : {}) };
    case 'trainer.kubeflow.org/TrainJob':
      return { children: [{ apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', labelSelector: '' }], ...(pods ? { pods } : {}) };
    case 'ray.io/RayJob':
      return { children: [{ apiVersion: 'ray.io/v1', kind: 'RayCluster', labelSelector: '' }], ...(pods ? { pods } : {}) };
    default:
      // Every other training kind (batch Job, the Training Operator's, RayCluster, Spark): pods by its registry label.
      return { children: [], ...(pods ? { pods } : {}) };
  }
}
