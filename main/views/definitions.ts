import type { KubeObject, ResourceRef } from '../../shared/models/views-watch';
import type { HpaSummary, StorageSummary, ViewId, ViewMeta, ViewRow } from '../../shared/models/views';
import { asArray, asRecord } from './common';
import { hpaRows } from './hpa';
import { nodeRows, overviewSummary } from './overview';
import { eventRow, podRow } from './pods';
import { cephRows, pvRows, pvcRows, storageClassRows } from './storage';
import { trainingRows } from './training';

/** One collection a view reads. `scoped` ones follow the view's namespace filter. */
export interface ViewSource {
  id: string;
  resource: ResourceRef;
  scoped: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** A kind from a CRD: its absence is normal, not a problem. */
  optional?: boolean;
}

export type ViewInputs = Record<string, KubeObject[]>;

export interface ViewResult {
  rows: ViewRow[];
  meta?: Pick<ViewMeta, 'overview' | 'hpa' | 'storage'>;
}

export interface ViewDefinition {
  id: ViewId;
  sources: ViewSource[];
  /** Aggregate views recompute from all inputs; the caller diffs rows by key. */
  compute(inputs: ViewInputs, absent: Set<string>, now?: number): ViewResult;
  /** Per-object views: one row per object of `sources[0]`, updated incrementally. */
  rowOf?(object: KubeObject): ViewRow;
}

const core = (plural: string): ResourceRef => ({ group: '', plural });

const METRICS_APISERVICE: ViewSource = { id: 'apiservices', resource: { group: 'apiregistration.k8s.io', plural: 'apiservices' }, scoped: false, fieldSelector: 'metadata.name=v1beta1.metrics.k8s.io' };

export function metricsApiState(apiServices: KubeObject[] | undefined): HpaSummary['metricsApi'] {
  if (!apiServices) return 'unknown';
  const svc = apiServices[0];
  if (!svc) return 'missing';
  const available = asArray(asRecord(svc.status).conditions).find((c) => c?.type === 'Available');
  return available?.status === 'True' ? 'available' : 'missing';
}

export const VIEWS: Record<ViewId, ViewDefinition> = {
  overview: {
    id: 'overview',
    // GPU requests count every pod on a node, whatever the namespace filter says.
    sources: [
      { id: 'nodes', resource: core('nodes'), scoped: false },
      { id: 'pods', resource: core('pods'), scoped: false },
    ],
    compute(inputs) {
      const rows = nodeRows(inputs.nodes ?? [], inputs.pods ?? []);
      return { rows, meta: { overview: overviewSummary(rows, inputs.pods ?? []) } };
    },
  },
  hpa: {
    id: 'hpa',
    sources: [
      { id: 'hpas', resource: { group: 'autoscaling', plural: 'horizontalpodautoscalers' }, scoped: true },
      { id: 'events', resource: core('events'), scoped: true, fieldSelector: 'involvedObject.kind=HorizontalPodAutoscaler' },
      METRICS_APISERVICE,
    ],
    compute(inputs) {
      return { rows: hpaRows(inputs.hpas ?? [], inputs.events ?? []), meta: { hpa: { metricsApi: metricsApiState(inputs.apiservices) } } };
    },
  },
  storage: {
    id: 'storage',
    sources: [
      { id: 'classes', resource: { group: 'storage.k8s.io', plural: 'storageclasses' }, scoped: false },
      { id: 'pvs', resource: core('persistentvolumes'), scoped: false },
      { id: 'pvcs', resource: core('persistentvolumeclaims'), scoped: true },
      { id: 'pods', resource: core('pods'), scoped: true },
      { id: 'events', resource: core('events'), scoped: true, fieldSelector: 'involvedObject.kind=PersistentVolumeClaim' },
      { id: 'ceph', resource: { group: 'ceph.rook.io', plural: 'cephclusters' }, scoped: false, optional: true },
    ],
    compute(inputs, absent) {
      const classes = storageClassRows(inputs.classes ?? []);
      const storage: StorageSummary = { cephInstalled: !absent.has('ceph') };
      const defaultClass = classes.find((c) => c.isDefault)?.name;
      if (defaultClass) storage.defaultClass = defaultClass;
      return {
        rows: [...classes, ...pvRows(inputs.pvs ?? []), ...pvcRows(inputs.pvcs ?? [], inputs.pods ?? [], inputs.events ?? [], classes), ...cephRows(inputs.ceph ?? [])],
        meta: { storage },
      };
    },
  },
  training: {
    id: 'training',
    sources: [
      { id: 'jobs', resource: { group: 'batch', plural: 'jobs' }, scoped: true },
      { id: 'tfjobs', resource: { group: 'kubeflow.org', plural: 'tfjobs' }, scoped: true, optional: true },
      { id: 'pytorchjobs', resource: { group: 'kubeflow.org', plural: 'pytorchjobs' }, scoped: true, optional: true },
      { id: 'mpijobs', resource: { group: 'kubeflow.org', plural: 'mpijobs' }, scoped: true, optional: true },
      { id: 'xgboostjobs', resource: { group: 'kubeflow.org', plural: 'xgboostjobs' }, scoped: true, optional: true },
      { id: 'trainjobs', resource: { group: 'trainer.kubeflow.org', plural: 'trainjobs' }, scoped: true, optional: true },
      { id: 'jobsets', resource: { group: 'jobset.x-k8s.io', plural: 'jobsets' }, scoped: true, optional: true },
      { id: 'rayjobs', resource: { group: 'ray.io', plural: 'rayjobs' }, scoped: true, optional: true },
      { id: 'sparkapplications', resource: { group: 'sparkoperator.k8s.io', plural: 'sparkapplications' }, scoped: true, optional: true },
      // spark-submit without the operator: only pods that carry Spark's role label.
      { id: 'sparkpods', resource: core('pods'), scoped: true, labelSelector: 'spark-role' },
    ],
    compute(inputs, _absent, now) {
      return {
        rows: trainingRows(
          {
            jobs: inputs.jobs ?? [],
            kubeflowV1: [...(inputs.tfjobs ?? []), ...(inputs.pytorchjobs ?? []), ...(inputs.mpijobs ?? []), ...(inputs.xgboostjobs ?? [])],
            trainJobs: inputs.trainjobs ?? [],
            jobSets: inputs.jobsets ?? [],
            rayJobs: inputs.rayjobs ?? [],
            sparkApplications: inputs.sparkapplications ?? [],
            pods: inputs.sparkpods ?? [],
          },
          now,
        ),
      };
    },
  },
  pods: {
    id: 'pods',
    sources: [{ id: 'pods', resource: core('pods'), scoped: true }],
    compute(inputs) {
      return { rows: (inputs.pods ?? []).map(podRow) };
    },
    rowOf: podRow,
  },
  events: {
    id: 'events',
    sources: [{ id: 'events', resource: core('events'), scoped: true }],
    compute(inputs) {
      return { rows: (inputs.events ?? []).map(eventRow) };
    },
    rowOf: eventRow,
  },
};
