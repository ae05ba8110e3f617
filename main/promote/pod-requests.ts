import { parseQuantity } from '../../shared/k8s/quantity';
import { isObject } from './pod-templates';


type Amounts = Map<string, number>;

function containerAmounts(container: Record<string, any>, which: 'requests' | 'limits'): Amounts {
  const resources = isObject(container.resources) ? container.resources : {};
  const limits = isObject(resources.limits) ? resources.limits : {};
  const requests = isObject(resources.requests) ? resources.requests : {};
  // A limit without a request makes the request equal to it (API defaulting).
  const source = which === 'limits' ? limits : { ...limits, ...requests };
  return new Map(Object.entries(source).map(([name, value]) => [name, parseQuantity(value as string | number) || 0]));
}

function add(into: Amounts, from: Amounts): Amounts {
  for (const [name, value] of from) into.set(name, (into.get(name) ?? 0) + value);
  return into;
}

function max(into: Amounts, from: Amounts): Amounts {
  for (const [name, value] of from) into.set(name, Math.max(into.get(name) ?? 0, value));
  return into;
}

/**
 * What one pod counts against a ResourceQuota, as the API computes it: the regular containers
 * and the sidecars (init containers with `restartPolicy: Always`) summed; each other init
 * container with the sidecars started before it; the larger of the two per resource; plus the
 * pod's `overhead`. Limits the same way, from limits only.
 */
export function podAmounts(spec: Record<string, any>, which: 'requests' | 'limits'): Amounts {
  const inits = (Array.isArray(spec.initContainers) ? spec.initContainers : []).filter(isObject);
  const regular = (Array.isArray(spec.containers) ? spec.containers : []).filter(isObject);
  const sidecarsSoFar: Amounts = new Map();
  const initPeak: Amounts = new Map();
  for (const init of inits) {
    const amounts = containerAmounts(init, which);
    if (init.restartPolicy === 'Always') add(sidecarsSoFar, amounts);
    else max(initPeak, add(new Map(sidecarsSoFar), amounts));
  }
  const running: Amounts = new Map(sidecarsSoFar);
  for (const container of regular) add(running, containerAmounts(container, which));
  const total = max(running, initPeak);
  if (isObject(spec.overhead)) {
    for (const [name, value] of containerAmounts({ resources: { requests: spec.overhead } }, 'requests')) {
      // Overhead adds to a limit only where the pod has one.
      if (which === 'requests' || total.has(name)) total.set(name, (total.get(name) ?? 0) + value);
    }
  }
  return total;
}
