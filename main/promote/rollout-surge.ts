/**
 * How many extra pods a Deployment's rolling update runs on top of its replicas while old and
 * new pods overlap (`maxSurge`), and how many old pods it may stop before new ones are ready
 * (`maxUnavailable`). Pure: the rendered object and its live counterpart in, numbers out.
 */
import type { KubeObject } from '../../shared/k8s/kube-object';
import { isObject } from './pod-templates';

export interface Surge {
  /** Extra pods during the rollout; 0 for Recreate, a new Deployment or an unchanged template. */
  pods: number;
  /** Old pods the controller may stop before new ones are available. */
  maxUnavailable: number;
  /** The maxSurge as written (or the default), for messages. */
  maxSurge: string;
}

const NONE: Surge = { pods: 0, maxUnavailable: 0, maxSurge: '0' };

/** An int-or-percent field resolved against `total`, rounded as the Deployment controller does. */
export function resolveIntOrPercent(value: unknown, total: number, round: 'up' | 'down'): number {
  if (typeof value === 'number') return Math.max(0, Math.floor(value));
  const percent = /^(\d+)%$/.exec(String(value ?? ''));
  if (!percent) return Number.isInteger(Number(value)) ? Math.max(0, Number(value)) : 0;
  const exact = (Number(percent[1]) * total) / 100;
  return round === 'up' ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * Whether every field `wanted` sets already holds that value in `live` (live has the server's
 * defaults on top). Scalars compare as text: the server stores `1` as `"1"` in resources.
 */
export function isSubsetOf(wanted: unknown, live: unknown): boolean {
  if (Array.isArray(wanted)) return Array.isArray(live) && live.length === wanted.length && wanted.every((w, i) => isSubsetOf(w, live[i]));
  if (isObject(wanted)) return isObject(live) && Object.entries(wanted).every(([k, v]) => isSubsetOf(v, live[k]));
  return wanted === null || wanted === undefined ? live === null || live === undefined : String(wanted) === String(live);
}

/**
 * The surge of applying `object` over `live`. Only a Deployment with the RollingUpdate strategy
 * (the default) whose pod template changes starts a rollout; an apply that leaves the template
 * as it is makes no new ReplicaSet and so no surge pod.
 */
export function rolloutSurge(object: KubeObject, live: KubeObject | null | undefined): Surge {
  if (object.kind !== 'Deployment' || !live) return NONE;
  const spec = isObject(object.spec) ? object.spec : {};
  const strategy = isObject(spec.strategy) ? spec.strategy : {};
  if (strategy.type === 'Recreate') return NONE;
  if (isSubsetOf(spec.template, (live.spec as Record<string, unknown> | undefined)?.template)) return NONE;
  const replicas = Number(spec.replicas ?? (live.spec as Record<string, unknown> | undefined)?.replicas ?? 1);
  const rolling = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const maxSurge = rolling.maxSurge ?? '25%';
  const pods = resolveIntOrPercent(maxSurge, replicas, 'up');
  let maxUnavailable = resolveIntOrPercent(rolling.maxUnavailable ?? '25%', replicas, 'down');
  // Both zero is refused by validation; the controller would treat it as one unavailable.
  if (pods === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { pods, maxUnavailable, maxSurge: String(maxSurge) };
}
