import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli';
import type { ApplyResult, DiffResult, PlanResult } from '../../shared/models/promote';
import { CONTROL_PLANE_BIN, requireControlPlane } from '../support/control-plane';
import { captureStream, tempDir, writeKubeconfig } from '../support/fixtures';

const enabled = requireControlPlane('promoting again to a cluster with exactly enough GPUs');
const exec = promisify(execFile);

const bundleYaml = (options: { replicas: number; image?: string; strategy?: string }) => `apiVersion: v1
kind: Namespace
metadata: {name: ml}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: gpus, namespace: ml}
spec: {hard: {requests.nvidia.com/gpu: "2", pods: "4"}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: infer, namespace: ml}
spec:
  replicas: ${options.replicas}
${options.strategy ? `  strategy: ${options.strategy}\n` : ''}  selector: {matchLabels: {app: infer}}
  template:
    metadata: {labels: {app: infer}}
    spec:
      containers:
        - name: server
          image: ${options.image ?? 'registry.example.com/ml/infer:1.0'}
          resources: {limits: {nvidia.com/gpu: 1}}
`;

/**
 * The issue's walk-through as a user runs it: a simulated cluster with one GPU node of 2 GPUs,
 * a Deployment of 2 pods × 1 GPU promoted right after `slipway cluster create`, then planned,
 * diffed and applied again; then versions that grow past the cluster or roll out with a surge.
 */
