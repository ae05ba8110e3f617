import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { VIEWS } from './definitions';
import { fixture } from './fixtures/load';
import { batchJobRow, jobSetRow, kubeflowV1Row, primaryPod, rayJobRow, sparkApplicationRow, sparkSubmitRows, trainJobRow, trainingRows } from './training';

const NOW = Date.parse('2025-04-06T12:00:00Z');

describe('Training Operator v1 jobs', () => {
  it('PyTorchJob: Succeeded wins over the Running condition the operator flipped to False', () => {
    const row = kubeflowV1Row(fixture('pytorchjob-succeeded.json'), NOW);
    expect(row).toMatchObject({ kind: 'PyTorchJob', phase: 'Succeeded', phaseReason: 'PyTorchJobSucceeded', gpus: 1 + 2 * 2, durationSeconds: 431, podSelector: 'training.kubeflow.org/job-name=pytorch-simple' });
    expect(row.replicas).toEqual([
      { type: 'Master', active: 0, succeeded: 1, failed: 0 },
      { type: 'Worker', active: 0, succeeded: 2, failed: 0 },
    ]);
  });

  it('TFJob running: replica counts from replicaStatuses, duration runs to now', () => {
    const row = kubeflowV1Row(fixture('tfjob-running.json'), NOW);
    expect(row).toMatchObject({ kind: 'TFJob', phase: 'Running', gpus: 4 });
    expect(row.replicas).toContainEqual({ type: 'Worker', active: 3, succeeded: 0, failed: 1 });
    expect(row.durationSeconds).toBe((NOW - Date.parse('2025-03-04T11:00:01Z')) / 1000);
    // Live streams pass no clock: a running job then carries no duration (the page ticks it).
    expect(kubeflowV1Row(fixture('tfjob-running.json')).durationSeconds).toBeUndefined();
  });

  it('MPIJob failed and XGBoostJob only created', () => {
    const mpi = kubeflowV1Row(fixture('mpijob-failed.json'), NOW);
    expect(mpi).toMatchObject({ kind: 'MPIJob', phase: 'Failed', message: expect.stringContaining('Launcher replica(s) failed'), completion: '2025-03-05T08:12:00Z', gpus: 2 });
    expect(mpi.replicas).toContainEqual({ type: 'Launcher', active: 0, succeeded: 0, failed: 1 });
    const xgb = kubeflowV1Row(fixture('xgboostjob-created.json'), NOW);
    expect(xgb).toMatchObject({ kind: 'XGBoostJob', phase: 'Created', gpus: 0 });
    expect(xgb.replicas.map((r) => r.type)).toEqual(['Master', 'Worker']);
  });
});

