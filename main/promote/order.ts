import { trainingKindOf } from '../../shared/k8s/training-kinds';
import type { ObjectRef } from '../../shared/models/promote';
import { groupOf } from '../kube/resources/paths';

/**
 * Apply phases in dependency order: what others refer to goes first. Objects of one phase are
 * applied concurrently; a phase starts when the previous one has been applied (and CRDs are
 * established, so their custom resources can be created). Namespaces have a phase of their own:
 * a ResourceQuota or LimitRange sent alongside its new namespace would race it and be refused.
 */
export const PHASES = ['namespaces', 'policies', 'crds', 'rbac', 'config', 'storage', 'network', 'workloads', 'autoscalers', 'other'] as const;
export type Phase = (typeof PHASES)[number];

const BY_KIND: Record<string, Phase> = {
  Namespace: 'namespaces',
  CustomResourceDefinition: 'crds',
  PriorityClass: 'crds',
  RuntimeClass: 'crds',
  StorageClass: 'crds',
  ResourceQuota: 'policies',
  LimitRange: 'policies',
  ServiceAccount: 'rbac',
  Role: 'rbac',
  ClusterRole: 'rbac',
  RoleBinding: 'rbac',
  ClusterRoleBinding: 'rbac',
  ConfigMap: 'config',
  Secret: 'config',
  PersistentVolume: 'storage',
  PersistentVolumeClaim: 'storage',
  Service: 'network',
  Ingress: 'network',
  NetworkPolicy: 'network',
  PodDisruptionBudget: 'network',
  Deployment: 'workloads',
  StatefulSet: 'workloads',
  DaemonSet: 'workloads',
  ReplicaSet: 'workloads',
  Job: 'workloads',
  CronJob: 'workloads',
  Pod: 'workloads',
  HorizontalPodAutoscaler: 'autoscalers',
  VerticalPodAutoscaler: 'autoscalers',
  ScaledObject: 'autoscalers',
};

/**
 * Custom resources of these groups are workloads too (serving, other batch systems, the rest of
 * Kubeflow); training kinds are workloads by the training kind registry.
 */
const WORKLOAD_GROUPS = new Set(['kubeflow.org', 'trainer.kubeflow.org', 'ray.io', 'jobset.x-k8s.io', 'serving.kserve.io', 'batch.volcano.sh']);

export function phaseOf(ref: Pick<ObjectRef, 'apiVersion' | 'kind'>): Phase {
  const known = BY_KIND[ref.kind];
  if (known) return known;
  if (trainingKindOf(ref.apiVersion, ref.kind) || WORKLOAD_GROUPS.has(groupOf(ref.apiVersion))) return 'workloads';
  if (groupOf(ref.apiVersion) === 'kueue.x-k8s.io') return 'config';
  return 'other';
}

/** Stable sort by phase; within a phase the bundle's order is kept. */
export function sortForApply<T extends { ref: ObjectRef }>(items: T[]): T[] {
  return items
    .map((item, index) => ({ item, index, phase: PHASES.indexOf(phaseOf(item.ref)) }))
    .sort((a, b) => a.phase - b.phase || a.index - b.index)
    .map((x) => x.item);
}

/** Items grouped by phase, in apply order; empty phases are left out. */
export function groupByPhase<T extends { ref: ObjectRef }>(items: T[]): { phase: Phase; items: T[] }[] {
  const groups = new Map<Phase, T[]>();
  for (const item of sortForApply(items)) {
    const phase = phaseOf(item.ref);
    if (!groups.has(phase)) groups.set(phase, []);
    groups.get(phase)!.push(item);
  }
  return [...groups].map(([phase, list]) => ({ phase, items: list }));
}
