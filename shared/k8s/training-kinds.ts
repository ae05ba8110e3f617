/**
 * The one registry of training job kinds: how the training view lists each, how its pods are
 * found, where it keeps its suspend switch and whether Kueue admits it. The training view,
 * pod lookups, suspend/resume, the Kueue transform and the promotion apply order all derive
 * from it, so adding a kind is one entry here (plus a row reader if it is a new family).
 */

/** Which row reader of the training view reads a kind (the families share status shapes). */
export type TrainingReader = 'jobs' | 'kubeflowV1' | 'trainJobs' | 'jobSets' | 'rayJobs' | 'sparkApplications' | 'pods';

/** Labels a pod must all carry, each with one of the values; `null` means "label absent". */
export type PodMatch = Readonly<Record<string, readonly (string | null)[]>>;

export interface TrainingKindEntry {
  kind: string;
  /** '' for the core group. */
  group: string;
  plural: string;
  /**
   * How the training view watches and reads it; null when it is not a row of its own
   * (a RayCluster is a RayJob's part, or a long-lived cluster).
   */
  view: {
    /** The view's source id (a key of its inputs). */
    source: string;
    reader: TrainingReader;
    labelSelector?: string;
    /** Training Operator v1: the spec field holding the replica specs (`pytorchReplicaSpecs`). */
    replicaSpecs?: string;
  } | null;
  /**
   * The label selecting the job's pods, `label=<value>`, the value read at `valueFrom` of the
   * object (its name when omitted); null when its pods are not found by label.
   */
  pods: { label: string; valueFrom?: readonly string[] } | null;
  /** Which pod tells the job's story: the first pod (by name) matching each rule in turn, else the first pod. */
  primaryPod: readonly PodMatch[];
  /** Path of the boolean that suspends it; null when the kind cannot be suspended. */
  suspend: readonly string[] | null;
  /** Kueue admits it by the queue label on the object itself (and suspends it meanwhile). */
  kueue: boolean;
  /** It creates batch Jobs or JobSets of its own: those children are not listed as rows again. */
  ownsJobs: boolean;
}

const SPEC_SUSPEND = ['spec', 'suspend'] as const;
/** The Training Operator keeps it under runPolicy. */
const RUN_POLICY_SUSPEND = ['spec', 'runPolicy', 'suspend'] as const;

/** Training Operator v1: pods carry the job name, the master (chief, launcher) tells the story. */
function kubeflowV1<const K extends string>(kind: K, plural: string, replicaSpecs: string) {
  return {
    kind,
    group: 'kubeflow.org',
    plural,
    view: { source: plural, reader: 'kubeflowV1', replicaSpecs },
    pods: { label: 'training.kubeflow.org/job-name' },
    primaryPod: [{ 'training.kubeflow.org/replica-type': ['master', 'chief', 'launcher'] }, { 'training.kubeflow.org/replica-index': ['0'] }],
    suspend: RUN_POLICY_SUSPEND,
    kueue: true,
    ownsJobs: true,
  } as const;
}

/** JobSet and what runs on it: the first pod of the first job. */
const JOBSET_PRIMARY = [{ 'jobset.sigs.k8s.io/job-index': ['0'], 'batch.kubernetes.io/job-completion-index': ['0', null] }] as const;
const SPARK_DRIVER = [{ 'spark-role': ['driver'] }] as const;