describe.runIf(enabled)('promoting again to a cluster with exactly enough GPUs', () => {
  const tmp = tempDir('slipway-promote-again-');
  const configDir = path.join(tmp.dir, 'config');
  fs.mkdirSync(path.join(tmp.dir, 'kube'));
  const kubeconfig = writeKubeconfig(path.join(tmp.dir, 'kube', 'config'), [{ name: 'prod', server: 'https://prod.example:6443' }]);
  const env = { HOME: tmp.dir, KUBECONFIG: kubeconfig, SLIPWAY_CONFIG_DIR: configDir, PATH: '' };
  const bundle = path.join(tmp.dir, 'bundle');
  fs.mkdirSync(bundle);
  const slipway = async (...argv: string[]) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(argv, { stdout, stderr, env });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  const kubectl = async (...args: string[]) => (await exec(path.join(CONTROL_PLANE_BIN, 'kubectl'), ['--context', 'kwok-gpu', ...args], { env: { ...process.env, KUBECONFIG: kubeconfig } })).stdout;
  const promote = (...args: string[]) => slipway('promote', bundle, '--to', 'kwok-gpu', '--json', ...args);
  const gpuCheck = (plan: PlanResult) => plan.checks.find((c) => c.id === 'gpu:nvidia.com/gpu');
  const quotaCheck = (plan: PlanResult) => plan.checks.find((c) => c.id === 'quota:ml/gpus');
  /** Pod uids and the Deployment's generation: what an apply that changes nothing leaves as it was. */
  const liveState = async () => {
    const pods = JSON.parse(await kubectl('get', 'pods', '-n', 'ml', '-o', 'json')).items.map((p: { metadata: { uid: string } }) => p.metadata.uid).sort();
    const deployment = JSON.parse(await kubectl('get', 'deployment', 'infer', '-n', 'ml', '-o', 'json'));
    return { pods, generation: deployment.metadata.generation };
  };

  afterAll(async () => {
    await slipway('cluster', 'delete', 'gpu');
    tmp.cleanup();
  });

  it('applies right after `cluster create`, then plans, diffs and applies again: all pass, nothing changes', async () => {
    const created = await slipway('cluster', 'create', 'gpu', '--provider', 'kwok', '--gpu-nodes', '1', '--gpus-per-node', '2', '--no-metrics-server');
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('Waiting for nodes to be Ready');
    // Issued at once: create returned only when the nodes could take the pods.
    fs.writeFileSync(path.join(bundle, 'infer.yaml'), bundleYaml({ replicas: 2 }));
    const first = await promote('--apply', '--wait', '60');
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'succeeded' });
    expect(first.code).toBe(0);
    const before = await liveState();
    expect(before.pods).toHaveLength(2);

    const plan = await promote('--plan');
    const planned = JSON.parse(plan.stdout) as PlanResult;
    expect(planned.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(plan.code).toBe(0);
    expect(gpuCheck(planned)).toMatchObject({ status: 'ok', reason: '2 nvidia.com/gpu needed, 2 free on 1 node(s), counting the 2 that the pods this promotion replaces hold now.' });
    expect(quotaCheck(planned)).toMatchObject({ status: 'ok' });

    const diff = await promote('--diff');
    expect(diff.code).toBe(0);
    const diffed = JSON.parse(diff.stdout) as DiffResult;
    expect(diffed.entries.map((e) => `${e.action} ${e.ref.kind}`)).toEqual(['unchanged Namespace', 'unchanged ResourceQuota', 'unchanged Deployment']);

    const again = await promote('--apply', '--wait', '60');
    expect(again.code).toBe(0);
    const applied = JSON.parse(again.stdout) as ApplyResult;
    expect({ status: applied.status, outcomes: applied.objects.map((o) => o.outcome) }).toEqual({ status: 'succeeded', outcomes: ['unchanged', 'unchanged', 'unchanged'] });
    expect(await liveState()).toEqual(before);
  });

  it('fails preflight for one more GPU than the cluster has, with the net figures; --plan and --diff exit 1 though there are changes', async () => {
    fs.writeFileSync(path.join(bundle, 'infer.yaml'), bundleYaml({ replicas: 3 }));
    const plan = await promote('--plan');
    expect(plan.code).toBe(1);
    const planned = JSON.parse(plan.stdout) as PlanResult;
    expect(gpuCheck(planned)).toMatchObject({
      status: 'fail',
      reason: 'Deployment ml/infer needs 1 nvidia.com/gpu per pod × 3; the nodes it may run on have 2 free, counting the 2 that the pods this promotion replaces hold now, and 1 pod(s) would not fit (3 needed in total).',
    });
    expect(quotaCheck(planned)).toMatchObject({ status: 'fail', reason: expect.stringContaining('requests.nvidia.com/gpu: needs 3, quota allows 2') });
    const diff = await promote('--diff');
    expect(diff.code).toBe(1);
    expect((JSON.parse(diff.stdout) as DiffResult).entries.find((e) => e.ref.kind === 'Deployment')?.action).toBe('change');
    const blocked = await promote('--apply', '--wait', '0');
    expect(blocked.code).toBe(1);
    expect(JSON.parse(blocked.stdout)).toMatchObject({ status: 'blocked' });
  });

  it('warns that a rolling update\'s surge pod waits when only the old pods hold the GPUs; Recreate has none, maxUnavailable 1 lets it through; --diff with changes exits 0', async () => {
    fs.writeFileSync(path.join(bundle, 'infer.yaml'), bundleYaml({ replicas: 2, image: 'registry.example.com/ml/infer:1.1' }));
    const plan = await promote('--plan');
    const planned = JSON.parse(plan.stdout) as PlanResult;
    expect(planned.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(plan.code).toBe(0);
    expect(gpuCheck(planned)!.status).toBe('warn');
    expect(gpuCheck(planned)!.reason).toContain('the rolling update of Deployment ml/infer starts 1 surge pod(s) (maxSurge 25%)');
    expect(gpuCheck(planned)!.reason).toContain('With maxUnavailable 0 (Deployment ml/infer) no old pod stops first, so the rollout stalls');
    expect(quotaCheck(planned)!.status).toBe('warn');
    const diff = await promote('--diff');
    expect(diff.code).toBe(0);
    expect((JSON.parse(diff.stdout) as DiffResult).entries.find((e) => e.ref.kind === 'Deployment')?.action).toBe('change');

    // Recreate has no surge (planned only: the API refuses to switch a live Deployment to it while rollingUpdate is set).
    fs.writeFileSync(path.join(bundle, 'infer.yaml'), bundleYaml({ replicas: 2, image: 'registry.example.com/ml/infer:1.1', strategy: '{type: Recreate}' }));
    const recreate = JSON.parse((await promote('--plan')).stdout) as PlanResult;
    expect(gpuCheck(recreate)).toMatchObject({ status: 'ok', reason: '2 nvidia.com/gpu needed, 2 free on 1 node(s), counting the 2 that the pods this promotion replaces hold now.' });
    // maxUnavailable 1: the surge pod still waits, but an old pod stops first, so the rollout goes through.
    fs.writeFileSync(path.join(bundle, 'infer.yaml'), bundleYaml({ replicas: 2, image: 'registry.example.com/ml/infer:1.1', strategy: '{rollingUpdate: {maxUnavailable: 1}}' }));
    const lenient = JSON.parse((await promote('--plan')).stdout) as PlanResult;
    expect(gpuCheck(lenient)!.status).toBe('warn');
    expect(gpuCheck(lenient)!.reason).toContain('a surge pod waits until an old pod stops.');
    expect(gpuCheck(lenient)!.reason).not.toContain('stalls');
    const applied = await promote('--apply', '--wait', '60');
    expect(JSON.parse(applied.stdout)).toMatchObject({ status: 'succeeded' });
    expect(applied.code).toBe(0);
    expect(JSON.parse(await kubectl('get', 'deployment', 'infer', '-n', 'ml', '-o', 'json')).spec.template.spec.containers[0].image).toBe('registry.example.com/ml/infer:1.1');
  });

  it('--diff exits 1 when a field conflicts with another manager', async () => {
    await kubectl('patch', 'deployment', 'infer', '-n', 'ml', '--field-manager=ops-hotfix', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"registry.example.com/ml/infer:1.1-hotfix"}]');
    const diff = await promote('--diff');
    expect(diff.code).toBe(1);
    expect((JSON.parse(diff.stdout) as DiffResult).entries.find((e) => e.ref.kind === 'Deployment')?.action).toBe('conflict');
  });
});
