import type { KubeObject } from '../../shared/k8s/kube-object';
import { JOB_OWNING_KINDS, TRAINING_REGISTRY, trainingEntry, type PodMatch, type TrainingKindEntry } from '../../shared/k8s/training-kinds';
import type { ConditionView, ReplicaStatusView, TrainingJobRow, TrainingKind, TrainingPhase } from '../../shared/models/views';
import { asArray, asRecord, byName, conditionTrue, conditionsOf, num, podIsFinished, podRequests, gpuCount, str, templateGpus } from './common';

function controllerKind(object: KubeObject): string | undefined {
  return object.metadata.ownerReferences?.find((o) => o.controller)?.kind;
}

function duration(start: string | undefined, end: string | undefined, now: number | undefined): number | undefined {
  const s = start ? Date.parse(start) : NaN;
  if (!Number.isFinite(s)) return undefined;
  // Without `now` (live streams) a running job has no duration yet: the page ticks it locally.
  if (!end && now === undefined) return undefined;
  const e = end ? Date.parse(end) : now!;
  return Number.isFinite(e) ? Math.max(0, Math.round((e - s) / 1000)) : undefined;
}

function base(object: KubeObject, kind: TrainingKind): Pick<TrainingJobRow, 'key' | 'section' | 'kind' | 'apiVersion' | 'name' | 'namespace'> {
  return { key: object.metadata.uid ?? `${kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`, section: 'training', kind, apiVersion: object.apiVersion ?? '', name: object.metadata.name, namespace: object.metadata.namespace ?? 'default' };
}

function finish(row: Omit<TrainingJobRow, 'durationSeconds'>, now?: number): TrainingJobRow {
  const d = duration(row.start, row.completion, now);
  return d === undefined ? row : { ...row, durationSeconds: d };
}

/** `label=value` selecting the pods of `object` (a job, or a spark-submit driver), from the registry. */
export function podSelectorOf(kind: TrainingKind, object: KubeObject): string | undefined {
  const pods = trainingEntry(kind).pods;
  if (!pods) return undefined;
  let value: unknown = object;
  for (const key of pods.valueFrom ?? ['metadata', 'name']) value = asRecord(value)[key];
  return typeof value === 'string' && value ? `${pods.label}=${value}` : undefined;
}

function describe(condition: ConditionView | undefined): { phaseReason?: string; message?: string } {
  if (!condition) return {};
  return { ...(condition.reason ? { phaseReason: condition.reason } : {}), ...(condition.message ? { message: condition.message } : {}) };
}

/** batch/v1 Job: conditions Complete / Failed / Suspended; counts active / succeeded / failed. */
export function batchJobRow(job: KubeObject, now?: number): TrainingJobRow {
  const spec = asRecord(job.spec);
  const status = asRecord(job.status);
  const conditions = conditionsOf(job);
  const complete = conditionTrue(conditions, 'Complete');
  const failed = conditionTrue(conditions, 'Failed');
  const suspended = conditionTrue(conditions, 'Suspended') ?? (spec.suspend === true && !complete && !failed ? { type: 'Suspended', status: 'True', reason: 'spec.suspend' } : undefined);
  const active = num(status.active);
  const phase: TrainingPhase = complete ? 'Succeeded' : failed ? 'Failed' : suspended ? 'Suspended' : active > 0 ? 'Running' : 'Pending';
  return finish(
    {
      ...base(job, 'Job'),
      phase,
      ...describe(complete ?? failed ?? suspended),
      replicas: [{ type: 'Pods', active, succeeded: num(status.succeeded), failed: num(status.failed), ...(status.ready !== undefined ? { ready: num(status.ready) } : {}) }],
      gpus: num(spec.parallelism, 1) * templateGpus(spec.template),
      start: str(status.startTime),
      completion: str(status.completionTime) ?? (failed ? failed.lastTransitionTime : undefined),
      podSelector: podSelectorOf('Job', job),
    },
    now,
  );
}

