import { METRICS_ADAPTER_SERVICE } from '../metrics/adapter-api';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { TRAINING_REGISTRY, type TrainingKindEntry } from '../../shared/k8s/training-kinds';
import type { ResourceRef } from '../../shared/models/views-watch';
import { isBuiltinRef } from '../kube/resources/builtin';
import type { HpaSummary, StorageSummary, ViewId, ViewMeta, ViewRow } from '../../shared/models/views';
import { asArray, asRecord } from './common';
import { hpaRows } from './hpa';
import { kedaScalers } from './keda';
import { nodeRows, overviewSummary } from './overview';
import { eventRow, podRow } from './pods';
import { cephRows, pvRows, pvcRows, storageClassRows } from './storage';
import { trainingRows, type TrainingInputs } from './training';

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

const TRAINING_ENTRIES: readonly TrainingKindEntry[] = TRAINING_REGISTRY;

/** One source per training kind the view lists; kinds from CRDs are optional (often not installed). */
const TRAINING_SOURCES: ViewSource[] = TRAINING_ENTRIES.flatMap(({ group, plural, view }) => {
  if (!view) return [];
  const resource = { group, plural };
  return [{ id: view.source, resource, scoped: true, ...(view.labelSelector ? { labelSelector: view.labelSelector } : {}), ...(isBuiltinRef(resource) ? {} : { optional: true }) }];
});

const METRICS_APISERVICE: ViewSource = { id: 'apiservices', resource: { group: 'apiregistration.k8s.io', plural: 'apiservices' }, scoped: false, fieldSelector: 'metadata.name=v1beta1.metrics.k8s.io' };

/** The external metrics registration: served by Slipway's adapter, the metrics are knobs. */
const EXTERNAL_METRICS_APISERVICE: ViewSource = { id: 'externalApi', resource: { group: 'apiregistration.k8s.io', plural: 'apiservices' }, scoped: false, fieldSelector: 'metadata.name=v1beta1.external.metrics.k8s.io' };

/**
 * kwok's nodes (Slipway's simulated clusters label them type=kwok): where there are any, pods'
 * CPU and memory use are resource loads Slipway sets, and the load panel offers them.
 */
const SIMULATED_NODES: ViewSource = { id: 'simulatedNodes', resource: core('nodes'), scoped: false, labelSelector: 'type=kwok' };

/** Whether Slipway's metrics adapter serves the external (and custom) metrics of the cluster. */
export function metricKnobsServed(apiServices: KubeObject[] | undefined): boolean {
  return asRecord(asRecord(apiServices?.[0]?.spec).service).name === METRICS_ADAPTER_SERVICE;
}

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
      EXTERNAL_METRICS_APISERVICE,
      SIMULATED_NODES,
      { id: 'scaledobjects', resource: { group: 'keda.sh', plural: 'scaledobjects' }, scoped: true, optional: true },
      { id: 'scaledjobs', resource: { group: 'keda.sh', plural: 'scaledjobs' }, scoped: true, optional: true },
    ],
    compute(inputs, absent) {
      const keda = absent.has('scaledobjects') && absent.has('scaledjobs') ? {} : { scalers: kedaScalers(inputs.scaledobjects ?? [], inputs.scaledjobs ?? []) };
      return { rows: hpaRows(inputs.hpas ?? [], inputs.events ?? []), meta: { hpa: { metricsApi: metricsApiState(inputs.apiservices), metricKnobs: metricKnobsServed(inputs.externalApi), simulatedLoad: (inputs.simulatedNodes ?? []).length > 0, ...keda } } };
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
    sources: TRAINING_SOURCES,
    compute(inputs, _absent, now) {
      const byReader: TrainingInputs = { jobs: [], kubeflowV1: [], trainJobs: [], jobSets: [], rayJobs: [], sparkApplications: [], pods: [] };
      for (const { view } of TRAINING_ENTRIES) if (view) byReader[view.reader].push(...(inputs[view.source] ?? []));
      return { rows: trainingRows(byReader, now) };
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
