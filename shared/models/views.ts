/**
 * View models: what the Overview, HPA, Storage, Training, Pods and Events pages show and what
 * `slipway status --json` prints. Computed in main by pure functions (main/views) from watched
 * objects; plain data, keyed by `key` (an object uid or a derived stable id).
 */
import type { WireError } from '../errors';
import type { ContextLiveStatus, WatchPhase } from './views-watch';
import type { TrainingKind } from '../k8s/training-kinds';

export const VIEW_IDS = ['overview', 'hpa', 'storage', 'training', 'pods', 'events'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export interface ConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** A resource a view could not read, and why ("no permission to list pods"). */
export interface ViewProblem {
  resource: string;
  phase: WatchPhase | 'error';
  message: string;
}

// ── Overview ────────────────────────────────────────────────────────────────

export interface GpuCounts {
  capacity: number;
  allocatable: number;
  /** Sum of GPU requests of the node's pods that are not finished. */
  requested: number;
}

export interface NodeRow {
  key: string;
  section: 'node';
  name: string;
  ready: boolean;
  unschedulable: boolean;
  roles: string[];
  kubeletVersion?: string;
  /** Every condition; `problems` are the ones that are bad (Ready≠True, pressure=True). */
  conditions: ConditionView[];
  problems: string[];
  gpu: GpuCounts & { product?: string; memoryMiB?: number; resource?: string };
  cpu: { allocatable: number; requested: number };
  memory: { allocatable: number; requested: number };
  pods: number;
}

export interface OverviewSummary {
  nodes: number;
  readyNodes: number;
  gpu: GpuCounts & { products: string[]; gpuNodes: number };
  cpu: { allocatable: number; requested: number };
  memory: { allocatable: number; requested: number };
  pods: { total: number; running: number; pending: number; failed: number };
}

// ── HPA ─────────────────────────────────────────────────────────────────────

export type HpaMetricType = 'Resource' | 'ContainerResource' | 'Pods' | 'Object' | 'External';

export interface HpaMetricView {
  type: HpaMetricType;
  /** e.g. `cpu`, `app/cpu` (container), `requests_per_second`, `Service/api http_requests`. */
  name: string;
  target: string;
  current?: string;
  /** Numbers for charts: utilization in %, values in base units. */
  targetValue?: number;
  currentValue?: number;
  /** How the target is meant: per pod on average, the value itself, or % of the request. */
  targetType?: 'Utilization' | 'AverageValue' | 'Value';
  /** The metric's own name (Pods, Object, External): what a knob sets. */
  metricName?: string;
  /** The External metric's selector labels (matchLabels). */
  labels?: Record<string, string>;
  /** The object an Object metric describes. */
  describedObject?: { apiVersion?: string; kind: string; name: string };
}

export interface EventView {
  key: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  lastSeen?: string;
  object: { kind: string; name: string; namespace?: string; apiVersion?: string };
  source?: string;
}

/**
 * One point of an HPA's history: replicas and each metric's current value (`null`: not
 * reported then). `event` points come from the controller's SuccessfulRescale events, from
 * before Slipway watched; they carry the desired size only.
 */
export interface HpaSample {
  t: number;
  current: number;
  desired: number;
  metrics: Record<string, number | null>;
  source: 'watch' | 'event';
}

export interface HpaRow {
  key: string;
  section: 'hpa';
  name: string;
  namespace: string;
  target: { kind: string; name: string; apiVersion?: string };
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  metrics: HpaMetricView[];
  conditions: ConditionView[];
  ableToScale?: ConditionView;
  scalingActive?: ConditionView;
  scalingLimited?: ConditionView;
  lastScaleTime?: string;
  events: EventView[];
  /** spec.behavior's stabilization windows, with the controller's defaults (0 s up, 300 s down). */
  stabilization: { upSeconds: number; downSeconds: number };
  /** The KEDA ScaledObject that made this HPA: the tab lists the HPA under it. */
  ownedBy?: string;
}

export interface KedaTriggerView {
  /** KEDA's scaler type: `rabbitmq`, `prometheus`, `kafka`, `cron`, `cpu`, … */
  type: string;
  name?: string;
  /** Its metadata at a glance (`queueName=orders, value=5`), credentials left out. */
  detail?: string;
  metricType?: string;
}

/** A KEDA ScaledObject or ScaledJob. */
export interface KedaScalerView {
  key: string;
  kind: 'ScaledObject' | 'ScaledJob';
  name: string;
  namespace: string;
  target: { kind: string; name: string };
  minReplicas?: number;
  maxReplicas: number;
  triggers: KedaTriggerView[];
  ready?: ConditionView;
  /** KEDA's view of the triggers: Active True scales from zero, False lets it go to minReplicaCount. */
  active?: ConditionView;
  fallback?: ConditionView;
  paused: boolean;
  pausedReplicas?: number;
  /** The HPA KEDA made for a ScaledObject (status.hpaName). */
  hpaName?: string;
  lastActiveTime?: string;
  externalMetricNames: string[];
}

export interface HpaSummary {
  /** Whether metrics.k8s.io is served (metrics-server). */
  metricsApi: 'available' | 'missing' | 'unknown';
  /**
   * Whether Slipway's metrics adapter serves the custom and external metrics here, so their
   * values are knobs Slipway sets (`slipway metrics set`, the load panel).
   */
  metricKnobs?: boolean;
  /** Whether the cluster's nodes are simulated, so pods' CPU and memory use are loads Slipway sets (`slipway metrics set cpu=…`). */
  simulatedLoad?: boolean;
  /** KEDA's ScaledObjects and ScaledJobs, where KEDA's CRDs are installed. */
  scalers?: KedaScalerView[];
}

// ── Storage ─────────────────────────────────────────────────────────────────

export interface StorageClassRow {
  key: string;
  section: 'class';
  name: string;
  provisioner: string;
  isDefault: boolean;
  reclaimPolicy: string;
  bindingMode: string;
  allowExpansion: boolean;
}

export interface PvRow {
  key: string;
  section: 'pv';
  name: string;
  capacity: string;
  accessModes: string[];
  reclaimPolicy: string;
  storageClass: string;
  phase: string;
  claim?: string;
}

export interface PvcRow {
  key: string;
  section: 'pvc';
  name: string;
  namespace: string;
  phase: string;
  capacity?: string;
  requested?: string;
  accessModes: string[];
  storageClass?: string;
  volume?: string;
  pods: string[];
  /** Why it is Pending, from its most recent events. */
  pendingReason?: string;
}

export interface CephRow {
  key: string;
  section: 'ceph';
  name: string;
  namespace: string;
  health: string;
  phase: string;
  message?: string;
}

export type StorageRow = StorageClassRow | PvRow | PvcRow | CephRow;

export interface StorageSummary {
  /** Whether Rook's CephCluster kind is served. */
  cephInstalled: boolean;
  defaultClass?: string;
}

// ── Training jobs ───────────────────────────────────────────────────────────

// The kinds come from the training kind registry: one entry there adds a kind everywhere.
export { TRAINING_KINDS, type TrainingKind } from '../k8s/training-kinds';

export type TrainingPhase = 'Pending' | 'Created' | 'Running' | 'Restarting' | 'Suspended' | 'Succeeded' | 'Failed' | 'Unknown';

export interface ReplicaStatusView {
  type: string;
  active: number;
  succeeded: number;
  failed: number;
  ready?: number;
}

export interface TrainingJobRow {
  key: string;
  section: 'training';
  kind: TrainingKind;
  apiVersion: string;
  name: string;
  namespace: string;
  phase: TrainingPhase;
  /** The condition or status field the phase came from. */
  phaseReason?: string;
  message?: string;
  replicas: ReplicaStatusView[];
  gpus: number;
  start?: string;
  completion?: string;
  /** Seconds from start to completion (or to `now` while running). */
  durationSeconds?: number;
  /** Selects this job's pods (same namespace). */
  podSelector?: string;
}

// ── Pods and events (the Workloads tables) ──────────────────────────────────

export interface PodRow {
  key: string;
  section: 'pod';
  name: string;
  namespace: string;
  phase: string;
  ready: string;
  restarts: number;
  node?: string;
  gpus: number;
  containers: string[];
  created?: string;
}

export type EventRow = EventView & { section: 'event'; namespace?: string };

// ── Streams ─────────────────────────────────────────────────────────────────

export type ViewRow = NodeRow | HpaRow | StorageRow | TrainingJobRow | PodRow | EventRow;

export interface ViewMeta {
  context: string;
  live: ContextLiveStatus;
  problems: ViewProblem[];
  /** Kinds this view looked for that the cluster does not serve (CRDs not installed). */
  absent: string[];
  overview?: OverviewSummary;
  hpa?: HpaSummary;
  storage?: StorageSummary;
}

/** One view's stream: a snapshot of rows, then deltas keyed by `key`, at most every ~100 ms. */
export type ViewBatch =
  | { type: 'snapshot'; rows: ViewRow[]; meta: ViewMeta; at: number }
  | { type: 'delta'; upserts: ViewRow[]; deletes: string[]; meta?: ViewMeta; at: number };

// ── slipway status ──────────────────────────────────────────────────────────

export interface StatusReport {
  context: string;
  namespace?: string;
  version?: string;
  nodes: NodeRow[];
  gpus: OverviewSummary['gpu'];
  hpas: HpaRow[];
  /** Whether metrics.k8s.io answers: HPAs on resource metrics need it. */
  metricsApi: HpaSummary['metricsApi'];
  storage: { classes: StorageClassRow[]; volumes: PvRow[]; claims: PvcRow[]; ceph: CephRow[] | null };
  trainingJobs: TrainingJobRow[];
  problems: ViewProblem[];
}

export interface TrainingJobDetails {
  pods: PodRow[];
  events: EventView[];
  /** The pod whose logs tell the job's story (master, launcher, driver, head, or the first). */
  primaryPod?: string;
  error?: WireError;
}