/** Where each Training Operator v1 kind keeps its replica specs (`pytorchReplicaSpecs`). */
const V1_REPLICA_SPECS: Record<string, string> = Object.fromEntries((TRAINING_REGISTRY as readonly TrainingKindEntry[]).flatMap((e) => (e.view?.replicaSpecs ? [[e.kind, e.view.replicaSpecs]] : [])));

/**
 * Training Operator v1 (TFJob, PyTorchJob, MPIJob, XGBoostJob, PaddleJob, JAXJob): the operator keeps one condition
 * per state and flips earlier ones to False, so the phase is the most decisive True condition.
 */
export function kubeflowV1Row(job: KubeObject, now?: number): TrainingJobRow {
  const kind = (job.kind ?? 'PyTorchJob') as TrainingKind;
  const spec = asRecord(job.spec);
  const status = asRecord(job.status);
  const conditions = conditionsOf(job);
  const order: [string, TrainingPhase][] = [['Failed', 'Failed'], ['Succeeded', 'Succeeded'], ['Suspended', 'Suspended'], ['Restarting', 'Restarting'], ['Running', 'Running'], ['Created', 'Created']];
  const hit = order.map(([type, phase]) => [conditionTrue(conditions, type), phase] as const).find(([c]) => c);
  const replicaSpecs = asRecord(spec[V1_REPLICA_SPECS[kind] ?? ''] ?? Object.entries(spec).find(([k]) => k.endsWith('ReplicaSpecs'))?.[1]);
  const replicaStatuses = asRecord(status.replicaStatuses);
  const types = [...new Set([...Object.keys(replicaSpecs), ...Object.keys(replicaStatuses)])];
  const replicas: ReplicaStatusView[] = types.map((type) => {
    const s = asRecord(replicaStatuses[type]);
    return { type, active: num(s.active), succeeded: num(s.succeeded), failed: num(s.failed) };
  });
  let gpus = 0;
  for (const r of Object.values(replicaSpecs)) gpus += num(asRecord(r).replicas, 1) * templateGpus(asRecord(r).template);
  const failedCondition = conditionTrue(conditions, 'Failed');
  return finish(
    {
      ...base(job, kind),
      phase: hit?.[1] ?? 'Pending',
      ...describe(hit?.[0]),
      replicas,
      gpus,
      start: str(status.startTime),
      completion: str(status.completionTime) ?? failedCondition?.lastTransitionTime,
      podSelector: podSelectorOf(kind, job),
    },
    now,
  );
}

/**
 * Per replicated job counts, as JobSet reports them in `replicatedJobsStatus` and TrainJob (which
 * runs on JobSet) in `jobsStatus`.
 */
function replicatedJobReplicas(statuses: Record<string, unknown>[]): TrainingJobRow['replicas'] {
  return statuses.map((s) => ({ type: str(s.name) ?? '?', active: num(s.active), succeeded: num(s.succeeded), failed: num(s.failed), ready: num(s.ready) }));
}

/** Kubeflow Trainer v2 TrainJob: conditions Complete (not "Succeeded"), Failed, Suspended; jobsStatus. */
export function trainJobRow(job: KubeObject, now?: number): TrainingJobRow {
  const spec = asRecord(job.spec);
  const conditions = conditionsOf(job);
  const jobs = asArray(asRecord(job.status).jobsStatus).map(asRecord);
  const complete = conditionTrue(conditions, 'Complete');
  const failed = conditionTrue(conditions, 'Failed');
  const suspended = conditionTrue(conditions, 'Suspended') ?? (spec.suspend === true ? { type: 'Suspended', status: 'True', reason: 'spec.suspend' } : undefined);
  const active = jobs.reduce((s, j) => s + num(j.active) + num(j.ready), 0);
  const phase: TrainingPhase = complete ? 'Succeeded' : failed ? 'Failed' : suspended ? 'Suspended' : active > 0 ? 'Running' : jobs.length ? 'Created' : 'Pending';
  const trainer = asRecord(spec.trainer);
  const perNode = gpuCount(podRequests({ containers: [{ resources: trainer.resourcesPerNode }] }));
  return finish(
    {
      ...base(job, 'TrainJob'),
      phase,
      ...describe(complete ?? failed ?? suspended),
      replicas: replicatedJobReplicas(jobs),
      gpus: num(trainer.numNodes, 1) * perNode,
      start: str(job.metadata.creationTimestamp),
      completion: (complete ?? failed)?.lastTransitionTime,
      podSelector: podSelectorOf('TrainJob', job),
    },
    now,
  );
}

