/**
 * KEDA's ScaledObjects and ScaledJobs as the Autoscalers tab shows them: triggers, whether KEDA
 * sees them active, paused, ready, and the HPA a ScaledObject owns (shown under it, not twice).
 * Shapes follow keda.sh/v1alpha1 as KEDA 2.x writes them. Pure functions.
 */
import { uidOf, type KubeObject } from '../../shared/k8s/kube-object';
import type { KedaScalerView, KedaTriggerView } from '../../shared/models/views';
import { asArray, asRecord, byName, conditionsOf, str } from './common';

/** KEDA pauses a scaler by annotation (and reports it as the Paused condition from 2.9 on). */
const PAUSED = 'autoscaling.keda.sh/paused';
const PAUSED_REPLICAS = 'autoscaling.keda.sh/paused-replicas';
/** The label KEDA puts on the HPA it makes for a ScaledObject. */
export const KEDA_SCALED_OBJECT_LABEL = 'scaledobject.keda.sh/name';

/** Trigger metadata worth a glance; credentials never are: by name, or a URL with a user in it. */
const SECRET_LIKE = /password|secret|token|key|connection|auth/i;
const URL_WITH_USER = /\/\/[^/@\s]+@/;

function triggerView(trigger: Record<string, any>): KedaTriggerView {
  const metadata = asRecord(trigger.metadata);
  const detail = Object.entries(metadata)
    .filter(([k, v]) => !SECRET_LIKE.test(k) && (typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && !URL_WITH_USER.test(v))))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return {
    type: str(trigger.type) ?? '?',
    ...(str(trigger.name) ? { name: trigger.name } : {}),
    ...(detail ? { detail } : {}),
    ...(str(trigger.metricType) ? { metricType: trigger.metricType } : {}),
  };
}

function pausedOf(object: KubeObject, conditions: ReturnType<typeof conditionsOf>): { paused: boolean; pausedReplicas?: number } {
  const annotations = object.metadata.annotations ?? {};
  const replicas = annotations[PAUSED_REPLICAS];
  const byAnnotation = annotations[PAUSED] === 'true' || replicas !== undefined;
  const byCondition = conditions.find((c) => c.type === 'Paused')?.status === 'True';
  return { paused: byAnnotation || byCondition, ...(replicas !== undefined && /^\d+$/.test(replicas) ? { pausedReplicas: Number(replicas) } : {}) };
}

/** One row per ScaledObject and ScaledJob, by name. */
export function kedaScalers(scaledObjects: KubeObject[], scaledJobs: KubeObject[]): KedaScalerView[] {
  const views: KedaScalerView[] = [];
  for (const [kind, objects] of [['ScaledObject', scaledObjects], ['ScaledJob', scaledJobs]] as const) {
    for (const object of objects) {
      const spec = asRecord(object.spec);
      const status = asRecord(object.status);
      const conditions = conditionsOf(object);
      // A ScaledJob starts Jobs named after itself.
      const target = kind === 'ScaledObject' ? { kind: str(asRecord(spec.scaleTargetRef).kind) ?? 'Deployment', name: str(asRecord(spec.scaleTargetRef).name) ?? '?' } : { kind: 'Job', name: object.metadata.name };
      const min = kind === 'ScaledObject' ? spec.minReplicaCount : undefined;
      const max = spec.maxReplicaCount;
      views.push({
        key: uidOf(object),
        kind,
        name: object.metadata.name,
        namespace: object.metadata.namespace ?? 'default',
        target,
        // KEDA's defaults: 0 to 100 replicas (ScaledJob: up to 100 jobs).
        ...(kind === 'ScaledObject' ? { minReplicas: typeof min === 'number' ? min : 0 } : {}),
        maxReplicas: typeof max === 'number' ? max : 100,
        triggers: asArray(spec.triggers).map((t) => triggerView(asRecord(t))),
        ready: conditions.find((c) => c.type === 'Ready'),
        active: conditions.find((c) => c.type === 'Active'),
        fallback: conditions.find((c) => c.type === 'Fallback'),
        ...pausedOf(object, conditions),
        ...(kind === 'ScaledObject' && str(status.hpaName) ? { hpaName: status.hpaName } : {}),
        ...(str(status.lastActiveTime) ? { lastActiveTime: status.lastActiveTime } : {}),
        externalMetricNames: asArray(status.externalMetricNames).filter((n): n is string => typeof n === 'string'),
      });
    }
  }
  return views.sort(byName);
}

/** The ScaledObject an HPA belongs to: its controller owner, or KEDA's label on it. */
export function owningScaledObject(hpa: KubeObject): string | undefined {
  const owner = asArray(asRecord(hpa.metadata).ownerReferences).map(asRecord).find((o) => o.kind === 'ScaledObject' && o.controller === true);
  return str(owner?.name) ?? hpa.metadata.labels?.[KEDA_SCALED_OBJECT_LABEL];
}
