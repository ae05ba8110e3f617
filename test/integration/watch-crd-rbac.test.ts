/**
 * Kinds from CRDs installed after a watch started, objects with broken status, and RBAC that
 * forbids part of a view: each view shows what it can and says what it cannot.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { captureStream, tempDir, testServices, writeKubeconfig } from '../support/fixtures';
import type { Services } from '../../main/services';
import { WatchService } from '../../main/kube/watch/watch-service';
import { ViewsService } from '../../main/views/views-service';
import type { StatusReport, TrainingJobRow, ViewBatch, ViewMeta, ViewRow } from '../../shared/models/views';
import { runCli } from '../../main/cli';
import { cpuNode, gpuNode } from './watch-fixtures';

const enabled = requireControlPlane('watch CRDs and RBAC');

const RAYJOB_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: rayjobs.ray.io }
spec:
  group: ray.io
  scope: Namespaced
  names: { kind: RayJob, listKind: RayJobList, plural: rayjobs, singular: rayjob }
  versions:
  - name: v1
    served: true
    storage: true
    schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`;

const rayJob = (name: string, status: string) => `apiVersion: ray.io/v1
kind: RayJob
metadata: { name: ${name}, namespace: default }
spec:
  entrypoint: python train.py
  rayClusterSpec:
    headGroupSpec: { template: { spec: { containers: [ { name: head, image: rayproject/ray:2.41.0 } ] } } }
    workerGroupSpecs:
    - groupName: gpu
      replicas: 2
      template: { spec: { containers: [ { name: w, image: rayproject/ray:2.41.0-gpu, resources: { limits: { nvidia.com/gpu: "1" } } } ] } }
status: ${status}
`;

describe.runIf(enabled)('views with CRDs installed later, broken objects and RBAC limits', () => {
  const tmp = tempDir();
  let cluster: TestCluster;
  let services: Services;
  let watch: WatchService;
  let views: ViewsService;

  beforeAll(async () => {
    cluster = await startCluster();
    await cluster.apply([gpuNode('gpu-a', 8), cpuNode('cpu-a')].join('---\n'));
    services = testServices({ ...process.env, KUBECONFIG: cluster.kubeconfigPath, HOME: tmp.dir }, path.join(tmp.dir, 'config'));
    watch = new WatchService((c) => services.clients.forContext(c), { lingerMs: 0, probeIntervalMs: 1_000 });
    views = new ViewsService(watch);
  });

  afterAll(async () => {
    watch?.dispose();
    services?.dispose();
    await cluster?.stop();
    tmp.cleanup();
  });

  function live(request: Parameters<ViewsService['watchView']>[0]) {
    const rows = new Map<string, ViewRow>();
    let meta: ViewMeta | undefined;
    let messages = 0;
    const sub = views.watchView(request, (batch: ViewBatch) => {
      messages++;
      if (batch.type === 'snapshot') {
        rows.clear();
        for (const r of batch.rows) rows.set(r.key, r);
        meta = batch.meta;
      } else {
        for (const k of batch.deletes) rows.delete(k);
        for (const r of batch.upserts) rows.set(r.key, r);
        if (batch.meta) meta = batch.meta;
      }
    });
    return { rows, meta: () => meta, messages: () => messages, sub };
  }

  it('a RayJob CRD installed after the training view started is discovered and its jobs appear', async () => {
    const view = live({ context: cluster.contextName, view: 'training' });
    await expect.poll(() => view.meta()?.absent ?? [], { timeout: 20_000 }).toContain('rayjobs.ray.io');
    expect(view.meta()!.problems).toEqual([]);
    await cluster.apply(RAYJOB_CRD);
    await cluster.kubectl(['wait', '--for=condition=Established', 'crd/rayjobs.ray.io', '--timeout=30s']);
    await cluster.apply(rayJob('tune', '{ jobStatus: RUNNING, jobDeploymentStatus: Running, rayClusterName: tune-rc, startTime: "2025-04-03T11:00:04Z" }'));
    // Broken status fields: still a row, never a crash.
    await cluster.apply(rayJob('odd', '{ jobStatus: 42, rayClusterStatus: "nope", startTime: [1] }'));
    const rayRows = () => [...view.rows.values()].filter((r): r is TrainingJobRow => r.section === 'training' && r.kind === 'RayJob');
    await expect.poll(() => rayRows().map((r) => `${r.name}:${r.phase}`).sort(), { timeout: 30_000 }).toEqual(['odd:Pending', 'tune:Running']);
    expect(rayRows().find((r) => r.name === 'tune')).toMatchObject({ gpus: 2, podSelector: 'ray.io/cluster=tune-rc' });
    expect(view.meta()!.absent).not.toContain('rayjobs.ray.io');
    view.sub.dispose();
  });

  it('RBAC: forbidden resources are named ("no permission to list pods"), the rest still shows — live and in slipway status', async () => {
    await cluster.apply(`apiVersion: v1
kind: ServiceAccount
metadata: { name: node-viewer, namespace: default }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: node-viewer }
rules:
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: node-viewer }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-viewer }
subjects: [ { kind: ServiceAccount, name: node-viewer, namespace: default } ]
`);
    const token = (await cluster.kubectl(['create', 'token', 'node-viewer', '-n', 'default'])).trim();
    const file = writeKubeconfig(path.join(tmp.dir, 'viewer.yaml'), [{ name: 'viewer', server: cluster.server }]);
    const fs = await import('node:fs');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('token: test-token', `token: ${token}`));
    const limited = testServices({ ...process.env, KUBECONFIG: file, HOME: tmp.dir }, path.join(tmp.dir, 'config-viewer'));
    const limitedWatch = new WatchService((c) => limited.clients.forContext(c), { lingerMs: 0, probeIntervalMs: 0 });
    const limitedViews = new ViewsService(limitedWatch);
    try {
      const rows = new Map<string, ViewRow>();
      let meta: ViewMeta | undefined;
      const sub = limitedViews.watchView({ context: 'viewer', view: 'overview' }, (b) => {
        if (b.type === 'snapshot') {
          for (const r of b.rows) rows.set(r.key, r);
          meta = b.meta;
        } else {
          for (const r of b.upserts) rows.set(r.key, r);
          if (b.meta) meta = b.meta;
        }
      });
      await expect.poll(() => meta?.problems.map((p) => p.message) ?? [], { timeout: 20_000 }).toEqual(['no permission to list pods']);
      expect([...rows.values()].map((r) => (r as { name: string }).name).sort()).toEqual(['cpu-a', 'gpu-a']);
      sub.dispose();

      const stdout = captureStream();
      const stderr = captureStream();
      const code = await runCli(['status', '--context', 'viewer', '--json'], { stdout, stderr, env: { ...process.env, KUBECONFIG: file, HOME: tmp.dir, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config-viewer') } });
      expect(code).toBe(0);
      const report = JSON.parse(stdout.text()) as StatusReport;
      expect(report.nodes.map((n) => n.name).sort()).toEqual(['cpu-a', 'gpu-a']);
      expect(report.gpus.capacity).toBe(8);
      expect(report.problems.map((p) => p.message)).toEqual(expect.arrayContaining(['no permission to list pods', 'no permission to list horizontalpodautoscalers.autoscaling', 'no permission to list jobs.batch']));
      expect(stderr.text()).toContain('slipway: warning: no permission to list pods');
    } finally {
      limitedWatch.dispose();
      limited.dispose();
    }
  });
});
