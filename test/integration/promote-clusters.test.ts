import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli';
import type { Services } from '../../main/services';
import type { DiffResult, PlanResult } from '../../shared/models/promote';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { requireControlPlane } from '../support/control-plane';
import { startFaultProxy, faultTargetOf, type FaultProxy } from '../support/fault-proxy';
import { captureStream, closedPort, tempDir, testServices, writeKubeconfig } from '../support/fixtures';
import { setupCloud, setupLaptop } from './promote-fixtures';

const enabled = requireControlPlane('promotion between simulated clusters');
const samples = path.resolve(__dirname, '../../resources/samples');
const GKE = path.join(samples, 'profiles/gke.yaml');

const check = (plan: PlanResult, id: string) => plan.checks.find((c) => c.id === id);
const failedIds = (plan: PlanResult) => plan.checks.filter((c) => c.status === 'fail').map((c) => c.id);

describe.runIf(enabled)('promotion from a laptop cluster to a cloud cluster', () => {
  const tmp = tempDir('slipway-promote-');
  let laptop: TestCluster;
  let cloud: TestCluster;
  let services: Services;
  let env: NodeJS.ProcessEnv;
  let proxy: FaultProxy;
  const configDir = path.join(tmp.dir, 'config');
  const get = async (args: string[]) => JSON.parse(await cloud.kubectl(['get', ...args, '-o', 'json', '--show-managed-fields']));

  beforeAll(async () => {
    [laptop, cloud] = await Promise.all([startCluster(), startCluster()]);
    await Promise.all([setupLaptop(laptop), setupCloud(cloud)]);
    // A user who may only read config maps in ml-prod, and one whose token expired.
    await cloud.apply(
      [
        'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: limited, namespace: ml-prod}',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: read-config, namespace: ml-prod}\nrules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list]}]',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: limited, namespace: ml-prod}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: read-config}\nsubjects: [{kind: ServiceAccount, name: limited, namespace: ml-prod}]',
      ].join('\n---\n'),
    );
    const token = (await cloud.kubectl(['create', 'token', 'limited', '-n', 'ml-prod'])).trim();
    const extra = writeKubeconfig(path.join(tmp.dir, 'extra.yaml'), [
      { name: 'cloud-expired', server: cloud.server },
      { name: 'offline', server: `https://127.0.0.1:${await closedPort()}` },
    ]);
    const limited = writeKubeconfig(path.join(tmp.dir, 'limited.yaml'), [{ name: 'cloud-limited', server: cloud.server }]);
    fs.writeFileSync(limited, fs.readFileSync(limited, 'utf8').replace('token: test-token', `token: ${token}`));
    proxy = await startFaultProxy(faultTargetOf(cloud));
    const throttled = proxy.writeKubeconfig(path.join(tmp.dir, 'throttled.yaml'), 'cloud-throttled');
    env = { ...process.env, KUBECONFIG: [laptop.kubeconfigPath, cloud.kubeconfigPath, extra, limited, throttled].join(path.delimiter), SLIPWAY_CONFIG_DIR: configDir, HOME: tmp.dir };
    services = testServices(env, configDir);
  });

  afterAll(async () => {
    services?.dispose();
    await proxy?.close();
    await Promise.all([laptop?.stop(), cloud?.stop()]);
    tmp.cleanup();
  });

  it('plans the training job for the cloud: every profile change rendered, preflight passes', async () => {
    // The gke profile's Artifact Registry is fictional, and test traffic stays on loopback: no registry lookup.
    const plan = await services.promote.plan({ bundle: path.join(samples, 'training-job'), target: cloud.contextName, profile: GKE, registryCheck: false });
    expect(failedIds(plan)).toEqual([]);
    expect(plan.target.version).toBe('v1.34.4');
    expect(check(plan, 'kind:batch/Job')?.status).toBe('ok');
    expect(check(plan, 'namespace:ml-prod')?.reason).toBe('ml-prod exists.');
    expect(check(plan, 'priorityclass:ml-batch')?.status).toBe('ok');
    expect(check(plan, 'gpu:nvidia.com/gpu')).toMatchObject({ status: 'ok', reason: '1 nvidia.com/gpu needed, 8 free on 2 node(s).' });
    expect(check(plan, 'quota:ml-prod/ml-quota')?.status).toBe('ok');
    expect(check(plan, 'rbac:batch/jobs in ml-prod')?.status).toBe('ok');
    expect(check(plan, 'image:us-docker.pkg.dev/acme-ml/models/trainer:0.3.1')?.status).toBe('ok');
    const job = plan.rendered.find((r) => r.ref.kind === 'Job')!;
    expect(job.ref.namespace).toBe('ml-prod');
    expect(job.changes).toContain('template: runtimeClassName nvidia removed');
  });

  it('preflight catches a missing CRD, too few GPUs, a missing storage class, an unknown kind, a missing namespace and a local image', async () => {
    const noCrd = await services.promote.plan({ bundle: path.join(samples, 'pytorchjob'), target: laptop.contextName });
    expect(check(noCrd, 'kind:kubeflow.org/PyTorchJob')).toMatchObject({ status: 'fail' });
    expect(check(noCrd, 'kind:kubeflow.org/PyTorchJob')!.reason).toContain('CRD is not installed');
    expect(check(noCrd, 'image:localhost:5001/ml/ddp-trainer:0.3.1')?.status).toBe('fail');
    expect(noCrd.ok).toBe(false);

    const big = path.join(tmp.dir, 'big-job');
    fs.mkdirSync(big);
    fs.writeFileSync(
      path.join(big, 'job.yaml'),
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: big, namespace: ml}\nspec:\n  parallelism: 3\n  template:\n    spec:\n      restartPolicy: Never\n      nodeSelector: {nvidia.com/gpu.present: "true"}\n      containers: [{name: t, image: "gcr.io/acme/t:1", resources: {limits: {nvidia.com/gpu: 4}}}]\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: ml}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: ml}\nspec: {storageClassName: standard, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n`,
    );
    const plan = await services.promote.plan({ bundle: big, target: cloud.contextName, profileSpec: { ...services.promote.profiles.loadFile(GKE), storageClasses: { standard: 'fast-ssd' }, namespace: 'nowhere', createNamespace: false } });
    expect(check(plan, 'gpu:nvidia.com/gpu')!.status).toBe('fail');
    expect(check(plan, 'gpu:nvidia.com/gpu')!.reason).toContain('needs 4 nvidia.com/gpu per pod × 3');
    expect(check(plan, 'storageclass:fast-ssd')!.reason).toContain('profile "gke" maps standard → fast-ssd');
    expect(check(plan, 'kind:example.com/Widget')!.status).toBe('fail');
    expect(check(plan, 'namespace:nowhere')!.status).toBe('fail');
    // The quota allows 8 GPUs; 12 are asked for.
    const quota = await services.promote.plan({ bundle: big, target: cloud.contextName, profile: GKE });
    expect(check(quota, 'quota:ml-prod/ml-quota')).toMatchObject({ status: 'fail' });
    expect(check(quota, 'quota:ml-prod/ml-quota')!.reason).toContain('requests.nvidia.com/gpu: needs 12, quota allows 8');

    // Required node affinity narrows the nodes as a selector does: no GPU node is in that zone.
    const zoned = path.join(tmp.dir, 'zoned-job');
    fs.mkdirSync(zoned);
    fs.writeFileSync(
      path.join(zoned, 'job.yaml'),
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: zoned, namespace: ml}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms: [{matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [nowhere-1a]}]}]\n      containers: [{name: t, image: "gcr.io/acme/t:1", resources: {limits: {nvidia.com/gpu: 1}}}]\n`,
    );
    const zonedPlan = await services.promote.plan({ bundle: zoned, target: cloud.contextName, profile: GKE });
    expect(check(zonedPlan, 'gpu:nvidia.com/gpu')).toMatchObject({ status: 'fail' });
    expect(check(zonedPlan, 'gpu:nvidia.com/gpu')!.reason).toContain('but no node matches cloud.google.com/gke-accelerator=nvidia-tesla-a100 and node affinity');
    expect(check(zonedPlan, 'gpu:nvidia.com/gpu')!.reason).toContain('node affinity topology.kubernetes.io/zone In (nowhere-1a)');
  });

  it('reports an unreachable target, expired credentials and missing permissions as failed checks, and applies nothing', async () => {
    const bundle = path.join(samples, 'training-job');
    const offline = await services.promote.plan({ bundle, target: 'offline', profile: GKE });
    expect(offline.checks).toHaveLength(1);
    expect(offline.checks[0]).toMatchObject({ id: 'reachable', status: 'fail' });
    expect(offline.checks[0]!.reason).toContain('connection refused');
    const expired = await services.promote.apply({ bundle, target: 'cloud-expired', profile: GKE, forceConflicts: false, prune: false, waitTimeoutSeconds: 0 });
    expect(expired.status).toBe('blocked');
    expect(expired.checks[0]!.reason).toContain('credentials were rejected or have expired');
    const limited = await services.promote.apply({ bundle, target: 'cloud-limited', profile: GKE, registryCheck: false, forceConflicts: false, prune: false, waitTimeoutSeconds: 0 });
    expect(limited.status).toBe('blocked');
    expect(limited.checks.find((c) => c.id === 'rbac:batch/jobs in ml-prod')).toMatchObject({ status: 'fail', reason: 'Not allowed to get, create, patch batch/jobs in ml-prod. Ask an admin for a Role granting it.' });
    expect((await get(['jobs', '-n', 'ml-prod'])).items).toEqual([]);
  });

  it('promotes the dataset, the training job, the PyTorchJob and the inference service with the profile\'s changes', async () => {
    for (const name of ['dataset', 'training-job', 'pytorchjob', 'inference']) {
      const result = await services.promote.apply({ bundle: path.join(samples, name), target: cloud.contextName, profile: 'gke', registryCheck: false, forceConflicts: false, prune: false, waitTimeoutSeconds: 60 });
      const namespace = result.objects.find((o) => o.ref.kind === 'Namespace');
      // ml-prod existed: the first promotion adds the profile's labels to it, the others find it as wanted.
      expect(namespace?.outcome).toBe(name === 'dataset' ? 'configured' : 'unchanged');
      expect({ name, status: result.status, objects: result.objects.filter((o) => o.outcome !== 'created' && o !== namespace) }).toEqual({ name, status: 'succeeded', objects: [] });
    }
    expect((await get(['namespace', 'ml-prod'])).metadata.labels).toMatchObject({ team: 'ml', environment: 'production' });
    const pvc = await get(['pvc', 'dataset', '-n', 'ml-prod']);
    expect(pvc.spec.storageClassName).toBe('premium-rwo');
    expect(pvc.status.phase).toBe('Bound');
    expect(pvc.metadata.labels).toMatchObject({ team: 'ml', environment: 'production', 'slipway.dev/bundle': 'dataset' });

    const job = await get(['job', 'finetune-resnet', '-n', 'ml-prod']);
    const jobPod = job.spec.template.spec;
    expect(jobPod.runtimeClassName).toBeUndefined();
    expect(jobPod.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-a100' });
    expect(jobPod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }]);
    expect(jobPod.priorityClassName).toBe('ml-batch');
    expect(jobPod.containers[0].image).toBe('us-docker.pkg.dev/acme-ml/models/trainer:0.3.1');
    expect(job.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('team-ml');
    expect(job.status.startTime).toBeTruthy();

    const pj = await get(['pytorchjobs.kubeflow.org', 'ddp-bert', '-n', 'ml-prod']);
    expect(pj.spec.pytorchReplicaSpecs.Worker.template.spec.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-a100' });
    expect(pj.spec.pytorchReplicaSpecs.Master.template.spec.containers[0].image).toBe('us-docker.pkg.dev/acme-ml/models/ddp-trainer:0.3.1');

    const hpa = await get(['hpa', 'inference', '-n', 'ml-prod']);
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 8]);
    const deploy = await get(['deployment', 'inference', '-n', 'ml-prod']);
    expect(deploy.spec.template.spec.tolerations).toHaveLength(1);
    // The replica count is the HPA's: slipway does not own spec.replicas.
    const owners = deploy.metadata.managedFields.filter((m: any) => m.manager === 'slipway').map((m: any) => JSON.stringify(m.fieldsV1));
    expect(owners.join('')).not.toContain('"f:replicas"');
    expect((await get(['svc', 'inference', '-n', 'ml-prod'])).spec.clusterIP).toMatch(/^\d+\./);
    expect(services.promote.listHistory().filter((h) => h.status === 'succeeded')).toHaveLength(4);
  });

  it('a second diff says unchanged for every object', async () => {
    for (const name of ['dataset', 'training-job', 'pytorchjob', 'inference']) {
      const diff = await services.promote.diff({ bundle: path.join(samples, name), target: cloud.contextName, profile: 'gke', registryCheck: false });
      expect({ name, notUnchanged: diff.entries.filter((e) => e.action !== 'unchanged') }).toEqual({ name, notUnchanged: [] });
    }
  });

  it('shows a field owned by another manager as a conflict, applies nothing until forced, and rollback restores it', async () => {
    const bundle = path.join(samples, 'inference');
    await cloud.kubectl(['patch', 'deployment', 'inference', '-n', 'ml-prod', '--field-manager=ops-hotfix', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"vllm/vllm-openai:v0.6.4-hotfix"}]']);
    const diff = await services.promote.diff({ bundle, target: cloud.contextName, profile: 'gke' });
    const entry = diff.entries.find((e) => e.ref.kind === 'Deployment')!;
    expect(entry.action).toBe('conflict');
    expect(entry.conflict!.managers).toEqual(['ops-hotfix']);
    expect(entry.conflict!.fields.join()).toContain('image');

    const blocked = await services.promote.apply({ bundle, target: cloud.contextName, profile: 'gke', forceConflicts: false, prune: false, waitTimeoutSeconds: 0 });
    expect(blocked.status).toBe('blocked');
    expect(blocked.objects).toEqual([expect.objectContaining({ outcome: 'conflict', message: expect.stringContaining('owned by ops-hotfix') })]);
    const image = async () => (await get(['deployment', 'inference', '-n', 'ml-prod'])).spec.template.spec.containers[0].image;
    expect(await image()).toBe('vllm/vllm-openai:v0.6.4-hotfix');

    const forced = await services.promote.apply({ bundle, target: cloud.contextName, profile: 'gke', forceConflicts: true, prune: false, waitTimeoutSeconds: 0 });
    expect(forced.status).toBe('succeeded');
    expect(forced.objects.find((o) => o.ref.kind === 'Deployment')!.outcome).toBe('configured');
    expect(await image()).toBe('vllm/vllm-openai:v0.6.3');

    const rolled = await services.promote.rollback(forced.id);
    expect(rolled.objects).toEqual([expect.objectContaining({ ref: expect.objectContaining({ kind: 'Deployment' }), action: 'restored' })]);
    expect(await image()).toBe('vllm/vllm-openai:v0.6.4-hotfix');
    await expect(services.promote.rollback(forced.id)).rejects.toThrow(/already rolled back/);
  });

  it('rollback removes what a promotion created but never a PVC', async () => {
    const history = services.promote.listHistory();
    const training = history.find((h) => h.bundle === 'training-job' && h.status === 'succeeded')!;
    const dataset = history.find((h) => h.bundle === 'dataset' && h.status === 'succeeded')!;
    expect((await services.promote.rollback(training.id)).objects.map((o) => `${o.action} ${o.ref.kind}`)).toEqual(['deleted Job']);
    expect((await get(['jobs', '-n', 'ml-prod'])).items).toEqual([]);
    const ds = await services.promote.rollback(dataset.id);
    expect(ds.objects).toEqual([
      expect.objectContaining({ ref: expect.objectContaining({ kind: 'PersistentVolumeClaim' }), action: 'kept', message: 'claims are never deleted (they hold data)' }),
      expect.objectContaining({ ref: expect.objectContaining({ kind: 'Namespace', name: 'ml-prod' }), action: 'restored' }),
    ]);
    expect((await get(['namespace', 'ml-prod'])).metadata.labels).not.toHaveProperty('team');
    expect((await get(['pvc', 'dataset', '-n', 'ml-prod'])).metadata.name).toBe('dataset');
  });

  it('bad bundles change nothing in the target', async () => {
    const dir = path.join(tmp.dir, 'bad');
    fs.mkdirSync(dir);
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: must-not-exist, namespace: ml-prod}\ndata: {a: "1"}\n';
    fs.writeFileSync(path.join(dir, 'a.yaml'), cm);
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\n  namespace: ml-prod\nspec:\n  replicas: "many"\n');
    const rejected = await services.promote.apply({ bundle: dir, target: cloud.contextName, forceConflicts: false, prune: false, waitTimeoutSeconds: 0 });
    expect(rejected.status).toBe('blocked');
    expect(rejected.objects).toEqual([expect.objectContaining({ ref: expect.objectContaining({ name: 'broken' }), outcome: 'failed' })]);

    fs.writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: ml-prod}\n');
    expect((await services.promote.apply({ bundle: dir, target: cloud.contextName, forceConflicts: false, prune: false, waitTimeoutSeconds: 0 })).status).toBe('blocked');

    fs.writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n');
    await expect(services.promote.apply({ bundle: dir, target: cloud.contextName, forceConflicts: false, prune: false, waitTimeoutSeconds: 0 })).rejects.toThrow(`${path.join(dir, 'b.yaml')}:5: invalid YAML`);

    await expect(cloud.kubectl(['get', 'configmap', 'must-not-exist', '-n', 'ml-prod'])).rejects.toThrow(/NotFound/);
  });

  it('captures the laptop namespace without cluster-assigned fields, and the capture promotes', async () => {
    await laptop.kubectl(['apply', '-n', 'ml', '-f', path.join(samples, 'inference/inference.yaml'), '-f', path.join(samples, 'dataset/dataset-pvc.yaml')]);
    await laptop.kubectl(['wait', '-n', 'ml', '--for=jsonpath={.status.phase}=Bound', 'pvc/dataset', '--timeout=60s']);
    await laptop.kubectl(['rollout', 'status', '-n', 'ml', 'deployment/inference', '--timeout=60s']);
    const out = path.join(tmp.dir, 'captured');
    const captured = await services.promote.capture({ context: laptop.contextName, namespace: 'ml', out });
    expect(captured.bundle.objects.map((o) => o.ref.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'PersistentVolumeClaim', 'Service']);
    const text = captured.files.map((f) => fs.readFileSync(path.join(out, f), 'utf8')).join('\n');
    for (const noise of ['uid:', 'resourceVersion', 'managedFields', 'creationTimestamp', 'clusterIP', 'volumeName', 'status:', 'last-applied-configuration', 'pv.kubernetes.io']) expect(text).not.toContain(noise);

    const diff: DiffResult = await services.promote.diff({ bundle: out, target: cloud.contextName, profileSpec: { ...services.promote.profiles.loadFile(GKE), namespace: 'ml-staging' } });
    expect(diff.plan.ok).toBe(true);
    expect(diff.plan.bundle.source).toEqual({ kind: 'capture', context: laptop.contextName, namespace: 'ml' });
    expect(diff.entries.map((e) => `${e.action} ${e.ref.kind}`)).toEqual(['create Namespace', 'create PersistentVolumeClaim', 'create Service', 'create Deployment', 'create HorizontalPodAutoscaler']);
  });

  it('works from the CLI: promote --diff --json, history, rollback, export', async () => {
    const cli = async (...args: string[]) => {
      const stdout = captureStream();
      const stderr = captureStream();
      const code = await runCli(args, { stdout, stderr, env });
      return { code, stdout: stdout.text(), stderr: stderr.text() };
    };
    const bundle = path.join(samples, 'training-job');
    const diff = await cli('promote', bundle, '--to', cloud.contextName, '--profile', GKE, '--diff', '--json', '--no-registry-check');
    expect(diff.code).toBe(0);
    // The dataset rollback took the profile's labels off ml-prod again: this promotion puts them back.
    const entries = JSON.parse(diff.stdout).entries as DiffResult['entries'];
    expect(entries.map((e) => `${e.action} ${e.ref.kind}`)).toEqual(['change Namespace', 'create Job']);
    expect(entries[0]!.changes).toEqual([
      { path: 'metadata.labels.environment', type: 'added', after: 'production' },
      { path: 'metadata.labels.team', type: 'added', after: 'ml' },
      { path: 'metadata.annotations', type: 'added', after: { 'slipway.dev/promoted-from': 'laptop' } },
    ]);
    const apply = await cli('promote', bundle, '--to', cloud.contextName, '--profile', 'gke', '--apply', '--wait', '30', '--no-registry-check');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/Promotion \S+: succeeded/);
    expect(apply.stderr).toContain('preflight');
    const id = /Promotion (\S+):/.exec(apply.stdout)![1]!;
    const history = JSON.parse((await cli('history', '--json')).stdout);
    expect(history.promotions[0]).toMatchObject({ id, bundle: 'training-job', target: cloud.contextName, status: 'succeeded' });
    const rollback = await cli('rollback', id);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toContain('deleted  Job ml-prod/finetune-resnet');
    const bad = await cli('promote', bundle, '--to', cloud.contextName, '--plan', '--apply');
    expect(bad.code).toBe(2);
    const planFail = await cli('promote', path.join(samples, 'pytorchjob'), '--to', laptop.contextName);
    expect(planFail.code).toBe(1);
    expect(planFail.stdout).toContain('FAIL  PyTorchJob (kubeflow.org/v1)');
  });

  it('exports an overlay that kustomize builds into exactly the rendered objects', async () => {
    const out = path.join(tmp.dir, 'gitops');
    const bundle = path.join(samples, 'inference');
    const result = await services.promote.export({ bundle, profile: 'gke', out, format: 'overlay' });
    expect(result.files).toContain('overlays/gke/kustomization.yaml');
    const built = await laptop.kubectl(['kustomize', path.join(out, 'overlays/gke')]);
    const manifests = path.join(tmp.dir, 'gitops-manifests');
    await services.promote.export({ bundle, profile: 'gke', out: manifests });
    const direct = await laptop.kubectl(['kustomize', manifests]);
    const parse = (text: string) => text.split(/^---$/m).map((d) => d.trim()).filter(Boolean).sort();
    expect(parse(built)).toEqual(parse(direct));
    expect(direct).toContain('cloud.google.com/gke-accelerator: nvidia-tesla-a100');
    await expect(services.promote.export({ bundle, profile: 'gke', out })).rejects.toThrow(/is not empty/);
  });
  it('honours 429 answers: waits the Retry-After and carries on', async () => {
    const dir = path.join(tmp.dir, 'throttle');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: throttled, namespace: ml-prod}\ndata: {a: "1"}\n');
    proxy.inject({ kind: 'status', status: 429, retryAfterSeconds: 1 }, { match: { method: 'PATCH' }, times: 2 });
    const started = Date.now();
    const result = await services.promote.apply({ bundle: dir, target: 'cloud-throttled', forceConflicts: false, prune: false, waitTimeoutSeconds: 0 });
    expect(result.status).toBe('succeeded');
    // The two dry runs (namespace, config map) run side by side: each waits its 1 s once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const patches = proxy.requests.filter((r) => r.method === 'PATCH').map((r) => r.outcome);
    expect(patches.filter((o) => o === 'status')).toHaveLength(2);
    expect(patches.slice(2).every((o) => o === 'pass')).toBe(true);
    expect((await get(['configmap', 'throttled', '-n', 'ml-prod'])).data).toEqual({ a: '1' });
  });

  it('prunes only when asked, never a PVC, and rollback brings pruned objects back', async () => {
    const dir = path.join(tmp.dir, 'prunable');
    fs.mkdirSync(dir);
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ml-prod}\ndata: {v: "1"}\n`;
    fs.writeFileSync(path.join(dir, 'a.yaml'), cm('keep-me'));
    fs.writeFileSync(path.join(dir, 'b.yaml'), cm('drop-me'));
    fs.writeFileSync(path.join(dir, 'c.yaml'), 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: scratch, namespace: ml-prod}\nspec: {storageClassName: premium-rwo, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n');
    const opts = { bundle: dir, target: cloud.contextName, forceConflicts: false, waitTimeoutSeconds: 0 };
    expect((await services.promote.apply({ ...opts, prune: false })).status).toBe('succeeded');
    fs.rmSync(path.join(dir, 'b.yaml'));
    fs.rmSync(path.join(dir, 'c.yaml'));
    await services.promote.apply({ ...opts, prune: false });
    expect((await get(['configmap', 'drop-me', '-n', 'ml-prod'])).metadata.name).toBe('drop-me');
    const pruned = await services.promote.apply({ ...opts, prune: true });
    expect(pruned.objects.filter((o) => o.outcome === 'pruned').map((o) => o.ref.name)).toEqual(['drop-me']);
    await expect(cloud.kubectl(['get', 'configmap', 'drop-me', '-n', 'ml-prod'])).rejects.toThrow(/NotFound/);
    expect((await get(['pvc', 'scratch', '-n', 'ml-prod'])).metadata.name).toBe('scratch');
    const rolled = await services.promote.rollback(pruned.id);
    expect(rolled.objects.map((o) => `${o.action} ${o.ref.name}`)).toEqual(['restored drop-me']);
    expect((await get(['configmap', 'drop-me', '-n', 'ml-prod'])).data).toEqual({ v: '1' });
  });

  it('loads a kustomization with the kubectl the tool locator finds', async () => {
    const dir = path.join(tmp.dir, 'kustomized');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(samples, 'training-job/train-job.yaml'), path.join(dir, 'job.yaml'));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [job.yaml]\nnamePrefix: nightly-\ncommonLabels: {schedule: nightly}\n');
    const info = await services.promote.loadBundle(dir);
    expect(info.source).toEqual({ kind: 'kustomization', path: dir });
    expect(info.objects.map((o) => `${o.ref.kind} ${o.ref.name}`)).toEqual(['Job nightly-finetune-resnet']);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [missing.yaml]\n');
    await expect(services.promote.loadBundle(dir)).rejects.toThrow(/kustomize build of .* failed: .*missing\.yaml/);
  });
});