/** JobSet: conditions Completed / Failed / Suspended; replicatedJobsStatus per replicated job. */
export function jobSetRow(jobSet: KubeObject, now?: number): TrainingJobRow {
  const spec = asRecord(jobSet.spec);
  const status = asRecord(jobSet.status);
  const conditions = conditionsOf(jobSet);
  const completed = conditionTrue(conditions, 'Completed');
  const failed = conditionTrue(conditions, 'Failed');
  const suspended = conditionTrue(conditions, 'Suspended');
  const statuses = asArray(status.replicatedJobsStatus).map(asRecord);
  const running = statuses.some((s) => num(s.active) + num(s.ready) > 0);
  const phase: TrainingPhase = completed ? 'Succeeded' : failed ? 'Failed' : suspended ? 'Suspended' : running ? 'Running' : 'Pending';
  let gpus = 0;
  for (const rj of asArray(spec.replicatedJobs).map(asRecord)) {
    const jobSpec = asRecord(asRecord(rj.template).spec);
    gpus += num(rj.replicas, 1) * num(jobSpec.parallelism, 1) * templateGpus(jobSpec.template);
  }
  return finish(
    {
      ...base(jobSet, 'JobSet'),
      phase,
      ...describe(completed ?? failed ?? suspended),
      replicas: replicatedJobReplicas(statuses),
      gpus,
      start: str(jobSet.metadata.creationTimestamp),
      completion: (completed ?? failed)?.lastTransitionTime,
      podSelector: podSelectorOf('JobSet', jobSet),
    },
    now,
  );
}

/** KubeRay RayJob: jobStatus (the Ray job) and jobDeploymentStatus (the CR's lifecycle). */
export function rayJobRow(job: KubeObject, now?: number): TrainingJobRow {
  const spec = asRecord(job.spec);
  const status = asRecord(job.status);
  const jobStatus = str(status.jobStatus);
  const deployment = str(status.jobDeploymentStatus);
  let phase: TrainingPhase;
  if (jobStatus === 'SUCCEEDED') phase = 'Succeeded';
  else if (jobStatus === 'FAILED' || jobStatus === 'STOPPED' || deployment === 'Failed') phase = 'Failed';
  else if (deployment === 'Suspended' || deployment === 'Suspending') phase = 'Suspended';
  else if (deployment === 'Retrying') phase = 'Restarting';
  else if (jobStatus === 'RUNNING' || deployment === 'Running') phase = 'Running';
  else if (deployment === 'Complete') phase = 'Succeeded';
  else phase = 'Pending';
  const cluster = asRecord(spec.rayClusterSpec);
  const head = asRecord(cluster.headGroupSpec);
  const groups = asArray(cluster.workerGroupSpecs).map(asRecord);
  const clusterStatus = asRecord(status.rayClusterStatus);
  let gpus = templateGpus(head.template);
  for (const g of groups) gpus += num(g.replicas, num(g.minReplicas, 1)) * num(g.numOfHosts, 1) * templateGpus(g.template);
  const podSelector = podSelectorOf('RayJob', job);
  return finish(
    {
      ...base(job, 'RayJob'),
      phase,
      phaseReason: [deployment, jobStatus].filter(Boolean).join(' / ') || undefined,
      ...(str(status.message) ? { message: status.message } : {}),
      replicas: [
        { type: 'head', active: 1, succeeded: 0, failed: 0 },
        ...groups.map((g) => ({
          type: str(g.groupName) ?? 'workers',
          active: num(clusterStatus.availableWorkerReplicas, num(g.replicas)),
          succeeded: 0,
          failed: 0,
          ...(clusterStatus.readyWorkerReplicas !== undefined ? { ready: num(clusterStatus.readyWorkerReplicas) } : {}),
        })),
      ],
      gpus,
      start: str(status.startTime),
      completion: str(status.endTime),
      ...(podSelector ? { podSelector } : {}),
    },
    now,
  );
}

