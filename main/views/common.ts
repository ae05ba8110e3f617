import { type KubeObject, uidOf } from '../../shared/k8s/kube-object';
import type { ConditionView, EventView } from '../../shared/models/views';
import { quantityOrZero } from '../../shared/k8s/quantity';

/** GPU extended resources we count: NVIDIA (whole GPUs and MIG slices), AMD, Intel. */
export function isGpuResource(name: string): boolean {
  return name === 'nvidia.com/gpu' || name.startsWith('nvidia.com/mig-') || name === 'amd.com/gpu' || name.startsWith('gpu.intel.com/');
}

export function asArray<T = any>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

export function asRecord(value: unknown): Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, any>) : {};
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

export function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function conditionsOf(object: KubeObject | undefined): ConditionView[] {
  return asArray(asRecord(object?.status).conditions)
    .filter((c) => typeof c?.type === 'string')
    .map((c) => ({
      type: c.type,
      status: String(c.status ?? 'Unknown'),
      ...(str(c.reason) ? { reason: c.reason } : {}),
      ...(str(c.message) ? { message: c.message } : {}),
      ...(str(c.lastTransitionTime) ? { lastTransitionTime: c.lastTransitionTime } : {}),
    }));
}

export function conditionTrue(conditions: ConditionView[], type: string): ConditionView | undefined {
  return conditions.find((c) => c.type === type && c.status === 'True');
}

/** Resource totals of a container's requests, limits standing in where requests are absent. */
function containerRequests(container: any): Map<string, number> {
  const out = new Map<string, number>();
  const resources = asRecord(container?.resources);
  const requests = asRecord(resources.requests);
  const limits = asRecord(resources.limits);
  for (const name of new Set([...Object.keys(requests), ...Object.keys(limits)])) {
    // Extended resources (GPUs) cannot be overcommitted: a limit alone means request = limit.
    const value = requests[name] ?? limits[name];
    out.set(name, quantityOrZero(value));
  }
  return out;
}

/**
 * A pod's effective requests as the scheduler computes them: the larger of the sum over app
 * containers (sidecars included) and the largest init container, plus pod overhead.
 */
export function podRequests(podSpec: any): Map<string, number> {
  const spec = asRecord(podSpec);
  const total = new Map<string, number>();
  for (const c of asArray(spec.containers)) for (const [k, v] of containerRequests(c)) total.set(k, (total.get(k) ?? 0) + v);
  for (const c of asArray(spec.initContainers)) {
    const restartable = c?.restartPolicy === 'Always';
    for (const [k, v] of containerRequests(c)) {
      if (restartable) total.set(k, (total.get(k) ?? 0) + v);
      else total.set(k, Math.max(total.get(k) ?? 0, v));
    }
  }
  for (const [k, v] of Object.entries(asRecord(spec.overhead))) total.set(k, (total.get(k) ?? 0) + quantityOrZero(v));
  return total;
}

export function gpuCount(requests: Map<string, number>): number {
  let n = 0;
  for (const [k, v] of requests) if (isGpuResource(k)) n += v;
  return n;
}

/** GPUs a pod template asks for. */
export function templateGpus(template: any): number {
  return gpuCount(podRequests(asRecord(template).spec));
}

export function podIsFinished(pod: KubeObject): boolean {
  const phase = asRecord(pod.status).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function eventView(event: KubeObject): EventView {
  const e = event as any;
  const involved = asRecord(e.involvedObject ?? e.regarding);
  const series = asRecord(e.series);
  return {
    key: uidOf(event),
    type: str(e.type) ?? 'Normal',
    reason: str(e.reason) ?? '',
    message: str(e.message) ?? str(e.note) ?? '',
    count: num(e.count, num(series.count, 1)),
    lastSeen: str(e.lastTimestamp) ?? str(series.lastObservedTime) ?? str(e.eventTime) ?? str(event.metadata.creationTimestamp),
    object: { kind: str(involved.kind) ?? '', name: str(involved.name) ?? '', ...(str(involved.namespace) ? { namespace: involved.namespace } : {}), ...(str(involved.apiVersion) ? { apiVersion: involved.apiVersion } : {}) },
    ...(str(asRecord(e.source).component) || str(e.reportingComponent) ? { source: str(asRecord(e.source).component) ?? e.reportingComponent } : {}),
  };
}

/** Events about one object, newest first. */
export function eventsFor(events: KubeObject[], kind: string, name: string, namespace?: string, limit = 20): ReturnType<typeof eventView>[] {
  return events
    .map(eventView)
    .filter((e) => e.object.kind === kind && e.object.name === name && (namespace === undefined || (e.object.namespace ?? namespace) === namespace))
    .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
    .slice(0, limit);
}

export function byName<T extends { name: string; namespace?: string }>(a: T, b: T): number {
  return (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);
}

/** Turns an exception in one object's view into a visible problem instead of a crash. */
export function safely<T>(fn: () => T, fallback: (error: Error) => T): T {
  try {
    return fn();
  } catch (error) {
    return fallback(error as Error);
  }
}
