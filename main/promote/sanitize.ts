/**
 * Removing what a cluster assigned to an object, so a captured object can be applied elsewhere:
 * identity and bookkeeping (uid, resourceVersion, managedFields, …), status, and fields the
 * cluster fills in (a Service's cluster IPs, a PVC's bound volume, a Pod's node, a Job's
 * generated selector). Pure functions.
 */
import type { KubeObject } from '../../shared/k8s/kube-object';
import { EXTERNAL_SERIES_CONFIGMAP } from '../../shared/models/metric-knobs';
import { isObject } from './pod-templates';

const METADATA_NOISE = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'ownerReferences', 'finalizers'];

/** Annotations written by controllers and kubectl, never by the author of the workload. */
const ANNOTATION_NOISE = [
  /^kubectl\.kubernetes\.io\/last-applied-configuration$/,
  /^deployment\.kubernetes\.io\//,
  /^pv\.kubernetes\.io\//,
  /^volume\.beta\.kubernetes\.io\/storage-provisioner$/,
  /^volume\.kubernetes\.io\//,
  /^control-plane\.alpha\.kubernetes\.io\//,
  /^autoscaling\.alpha\.kubernetes\.io\//,
  /^kubernetes\.io\/service-account\.uid$/,
  // The simulated load `slipway metrics set` put on the laptop's objects: the laptop's, not the workload's.
  /^slipway\.dev\/metric(-since)?\./,
];

/** Labels the Job controller adds to the Job and its pod template (they embed the old uid). */
const JOB_GENERATED_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name'];

function dropAnnotations(metadata: Record<string, any>): void {
  if (!isObject(metadata.annotations)) return;
  for (const key of Object.keys(metadata.annotations)) {
    if (ANNOTATION_NOISE.some((re) => re.test(key))) delete metadata.annotations[key];
  }
  if (Object.keys(metadata.annotations).length === 0) delete metadata.annotations;
}

/** A copy of `live` with everything the cluster assigned removed. */
export function sanitize(live: KubeObject): KubeObject {
  const object = structuredClone(live);
  delete object.status;
  for (const key of METADATA_NOISE) delete object.metadata[key];
  delete object.metadata.generateName;
  dropAnnotations(object.metadata);
  const spec = isObject(object.spec) ? object.spec : undefined;
  switch (object.kind) {
    case 'Service':
      if (spec) {
        // ExternalName services have no cluster IP; "None" (headless) is the author's choice.
        if (spec.clusterIP !== 'None') {
          delete spec.clusterIP;
          delete spec.clusterIPs;
        }
        delete spec.healthCheckNodePort;
        for (const port of Array.isArray(spec.ports) ? spec.ports : []) {
          if (spec.type !== 'NodePort') delete port.nodePort;
        }
      }
      break;
    case 'PersistentVolumeClaim':
      if (spec) delete spec.volumeName;
      break;
    case 'Pod':
      if (spec) {
        delete spec.nodeName;
        // The projected service-account token volume is injected by admission; it comes back by itself.
        if (Array.isArray(spec.volumes)) spec.volumes = spec.volumes.filter((v: Record<string, any>) => !/^kube-api-access-/.test(String(v.name)));
        for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
          if (Array.isArray(c.volumeMounts)) c.volumeMounts = c.volumeMounts.filter((m: Record<string, any>) => !/^kube-api-access-/.test(String(m.name)));
        }
      }
      break;
    case 'Job':
      if (spec) {
        if (!spec.manualSelector) delete spec.selector;
        for (const labels of [object.metadata.labels, spec.template?.metadata?.labels]) {
          if (isObject(labels)) for (const key of JOB_GENERATED_LABELS) delete labels[key];
        }
      }
      break;
    case 'ServiceAccount':
      // Token secrets are created per cluster.
      delete object.secrets;
      break;
    case 'Secret':
      if (isObject(object.metadata.annotations)) {
        delete object.metadata.annotations['kubernetes.io/service-account.uid'];
      }
      break;
  }
  if (object.metadata.labels && Object.keys(object.metadata.labels).length === 0) delete object.metadata.labels;
  return object;
}

/**
 * Whether a live object belongs in a captured bundle. Left out: objects owned by another object
 * (pods of a ReplicaSet, ReplicaSets of a Deployment: their owner recreates them), objects every
 * namespace gets (the default ServiceAccount, kube-root-ca.crt), service-account tokens and Helm
 * release records.
 */
export function isCapturable(live: KubeObject): boolean {
  const metadata = live.metadata as Record<string, any>;
  if (Array.isArray(metadata.ownerReferences) && metadata.ownerReferences.some((o: Record<string, any>) => o.controller)) return false;
  if (live.kind === 'ServiceAccount' && live.metadata.name === 'default') return false;
  if (live.kind === 'ConfigMap' && live.metadata.name === 'kube-root-ca.crt') return false;
  // Slipway's external metric series of the laptop (`slipway metrics set 'queue_depth{…}=…'`).
  if (live.kind === 'ConfigMap' && live.metadata.name === EXTERNAL_SERIES_CONFIGMAP) return false;
  if (live.kind === 'Secret' && ['kubernetes.io/service-account-token', 'helm.sh/release.v1'].includes(String(live.type))) return false;
  return true;
}
