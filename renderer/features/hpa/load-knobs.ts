import type { KnobTarget } from '../../../shared/models/metric-knobs';
import { seriesName } from '../../../shared/models/metric-knobs';
import type { HpaMetricView, HpaRow } from '../../../shared/models/views';

/** One load a person can push and release on an autoscaler's metric (the load panel). */
export interface LoadKnob {
  id: string;
  /** What is set, as the user reads it: "requests_per_second (all replicas together)". */
  label: string;
  /** The value that drives the HPA to its maximum, and the one that lets it fall to its minimum. */
  peak: number;
  idle: number;
  /** Why those figures: the HPA's own arithmetic. */
  explain: string;
  /** The knob for a value (metric, value text, target), in the namespace of the HPA. */
  request(value: number): { metric: string; value: string; target: KnobTarget };
}

const GROUP_OF_APP_KINDS: Record<string, string> = { Deployment: 'apps', StatefulSet: 'apps', ReplicaSet: 'apps' };

function groupOf(apiVersion: string | undefined, kind: string): string {
  if (apiVersion) return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  return GROUP_OF_APP_KINDS[kind] ?? '';
}

/** A number as a knob writes it: integers plain, others with at most 3 decimals. */
function figure(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

/** Where the panel's knobs work: Slipway's adapter serves the metric, or kwok simulates the pods' use. */
export interface LoadSupport {
  metricKnobs: boolean;
  simulatedLoad: boolean;
}

/**
 * CPU or memory on a utilization target, on simulated pods: each pod uses a share of its request
 * (set in the pod template, so the pods roll). The share is the same on every replica, so above
 * the target the HPA adds replicas up to its maximum, and below it removes them.
 */
function resourceKnobFor(row: HpaRow, metric: HpaMetricView): LoadKnob | undefined {
  const resource = metric.name;
  const target = metric.targetValue;
  if ((resource !== 'cpu' && resource !== 'memory') || metric.targetType !== 'Utilization' || target === undefined || target <= 0) return undefined;
  const workload = { group: groupOf(row.target.apiVersion, row.target.kind), kind: row.target.kind, name: row.target.name };
  const peak = Math.round(target * 2);
  const idle = Math.max(1, Math.round(target / 5));
  return {
    id: `resource/${resource}`,
    label: `${resource === 'cpu' ? 'CPU' : 'Memory'} (% of each pod’s request)`,
    peak,
    idle,
    explain: `Every pod of ${row.target.kind}/${row.target.name} uses this share of its ${resource} request (its pods roll to take a new value); above the target ${figure(target)} % the HPA adds replicas up to ${row.maxReplicas}, below it removes them down to ${row.minReplicas}.`,
    request: (value) => ({ metric: resource, value: `${figure(value)}%`, target: { type: 'object', ...workload } }),
  };
}

function knobFor(row: HpaRow, metric: HpaMetricView): LoadKnob | undefined {
  const name = metric.metricName;
  const target = metric.targetValue;
  if (!name || target === undefined || target <= 0) return undefined;
  const workload = { group: groupOf(row.target.apiVersion, row.target.kind), kind: row.target.kind, name: row.target.name };
  const workloadRef = `${workload.kind}${workload.group ? `.${workload.group}` : ''}/${workload.name}`;
  // AverageValue: the HPA wants total / target replicas, so total = target × replicas.
  const perReplica = metric.targetType !== 'Value';
  const peak = perReplica ? target * row.maxReplicas : target * 2;
  const idle = perReplica ? target * row.minReplicas * 0.5 : target * 0.5;
  const arithmetic = (low: number) => perReplica
    ? `the HPA wants ceil(total ÷ ${figure(target)}) replicas: ${figure(peak)} gives its maximum ${row.maxReplicas}, ${figure(low)} its minimum ${row.minReplicas}`
    : `above the target ${figure(target)} the HPA keeps adding replicas (up to ${row.maxReplicas}); below it, it removes them`;
  switch (metric.type) {
    case 'Pods':
      return {
        id: `pods/${name}`,
        label: `${name} (all replicas together)`,
        peak,
        idle,
        explain: `Shared by the replicas of ${row.target.kind}/${row.target.name}: each pod reports total ÷ replicas, and ${arithmetic(idle)}.`,
        request: (value) => ({ metric: name, value: `${figure(value)} / replicas`, target: { type: 'object', ...workload } }),
      };
    case 'Object': {
      const described = metric.describedObject;
      if (!described) return undefined;
      return {
        id: `object/${described.kind}/${described.name}/${name}`,
        label: `${name} of ${described.kind}/${described.name}`,
        peak,
        idle,
        explain: `Set on ${described.kind}/${described.name}; ${arithmetic(idle)}.`,
        request: (value) => ({ metric: name, value: figure(value), target: { type: 'object', group: groupOf(described.apiVersion, described.kind), kind: described.kind, name: described.name } }),
      };
    }
    case 'External': {
      const labels = metric.labels ?? {};
      // An emptied queue: nothing waiting.
      const empty = perReplica ? 0 : idle;
      return {
        id: `external/${seriesName({ name, labels })}`,
        label: seriesName({ name, labels }),
        peak,
        idle: empty,
        explain: `An external series in this namespace; ${arithmetic(empty)}.`,
        request: (value) => ({ metric: name, value: figure(value), target: { type: 'external', labels, replicasOf: workloadRef } }),
      };
    }
    default:
      return undefined;
  }
}

/**
 * The loads the panel offers for an autoscaler: one per Pods, Object or External metric with a
 * numeric target where the adapter serves them, and CPU and memory utilization on simulated pods.
 */
export function loadKnobs(row: HpaRow, support: LoadSupport): LoadKnob[] {
  return row.metrics
    .map((m) => (m.type === 'Resource' ? (support.simulatedLoad ? resourceKnobFor(row, m) : undefined) : support.metricKnobs ? knobFor(row, m) : undefined))
    .filter((k): k is LoadKnob => k !== undefined);
}

/** How long a release takes to show, in the HPA's own terms. */
export function releaseNote(row: HpaRow): string {
  const down = row.stabilization.downSeconds;
  return down > 0
    ? `After a release the HPA waits out its ${down} s scale-down stabilization window before it removes replicas.`
    : 'The HPA removes replicas as soon as the load is released (no scale-down stabilization window).';
}