export const TRAINING_REGISTRY = [
  {
    kind: 'Job',
    group: 'batch',
    plural: 'jobs',
    view: { source: 'jobs', reader: 'jobs' },
    pods: { label: 'batch.kubernetes.io/job-name' },
    primaryPod: [],
    suspend: SPEC_SUSPEND,
    kueue: true,
    ownsJobs: false,
  },
  kubeflowV1('TFJob', 'tfjobs', 'tfReplicaSpecs'),
  kubeflowV1('PyTorchJob', 'pytorchjobs', 'pytorchReplicaSpecs'),
  kubeflowV1('MPIJob', 'mpijobs', 'mpiReplicaSpecs'),
  kubeflowV1('XGBoostJob', 'xgboostjobs', 'xgbReplicaSpecs'),
  kubeflowV1('PaddleJob', 'paddlejobs', 'paddleReplicaSpecs'),
  kubeflowV1('JAXJob', 'jaxjobs', 'jaxReplicaSpecs'),
  {
    kind: 'TrainJob',
    group: 'trainer.kubeflow.org',
    plural: 'trainjobs',
    view: { source: 'trainjobs', reader: 'trainJobs' },
    // A TrainJob runs as a JobSet of its own name.
    pods: { label: 'jobset.sigs.k8s.io/jobset-name' },
    primaryPod: JOBSET_PRIMARY,
    suspend: SPEC_SUSPEND,
    kueue: true,
    ownsJobs: true,
  },
  {
    kind: 'JobSet',
    group: 'jobset.x-k8s.io',
    plural: 'jobsets',
    view: { source: 'jobsets', reader: 'jobSets' },
    pods: { label: 'jobset.sigs.k8s.io/jobset-name' },
    primaryPod: JOBSET_PRIMARY,
    suspend: SPEC_SUSPEND,
    kueue: true,
    ownsJobs: true,
  },
  {
    kind: 'RayJob',
    group: 'ray.io',
    plural: 'rayjobs',
    view: { source: 'rayjobs', reader: 'rayJobs' },
    // Its pods belong to the RayCluster it made, named in its status once there is one.
    pods: { label: 'ray.io/cluster', valueFrom: ['status', 'rayClusterName'] },
    primaryPod: [{ 'ray.io/node-type': ['head'] }],
    suspend: SPEC_SUSPEND,
    kueue: true,
    ownsJobs: true,
  },
  {
    kind: 'RayCluster',
    group: 'ray.io',
    plural: 'rayclusters',
    view: null,
    pods: { label: 'ray.io/cluster' },
    primaryPod: [{ 'ray.io/node-type': ['head'] }],
    // KubeRay 1.1+; it is how Kueue holds a RayCluster back.
    suspend: SPEC_SUSPEND,
    kueue: true,
    ownsJobs: true,
  },
  {
    kind: 'SparkApplication',
    group: 'sparkoperator.k8s.io',
    plural: 'sparkapplications',
    view: { source: 'sparkapplications', reader: 'sparkApplications' },
    pods: { label: 'sparkoperator.k8s.io/app-name' },
    primaryPod: SPARK_DRIVER,
    suspend: null,
    kueue: false,
    ownsJobs: true,
  },
  {
    // spark-submit without the operator: no object of its own, a driver pod and its executors.
    kind: 'SparkSubmit',
    group: '',
    plural: 'pods',
    view: { source: 'sparkpods', reader: 'pods', labelSelector: 'spark-role' },
    pods: { label: 'spark-app-selector', valueFrom: ['metadata', 'labels', 'spark-app-selector'] },
    primaryPod: SPARK_DRIVER,
    suspend: null,
    kueue: false,
    ownsJobs: false,
  },
] as const satisfies readonly TrainingKindEntry[];

type Registered = (typeof TRAINING_REGISTRY)[number];

/** A kind the training view lists. */
export type TrainingKind = Extract<Registered, { view: object }>['kind'];

/** Every kind the training view lists, in registry order. */
export const TRAINING_KINDS = TRAINING_REGISTRY.filter((e) => e.view !== null).map((e) => e.kind) as unknown as readonly [TrainingKind, ...TrainingKind[]];

/** Kinds Kueue admits by the queue label on the object itself. */
export const KUEUE_KINDS: ReadonlySet<string> = new Set(TRAINING_REGISTRY.filter((e) => e.kueue).map((e) => e.kind));

/** Kinds that create batch Jobs or JobSets of their own. */
export const JOB_OWNING_KINDS: ReadonlySet<string> = new Set(TRAINING_REGISTRY.filter((e) => e.ownsJobs).map((e) => e.kind));

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The registry entry of an object's kind (any version of its group), if it is a training kind. */
export function trainingKindOf(apiVersion: string, kind: string): TrainingKindEntry | undefined {
  const group = groupOf(apiVersion);
  // SparkSubmit is a name for pods, not a kind any object carries.
  return TRAINING_REGISTRY.find((e) => e.group === group && e.kind === kind && e.kind !== 'SparkSubmit');
}

/** The registry entry the training view uses for a row's kind. */
export function trainingEntry(kind: TrainingKind): TrainingKindEntry {
  return TRAINING_REGISTRY.find((e) => e.kind === kind)!;
}

/**
 * The JSON merge patch that suspends (`true`) or resumes (`false`) an object of this kind, or
 * null when the kind cannot be suspended. `{ spec: { runPolicy: { suspend: true } } }` for a
 * PyTorchJob, `{ spec: { suspend: true } }` for a Job.
 */
export function suspendPatchFor(apiVersion: string, kind: string, suspend: boolean): Record<string, unknown> | null {
  const path = trainingKindOf(apiVersion, kind)?.suspend;
  if (!path) return null;
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), suspend) as Record<string, unknown>;
}