describe('Trainer v2, JobSet, RayJob, Spark', () => {
  it('TrainJob: Complete (not Succeeded) means succeeded; GPUs are numNodes × resourcesPerNode', () => {
    const row = trainJobRow(fixture('trainjob-complete.json'), NOW);
    expect(row).toMatchObject({ kind: 'TrainJob', phase: 'Succeeded', phaseReason: 'JobsCompleted', gpus: 8, durationSeconds: 5400 });
    expect(row.replicas).toEqual([{ type: 'node', active: 0, succeeded: 2, failed: 0, ready: 0 }]);
  });

  it('JobSet completed and running', () => {
    const done = jobSetRow(fixture('jobset-completed.json'), NOW);
    expect(done).toMatchObject({ phase: 'Succeeded', phaseReason: 'AllJobsCompleted', gpus: 3 * 2 * 1 });
    expect(done.replicas).toContainEqual({ type: 'workers', active: 0, succeeded: 3, failed: 0, ready: 0 });
    expect(jobSetRow(fixture('jobset-running.json'), NOW).phase).toBe('Running');
  });

  it('RayJob: jobStatus and jobDeploymentStatus', () => {
    const ok = rayJobRow(fixture('rayjob-succeeded.json'), NOW);
    expect(ok).toMatchObject({ phase: 'Succeeded', phaseReason: 'Complete / SUCCEEDED', gpus: 2, durationSeconds: 210, podSelector: 'ray.io/cluster=rayjob-sample-raycluster-9vdtf' });
    expect(ok.replicas).toContainEqual({ type: 'gpu-group', active: 2, succeeded: 0, failed: 0, ready: 2 });
    expect(rayJobRow(fixture('rayjob-running.json'), NOW).phase).toBe('Running');
  });

  it('SparkApplication and spark-submit pods', () => {
    const app = sparkApplicationRow(fixture('sparkapplication-completed.json'), NOW);
    expect(app).toMatchObject({ phase: 'Succeeded', phaseReason: 'COMPLETED', gpus: 2, durationSeconds: 69 });
    expect(app.replicas).toContainEqual({ type: 'executor', active: 0, succeeded: 2, failed: 0 });
    const [submit] = sparkSubmitRows(fixture<KubeObject[]>('spark-submit-pods.json'), NOW);
    expect(submit).toMatchObject({ kind: 'SparkSubmit', name: 'spark-pi', phase: 'Running', gpus: 2, podSelector: 'spark-app-selector=spark-0f1e2d3c' });
    expect(submit!.replicas).toContainEqual({ type: 'executor', active: 1, succeeded: 0, failed: 1 });
  });
});