const SPARK_PHASE: Record<string, TrainingPhase> = {
  NEW: 'Pending', SUBMITTED: 'Pending', PENDING_RERUN: 'Restarting', RUNNING: 'Running', SUCCEEDING: 'Running', FAILING: 'Running',
  COMPLETED: 'Succeeded', FAILED: 'Failed', SUBMISSION_FAILED: 'Failed', INVALIDATING: 'Restarting', SUSPENDING: 'Suspended', SUSPENDED: 'Suspended', RESUMING: 'Pending', UNKNOWN: 'Unknown',
};

/** Spark operator SparkApplication: status.applicationState.state and executorState. */
export function sparkApplicationRow(app: KubeObject, now?: number): TrainingJobRow {
  const spec = asRecord(app.spec);
  const status = asRecord(app.status);
  const state = str(asRecord(status.applicationState).state) ?? 'NEW';
  const executors = Object.values(asRecord(status.executorState));
  const gpuOf = (role: Record<string, any>) => num(asRecord(role.gpu).quantity);
  const executorSpec = asRecord(spec.executor);
  const driverState = status.driverInfo ? (state === 'COMPLETED' ? 'succeeded' : state === 'FAILED' ? 'failed' : 'active') : 'none';
  return finish(
    {
      ...base(app, 'SparkApplication'),
      phase: SPARK_PHASE[state] ?? 'Unknown',
      phaseReason: state,
      ...(str(asRecord(status.applicationState).errorMessage) ? { message: status.applicationState.errorMessage } : {}),
      replicas: [
        { type: 'driver', active: driverState === 'active' ? 1 : 0, succeeded: driverState === 'succeeded' ? 1 : 0, failed: driverState === 'failed' ? 1 : 0 },
        {
          type: 'executor',
          active: executors.filter((s) => s === 'RUNNING' || s === 'PENDING').length,
          succeeded: executors.filter((s) => s === 'COMPLETED').length,
          failed: executors.filter((s) => s === 'FAILED').length,
        },
      ],
      gpus: gpuOf(asRecord(spec.driver)) + num(executorSpec.instances, 1) * gpuOf(executorSpec),
      start: str(status.lastSubmissionAttemptTime),
      completion: str(status.terminationTime),
      podSelector: podSelectorOf('SparkApplication', app),
    },
    now,
  );
}

const POD_PHASE: Record<string, TrainingPhase> = { Pending: 'Pending', Running: 'Running', Succeeded: 'Succeeded', Failed: 'Failed' };

