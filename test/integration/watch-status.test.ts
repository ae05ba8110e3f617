import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { captureStream, tempDir } from '../support/fixtures';
import { runCli } from '../../main/cli';
import type { StatusReport } from '../../shared/models/views';
import { boundClaim, cpuNode, deploymentWithHpa, gpuNode, gpuPod, trainingJob, waitForServiceAccount } from './watch-fixtures';

const enabled = requireControlPlane('watch status');

describe.runIf(enabled)('slipway status on a simulated GPU cluster', () => {
  let cluster: TestCluster;
  const tmp = tempDir();

  beforeAll(async () => {
    cluster = await startCluster();
    await cluster.apply([gpuNode('gpu-a', 8), gpuNode('gpu-b', 4), cpuNode('cpu-a')].join('---\n'));
    await waitForServiceAccount(cluster);
    await cluster.apply([gpuPod('llm-finetune', 'gpu-a', 2), boundClaim('dataset'), trainingJob('mnist', 1), deploymentWithHpa('inference', 1)].join('---\n'));
  });

  afterAll(async () => {
    await cluster?.stop();
    tmp.cleanup();
  });

  const status = async (args: string[] = []) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(['status', '--context', cluster.contextName, '--json', ...args], {
      stdout,
      stderr,
      env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'), HOME: tmp.dir },
    });
    return { code, report: JSON.parse(stdout.text()) as StatusReport, stderr: stderr.text() };
  };

  it('reports GPU allocation per node, the bound claim, the finished job and the HPA', async () => {
    let last: StatusReport | undefined;
    await expect
      .poll(
        async () => {
          const { code, report } = await status();
          expect(code).toBe(0);
          last = report;
          const claim = report.storage.claims.find((c) => c.name === 'dataset');
          const job = report.trainingJobs.find((j) => j.name === 'mnist');
          return `${claim?.phase}/${job?.phase}`;
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe('Bound/Succeeded');
    const report = last!;
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['nodes', 'gpus', 'hpas', 'storage', 'trainingJobs']));
    expect(report.version).toBe('v1.34.4');
    const a = report.nodes.find((n) => n.name === 'gpu-a')!;
    expect(a.gpu).toMatchObject({ capacity: 8, allocatable: 8, requested: 2, product: 'NVIDIA-H100-80GB-HBM3', resource: 'nvidia.com/gpu' });
    expect(report.nodes.find((n) => n.name === 'cpu-a')!.gpu.capacity).toBe(0);
    expect(report.gpus).toMatchObject({ capacity: 12, allocatable: 12, gpuNodes: 2, products: ['NVIDIA-H100-80GB-HBM3'] });
    // The finished job's pod no longer holds its GPU.
    expect(report.gpus.requested).toBe(2);
    const claim = report.storage.claims.find((c) => c.name === 'dataset')!;
    expect(claim).toMatchObject({ phase: 'Bound', capacity: '50Gi', storageClass: 'manual', volume: 'dataset-pv', accessModes: ['ReadWriteOnce'] });
    expect(report.storage.classes.find((c) => c.name === 'manual')).toMatchObject({ provisioner: 'kubernetes.io/no-provisioner', reclaimPolicy: 'Retain', allowExpansion: true, bindingMode: 'Immediate' });
    expect(report.storage.ceph).toBeNull();
    const job = report.trainingJobs.find((j) => j.name === 'mnist')!;
    expect(job).toMatchObject({ kind: 'Job', phase: 'Succeeded', gpus: 1 });
    expect(job.replicas[0]).toMatchObject({ succeeded: 1, failed: 0 });
    expect(job.durationSeconds).toBeGreaterThanOrEqual(0);
    const hpa = report.hpas.find((h) => h.name === 'inference')!;
    expect(hpa).toMatchObject({ target: { kind: 'Deployment', name: 'inference' }, minReplicas: 1, maxReplicas: 6 });
    expect(hpa.metrics).toEqual([expect.objectContaining({ type: 'Resource', name: 'cpu', target: '60%' })]);
    // No metrics-server in this cluster: said, not hidden.
    expect(report.metricsApi).toBe('missing');
  });

  it('prints the same view models as tables without --json', async () => {
    const stdout = captureStream();
    const code = await runCli(['status', '--context', cluster.contextName], { stdout, stderr: captureStream(), env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'), HOME: tmp.dir } });
    expect(code).toBe(0);
    const text = stdout.text();
    expect(text).toContain('GPUs: 2 requested / 12 allocatable / 12 capacity on 2 node(s) — NVIDIA-H100-80GB-HBM3');
    expect(text).toMatch(/gpu-a\s+yes\s+2\/8\/8\s+NVIDIA-H100-80GB-HBM3/);
    expect(text).toMatch(/default\s+dataset\s+Bound\s+50Gi\s+manual\s+dataset-pv/);
    expect(text).toMatch(/default\s+Job\s+mnist\s+Succeeded/);
    expect(text).toContain('metrics API missing');
  });

  it('narrows namespaced views to --namespace and fails clearly on an unknown context', async () => {
    const { report } = await status(['--namespace', 'kube-system']);
    expect(report.trainingJobs).toEqual([]);
    expect(report.nodes.length).toBe(3);
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(['status', '--context', 'nope'], { stdout, stderr, env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'), HOME: tmp.dir } });
    expect(code).toBe(1);
    expect(stderr.text()).toMatch(/CONTEXT_NOT_FOUND/);
  });
});