describe('batch/v1 Jobs and the combined table', () => {
  it('reads conditions and counts, including a Job with no status at all', () => {
    const [running, complete, failed, , bare] = fixture<KubeObject[]>('batch-jobs.json').map((j) => batchJobRow(j, NOW));
    expect(running).toMatchObject({ phase: 'Running', gpus: 2, replicas: [{ type: 'Pods', active: 2, succeeded: 1, failed: 0, ready: 1 }] });
    expect(complete).toMatchObject({ phase: 'Succeeded', durationSeconds: 120 });
    expect(failed).toMatchObject({ phase: 'Failed', phaseReason: 'BackoffLimitExceeded', completion: '2025-04-05T08:03:00Z' });
    expect(bare).toMatchObject({ phase: 'Suspended', gpus: 0, replicas: [{ active: 0, succeeded: 0, failed: 0 }] });
  });

  it('lists every kind once, leaving out Jobs that a JobSet owns', () => {
    const rows = trainingRows(
      {
        jobs: fixture('batch-jobs.json'),
        kubeflowV1: ['pytorchjob-succeeded.json', 'tfjob-running.json', 'mpijob-failed.json', 'xgboostjob-created.json'].map((f) => fixture(f)),
        trainJobs: [fixture('trainjob-complete.json')],
        jobSets: [fixture('jobset-completed.json'), fixture('jobset-running.json')],
        rayJobs: [fixture('rayjob-succeeded.json'), fixture('rayjob-running.json')],
        sparkApplications: [fixture('sparkapplication-completed.json')],
        pods: fixture('spark-submit-pods.json'),
      },
      NOW,
    );
    expect(rows.map((r) => `${r.kind}:${r.name}`).sort()).toEqual(
      [
        'Job:mnist', 'Job:eval', 'Job:broken', 'Job:no-status-yet', 'PyTorchJob:pytorch-simple', 'TFJob:dist-mnist', 'MPIJob:tensorflow-benchmarks', 'XGBoostJob:xgboost-dist-iris',
        'TrainJob:llama-finetune', 'JobSet:paralleljobs', 'JobSet:tpu-like', 'RayJob:rayjob-sample', 'RayJob:rayjob-tune', 'SparkApplication:spark-pi', 'SparkSubmit:spark-pi',
      ].sort(),
    );
  });

  it('a malformed object becomes an Unknown row with the reason, not a crash', () => {
    const weird = { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'odd', namespace: 'x', uid: 'u' }, spec: { pytorchReplicaSpecs: { Master: { replicas: 'many', template: 7 } } }, status: { conditions: 'nope', replicaStatuses: [1, 2] } } as unknown as KubeObject;
    const rows = trainingRows({ jobs: [], kubeflowV1: [weird], trainJobs: [], jobSets: [], rayJobs: [], sparkApplications: [], pods: [] }, NOW);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'odd', phase: 'Pending', gpus: 0 });
  });

  it('picks the primary pod: master, head, driver', () => {
    const pod = (name: string, labels: Record<string, string>) => ({ metadata: { name, uid: name, labels } }) as KubeObject;
    expect(primaryPod('PyTorchJob', [pod('j-worker-0', { 'training.kubeflow.org/replica-type': 'worker', 'training.kubeflow.org/replica-index': '0' }), pod('j-master-0', { 'training.kubeflow.org/replica-type': 'master' })])?.metadata.name).toBe('j-master-0');
    expect(primaryPod('RayJob', [pod('a-worker', { 'ray.io/node-type': 'worker' }), pod('z-head', { 'ray.io/node-type': 'head' })])?.metadata.name).toBe('z-head');
    expect(primaryPod('SparkSubmit', fixture<KubeObject[]>('spark-submit-pods.json'))?.metadata.name).toBe('spark-pi-9a8b-driver');
  });

  it('picks the first pod of the first job for JobSet and TrainJob, and the first pod for a batch Job', () => {
    const pod = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, uid: name, labels } }) as KubeObject;
    const pods = [
      pod('a-1-0', { 'jobset.sigs.k8s.io/job-index': '1' }),
      pod('b-0-1', { 'jobset.sigs.k8s.io/job-index': '0', 'batch.kubernetes.io/job-completion-index': '1' }),
      pod('c-0', { 'jobset.sigs.k8s.io/job-index': '0' }),
    ];
    expect(primaryPod('JobSet', pods)?.metadata.name).toBe('c-0');
    expect(primaryPod('TrainJob', pods)?.metadata.name).toBe('c-0');
    expect(primaryPod('Job', pods)?.metadata.name).toBe('a-1-0');
  });

  it('lists PaddleJob and JAXJob (Kueue kinds) from the registry, with their replica specs and pods', () => {
    const sources = VIEWS.training.sources;
    expect(sources.find((s) => s.id === 'paddlejobs')).toEqual({ id: 'paddlejobs', resource: { group: 'kubeflow.org', plural: 'paddlejobs' }, scoped: true, optional: true });
    expect(sources.find((s) => s.id === 'jobs')).toEqual({ id: 'jobs', resource: { group: 'batch', plural: 'jobs' }, scoped: true });
    expect(sources.find((s) => s.id === 'sparkpods')).toEqual({ id: 'sparkpods', resource: { group: '', plural: 'pods' }, scoped: true, labelSelector: 'spark-role' });
    const job = (kind: string, specs: string) =>
      ({
        apiVersion: 'kubeflow.org/v1',
        kind,
        metadata: { name: kind.toLowerCase(), namespace: 'ml', uid: kind },
        spec: { [specs]: { Worker: { replicas: 2, template: { spec: { containers: [{ name: 'w', resources: { limits: { 'nvidia.com/gpu': 1 } } }] } } } } },
        status: { conditions: [{ type: 'Running', status: 'True' }], replicaStatuses: { Worker: { active: 2 } } },
      }) as KubeObject;
    const { rows } = VIEWS.training.compute({ paddlejobs: [job('PaddleJob', 'paddleReplicaSpecs')], jaxjobs: [job('JAXJob', 'jaxReplicaSpecs')] }, new Set(), NOW);
    expect(rows).toMatchObject([
      { kind: 'JAXJob', phase: 'Running', gpus: 2, replicas: [{ type: 'Worker', active: 2 }], podSelector: 'training.kubeflow.org/job-name=jaxjob' },
      { kind: 'PaddleJob', phase: 'Running', gpus: 2, replicas: [{ type: 'Worker', active: 2 }], podSelector: 'training.kubeflow.org/job-name=paddlejob' },
    ]);
  });
});