/** spark-submit without the operator: the driver pod (spark-role=driver) and its executors. */
export function sparkSubmitRows(pods: KubeObject[], now?: number): TrainingJobRow[] {
  const bySelector = new Map<string, KubeObject[]>();
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    if (labels['spark-role'] !== 'executor' || !labels['spark-app-selector']) continue;
    bySelector.set(labels['spark-app-selector'], [...(bySelector.get(labels['spark-app-selector']) ?? []), pod]);
  }
  return pods
    .filter((pod) => {
      const labels = pod.metadata.labels ?? {};
      return labels['spark-role'] === 'driver' && !labels['sparkoperator.k8s.io/app-name'];
    })
    .map((driver) => {
      const labels = driver.metadata.labels ?? {};
      const selector = labels['spark-app-selector'];
      const executors = selector ? (bySelector.get(selector) ?? []) : [];
      const status = asRecord(driver.status);
      const phaseOf = (p: KubeObject) => str(asRecord(p.status).phase);
      const terminated = asArray(status.containerStatuses).map((c) => asRecord(asRecord(c).state).terminated).find(Boolean);
      return finish(
        {
          ...base(driver, 'SparkSubmit'),
          apiVersion: 'v1',
          name: labels['spark-app-name'] ?? driver.metadata.name,
          phase: POD_PHASE[phaseOf(driver) ?? ''] ?? 'Unknown',
          phaseReason: `driver pod ${driver.metadata.name}`,
          replicas: [
            { type: 'driver', active: podIsFinished(driver) ? 0 : 1, succeeded: phaseOf(driver) === 'Succeeded' ? 1 : 0, failed: phaseOf(driver) === 'Failed' ? 1 : 0 },
            {
              type: 'executor',
              active: executors.filter((p) => !podIsFinished(p)).length,
              succeeded: executors.filter((p) => phaseOf(p) === 'Succeeded').length,
              failed: executors.filter((p) => phaseOf(p) === 'Failed').length,
            },
          ],
          gpus: [driver, ...executors].reduce((s, p) => s + gpuCount(podRequests(p.spec)), 0),
          start: str(status.startTime),
          completion: str(asRecord(terminated).finishedAt),
          podSelector: podSelectorOf('SparkSubmit', driver),
        },
        now,
      );
    });
}

export interface TrainingInputs {
  jobs: KubeObject[];
  kubeflowV1: KubeObject[];
  trainJobs: KubeObject[];
  jobSets: KubeObject[];
  rayJobs: KubeObject[];
  sparkApplications: KubeObject[];
  pods: KubeObject[];
}

/** One table of every training job kind, children of other kinds left out. */
export function trainingRows(inputs: TrainingInputs, now?: number): TrainingJobRow[] {
  const rows: TrainingJobRow[] = [];
  const guard = (object: KubeObject, kind: TrainingKind, fn: () => TrainingJobRow) => {
    try {
      rows.push(fn());
    } catch (error) {
      rows.push({ ...base(object, kind), phase: 'Unknown', message: `Could not read this object: ${(error as Error).message}`, replicas: [], gpus: 0 });
    }
  };
  for (const job of inputs.jobs) if (!JOB_OWNING_KINDS.has(controllerKind(job) ?? '')) guard(job, 'Job', () => batchJobRow(job, now));
  for (const job of inputs.kubeflowV1) guard(job, (job.kind ?? 'PyTorchJob') as TrainingKind, () => kubeflowV1Row(job, now));
  for (const job of inputs.trainJobs) guard(job, 'TrainJob', () => trainJobRow(job, now));
  for (const js of inputs.jobSets) if (controllerKind(js) !== 'TrainJob') guard(js, 'JobSet', () => jobSetRow(js, now));
  for (const job of inputs.rayJobs) guard(job, 'RayJob', () => rayJobRow(job, now));
  for (const app of inputs.sparkApplications) guard(app, 'SparkApplication', () => sparkApplicationRow(app, now));
  rows.push(...sparkSubmitRows(inputs.pods, now));
  return rows.sort((a, b) => byName(a, b) || a.kind.localeCompare(b.kind));
}

/** Which pod tells the job's story (master/chief/launcher/driver/head, per the registry), else the first by name. */
export function primaryPod(kind: TrainingKind, pods: KubeObject[]): KubeObject | undefined {
  const sorted = [...pods].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const matches = (pod: KubeObject, rule: PodMatch) => Object.entries(rule).every(([label, values]) => values.includes(pod.metadata.labels?.[label] ?? null));
  for (const rule of trainingEntry(kind).primaryPod) {
    const found = sorted.find((p) => matches(p, rule));
    if (found) return found;
  }
  return sorted[0];
}
