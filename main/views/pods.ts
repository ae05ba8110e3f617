import { type KubeObject, uidOf } from '../../shared/k8s/kube-object';
import type { EventRow, PodRow } from '../../shared/models/views';
import { asArray, asRecord, eventView, gpuCount, num, podRequests, str } from './common';

/** A pod as the Workloads table shows it. Pure and per-object, so updating one pod costs one row. */
export function podRow(pod: KubeObject): PodRow {
  const spec = asRecord(pod.spec);
  const status = asRecord(pod.status);
  const statuses = asArray(status.containerStatuses).map(asRecord);
  const containers = asArray(spec.containers).map((c) => str(asRecord(c).name) ?? '?');
  const waiting = statuses.map((c) => str(asRecord(asRecord(c.state).waiting).reason)).find(Boolean);
  return {
    key: uidOf(pod),
    section: 'pod',
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? 'default',
    phase: pod.metadata.deletionTimestamp ? 'Terminating' : (waiting ?? str(status.reason) ?? str(status.phase) ?? 'Unknown'),
    ready: `${statuses.filter((c) => c.ready === true).length}/${containers.length}`,
    restarts: statuses.reduce((s, c) => s + num(c.restartCount), 0),
    ...(str(spec.nodeName) ? { node: spec.nodeName } : {}),
    gpus: gpuCount(podRequests(spec)),
    containers,
    ...(str(pod.metadata.creationTimestamp) ? { created: pod.metadata.creationTimestamp } : {}),
  };
}

export function eventRow(event: KubeObject): EventRow {
  return { ...eventView(event), section: 'event', ...(event.metadata.namespace ? { namespace: event.metadata.namespace } : {}) };
}
