import type { KubeObject } from '../../../shared/k8s/kube-object';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Drops what no view needs and what makes objects heavy: `managedFields` (often half an object's
 * size) and kubectl's last-applied annotation (a second copy of the spec). Mutates and returns
 * the object: it was just parsed from the wire and nobody else holds it.
 */
export function slim<T extends KubeObject>(object: T): T {
  const metadata = object.metadata as Record<string, unknown> | undefined;
  if (!metadata) return object;
  delete metadata.managedFields;
  const annotations = metadata.annotations as Record<string, string> | undefined;
  if (annotations && LAST_APPLIED in annotations) {
    delete annotations[LAST_APPLIED];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
  }
  return object;
}
