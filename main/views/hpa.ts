import { type KubeObject, uidOf } from '../../shared/k8s/kube-object';
import type { HpaMetricType, HpaMetricView, HpaRow } from '../../shared/models/views';
import { asArray, asRecord, byName, conditionsOf, eventsFor, num, str } from './common';
import { quantityOrZero } from '../../shared/k8s/quantity';
import { owningScaledObject } from './keda';

/** Target and current of one metric in the way `kubectl describe hpa` writes them. */
function valueText(value: Record<string, any>, fallbackType?: string): { text?: string; number?: number } {
  const type = str(value.type) ?? fallbackType;
  if (value.averageUtilization !== undefined || type === 'Utilization') {
    const u = value.averageUtilization;
    return u === undefined ? {} : { text: `${u}%`, number: num(u) };
  }
  if (value.averageValue !== undefined) return { text: `${value.averageValue} (avg)`, number: quantityOrZero(value.averageValue) };
  if (value.value !== undefined) return { text: String(value.value), number: quantityOrZero(value.value) };
  return {};
}

function metricIdentity(spec: Record<string, any>): { type: HpaMetricType; name: string; body: Record<string, any> } | undefined {
  switch (spec.type) {
    case 'Resource': {
      const body = asRecord(spec.resource);
      return { type: 'Resource', name: str(body.name) ?? '?', body };
    }
    case 'ContainerResource': {
      const body = asRecord(spec.containerResource);
      return { type: 'ContainerResource', name: `${str(body.container) ?? '?'}/${str(body.name) ?? '?'}`, body };
    }
    case 'Pods': {
      const body = asRecord(spec.pods);
      return { type: 'Pods', name: str(asRecord(body.metric).name) ?? '?', body };
    }
    case 'Object': {
      const body = asRecord(spec.object);
      const target = asRecord(body.describedObject);
      return { type: 'Object', name: `${str(target.kind) ?? '?'}/${str(target.name) ?? '?'} ${str(asRecord(body.metric).name) ?? '?'}`, body };
    }
    case 'External': {
      const body = asRecord(spec.external);
      return { type: 'External', name: str(asRecord(body.metric).name) ?? '?', body };
    }
    default:
      return undefined;
  }
}

/** Every metric of an autoscaling/v2 HPA with its current value from status.currentMetrics. */
export function hpaMetrics(hpa: KubeObject): HpaMetricView[] {
  const current = asArray(asRecord(hpa.status).currentMetrics).map((m) => metricIdentity(asRecord(m))).filter((m) => m !== undefined);
  return asArray(asRecord(hpa.spec).metrics)
    .map((m) => metricIdentity(asRecord(m)))
    .filter((m) => m !== undefined)
    .map((m) => {
      const target = valueText(asRecord(m.body.target));
      const match = current.find((c) => c.type === m.type && c.name === m.name);
      const now = match ? valueText(asRecord(match.body.current), str(asRecord(m.body.target).type)) : {};
      const targetSpec = asRecord(m.body.target);
      const view: HpaMetricView = { type: m.type, name: m.name, target: target.text ?? '?' };
      if (target.number !== undefined) view.targetValue = target.number;
      const targetType = str(targetSpec.type);
      if (targetType === 'Utilization' || targetType === 'AverageValue' || targetType === 'Value') view.targetType = targetType;
      if (m.type === 'Pods' || m.type === 'Object' || m.type === 'External') {
        const metric = asRecord(m.body.metric);
        const name = str(metric.name);
        if (name) view.metricName = name;
        const matchLabels = asRecord(asRecord(metric.selector).matchLabels);
        if (m.type === 'External' && Object.keys(matchLabels).length > 0) view.labels = Object.fromEntries(Object.entries(matchLabels).map(([k, v]) => [k, String(v)]));
        const described = asRecord(m.body.describedObject);
        if (m.type === 'Object' && str(described.kind) && str(described.name)) {
          view.describedObject = { kind: described.kind, name: described.name, ...(str(described.apiVersion) ? { apiVersion: described.apiVersion } : {}) };
        }
      }
      if (now.text !== undefined) view.current = now.text;
      if (now.number !== undefined) view.currentValue = now.number;
      return view;
    });
}

export function hpaRows(hpas: KubeObject[], events: KubeObject[]): HpaRow[] {
  return hpas
    .map((hpa): HpaRow => {
      const spec = asRecord(hpa.spec);
      const status = asRecord(hpa.status);
      const ref = asRecord(spec.scaleTargetRef);
      const conditions = conditionsOf(hpa);
      const namespace = hpa.metadata.namespace ?? 'default';
      return {
        key: uidOf(hpa),
        section: 'hpa',
        name: hpa.metadata.name,
        namespace,
        target: { kind: str(ref.kind) ?? '?', name: str(ref.name) ?? '?', ...(str(ref.apiVersion) ? { apiVersion: ref.apiVersion } : {}) },
        minReplicas: num(spec.minReplicas, 1),
        maxReplicas: num(spec.maxReplicas),
        currentReplicas: num(status.currentReplicas),
        desiredReplicas: num(status.desiredReplicas),
        metrics: hpaMetrics(hpa),
        conditions,
        ableToScale: conditions.find((c) => c.type === 'AbleToScale'),
        scalingActive: conditions.find((c) => c.type === 'ScalingActive'),
        scalingLimited: conditions.find((c) => c.type === 'ScalingLimited'),
        ...(str(status.lastScaleTime) ? { lastScaleTime: status.lastScaleTime } : {}),
        events: eventsFor(events, 'HorizontalPodAutoscaler', hpa.metadata.name, namespace, 10),
        ...(owningScaledObject(hpa) ? { ownedBy: owningScaledObject(hpa) } : {}),
        stabilization: {
          upSeconds: num(asRecord(asRecord(spec.behavior).scaleUp).stabilizationWindowSeconds, 0),
          downSeconds: num(asRecord(asRecord(spec.behavior).scaleDown).stabilizationWindowSeconds, 300),
        },
      };
    })
    .sort(byName);
}
