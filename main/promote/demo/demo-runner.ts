/**
 * `slipway demo`: the five-minute story for stakeholders, on two simulated clusters. A "laptop"
 * (kind-like, one RTX GPU node) runs the samples; load drives the inference HPA up; the training
 * job finishes; then the namespace is captured and promoted to a "cloud" (GKE-like, A100 node
 * pool, tainted GPUs, quota, Training Operator CRD) with the gke profile. Every step is
 * idempotent: a second run reuses the clusters and the promotion finds everything unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError, toAppError } from '../../../shared/errors';
import type { KubeObject } from '../../../shared/k8s/kube-object';
import type { ApplyResult } from '../../../shared/models/promote';
import { promotionProfileSchema } from '../../../shared/models/promote-profile';
import type { ClusterService } from '../../clusters/cluster-service';
import type { KubeClientFactory } from '../../kube/client-factory';
import type { MetricKnobService } from '../../metrics/knob-service';
import { ResourceMapper } from '../../kube/resources/resource-mapper';
import { serverSideApply } from '../../kube/resources/server-side-apply';
import { delay } from '../../delay';
import { loadBundle } from '../bundle-loader';
import { formatApply, formatDiffEntry } from '../format-text';
import type { PromoteService } from '../promote-service';
import type { TargetOps } from '../target';
import { render } from '../transforms';
import { cloudObjects, gkeGpuNodePatch, laptopObjects } from './demo-setup';

export const DEMO_CLUSTERS = { laptop: 'laptop', cloud: 'cloud' } as const;
const DEMO_MANAGER = 'slipway-demo';
const SAMPLES = ['dataset', 'training-job', 'pytorchjob', 'inference', 'inference-queue'];

export interface DemoIo {
  /** One narrated line; `step` is "3/7" for step headers, empty for details. */
  say(step: string, text: string): void;
  signal: AbortSignal;
  /** Seconds to pause between steps so people can follow in the GUI. */
  pace: number;
}

export interface DemoDeps {
  clusters: ClusterService;
  clients: KubeClientFactory;
  promote: PromoteService;
  metrics: MetricKnobService;
  configDir: string;
  samplesDir: string;
}

export interface DemoResult {
  laptop: string;
  cloud: string;
  promotion: ApplyResult;
  hpaReplicas: number;
  /** The queue workers at the queue's peak, and after it drained. */
  queueReplicas: { peak: number; drained: number };
  trainingCompleted: boolean;
}

/** The demo's request queue, an External metric served by Slipway's metrics adapter. */
const QUEUE = { metric: 'queue_depth', labels: { queue: 'inference' }, workers: 'inference-queue', peak: 50, perWorker: 10 } as const;

interface HpaWatch {
  name: string;
  /** The metric as a person reads it, from the HPA's status. */
  reading: (hpa: Record<string, any>) => string;
  done: (current: number, desired: number) => boolean;
  /** What to say when it did not happen in time. */
  late: string;
}

export class DemoRunner {
  constructor(private readonly deps: DemoDeps) {}

  private get captureDir(): string {
    return path.join(this.deps.configDir, 'demo', 'laptop-ml');
  }

  async run(io: DemoIo): Promise<DemoResult> {
    const steps = 7;
    let n = 0;
    const step = async (text: string) => {
      if (n > 0 && io.pace > 0) await delay(io.pace * 1000, io.signal);
      io.say(`${++n}/${steps}`, text);
    };
    await step('Creating the simulated "laptop" cluster: kind-like, 1 CPU node and 1 GPU node with 4 × RTX 4090');
    const laptop = await this.ensureCluster(DEMO_CLUSTERS.laptop, { nodes: 1, gpuNodes: 1, gpusPerNode: 4, gpuProduct: 'NVIDIA-GeForce-RTX-4090', gpuMemoryMiB: 24564 }, io);
    await step('Creating the simulated "cloud" cluster: GKE-like, 1 CPU node and 2 A100 nodes with 8 GPUs each');
    const cloud = await this.ensureCluster(DEMO_CLUSTERS.cloud, { nodes: 1, gpuNodes: 2, gpusPerNode: 8, gpuProduct: 'NVIDIA-A100-SXM4-40GB', gpuMemoryMiB: 40960 }, io);

    await step('Preparing both: laptop gets StorageClass standard and RuntimeClass nvidia; cloud gets premium-rwo disks, PriorityClass ml-batch, a ResourceQuota, the PyTorchJob CRD, GKE GPU labels and taints');
    const laptopOps = await this.ops(laptop, io);
    const cloudOps = await this.ops(cloud, io);
    await waitForNodes(laptopOps, 2, io);
    await waitForNodes(cloudOps, 3, io);
    await applyAll(laptopOps, laptopObjects());
    await applyAll(cloudOps, cloudObjects());
    await this.gkeNodes(cloudOps);
    await waitForNodes(cloudOps, 3, io);
    io.say('', 'laptop: nvidia.com/gpu.present nodes, runtimeClassName nvidia · cloud: cloud.google.com/gke-accelerator=nvidia-tesla-a100, taint nvidia.com/gpu=present:NoSchedule');

    await step(`Deploying the samples on the laptop in namespace ml: ${SAMPLES.join(', ')}`);
    const laptopProfile = promotionProfileSchema.parse({ name: 'laptop', namespace: 'ml', createNamespace: false });
    for (const sample of SAMPLES) {
      const bundle = await loadBundle(path.join(this.deps.samplesDir, sample), async () => null);
      const objects = render(bundle, laptopProfile).map((r) => r.object);
      await applyAll(laptopOps, objects);
      io.say('', `${sample}: ${objects.map((o) => `${o.kind} ${o.metadata.name}`).join(', ')}`);
    }

    await step(
      `Driving load: CPU on the inference service (cpu-load 50m → 900m per replica, 180 % of its request) and ${QUEUE.peak} requests queued for its workers (queue_depth, an External metric): both HPAs scale up; then the queue drains`,
    );
    await mergePatch(laptopOps, '/apis/apps/v1/namespaces/ml/deployments/inference', { spec: { template: { metadata: { annotations: { 'slipway.dev/cpu-load': '900m' } } } } });
    const setQueue = (depth: number) =>
      this.deps.metrics.set(
        { context: laptop, namespace: 'ml', metric: QUEUE.metric, value: String(depth), target: { type: 'external', labels: { ...QUEUE.labels }, replicasOf: `Deployment.apps/${QUEUE.workers}` } },
        io.signal,
      );
    await setQueue(QUEUE.peak);
    const cpuPercent = (hpa: Record<string, any>) => {
      const cpu = hpa.status?.currentMetrics?.[0]?.resource?.current?.averageUtilization;
      return `CPU ${cpu === undefined ? 'not measured yet' : `${cpu} %`} (target 60 %)`;
    };
    const queueDepth = (hpa: Record<string, any>) => {
      const depth = hpa.status?.currentMetrics?.[0]?.external?.current?.averageValue;
      return `queue ${depth === undefined ? 'not measured yet' : `${depth} per worker`} (target ${QUEUE.perWorker})`;
    };
    const hpaReplicas = await this.watchHpa(laptopOps, io, { name: 'inference', reading: cpuPercent, done: (current, desired) => current >= 2 && current >= desired, late: 'is the metrics API up? `slipway status`' });
    const wanted = Math.ceil(QUEUE.peak / QUEUE.perWorker);
    const peak = await this.watchHpa(laptopOps, io, { name: QUEUE.workers, reading: queueDepth, done: (current) => current >= wanted, late: 'is the external metrics API up? `slipway metrics list`' });
    io.say('', `The queue drains (queue_depth 0): ${QUEUE.workers} scales back down after its 15 s stabilization window`);
    await setQueue(0);
    const drained = await this.watchHpa(laptopOps, io, { name: QUEUE.workers, reading: queueDepth, done: (current, desired) => current === 1 && desired === 1, late: 'it scales down once the stabilization window has passed' });

    await step('Waiting for the training job finetune-resnet to finish on the laptop');
    const trainingCompleted = await this.waitForJob(laptopOps, io);

    await step(`Promoting namespace ml from ${laptop} to ${cloud} with profile gke: capture → preflight → server-side diff → apply`);
    fs.rmSync(this.captureDir, { recursive: true, force: true });
    const captured = await this.deps.promote.capture({ context: laptop, namespace: 'ml', out: this.captureDir }, { progress() {}, signal: io.signal });
    io.say('', `captured ${captured.files.length} objects into ${captured.dir} (status, uids, cluster IPs, bound volumes removed)`);
    // The gke profile's registry is fictional: asking it whether the images exist says nothing.
    const request = { bundle: captured.dir, target: cloud, profile: 'gke', registryCheck: false };
    const diff = await this.deps.promote.diff(request, { progress() {}, signal: io.signal });
    const failed = diff.plan.checks.filter((c) => c.status !== 'ok');
    io.say('', `preflight: ${diff.plan.checks.length - failed.length} ok${failed.length ? `, ${failed.map((c) => `${c.status}: ${c.title}`).join('; ')}` : ''}`);
    for (const entry of diff.entries) for (const line of formatDiffEntry(entry, 4)) io.say('', line.trim());
    const promotion = await this.deps.promote.apply({ ...request, forceConflicts: false, prune: false, waitTimeoutSeconds: 90 }, { progress: (p) => p.phase === 'apply workloads' && p.message && io.say('', p.message), signal: io.signal });
    for (const line of formatApply(promotion).split('\n')) io.say('', line);
    return { laptop, cloud, promotion, hpaReplicas, queueReplicas: { peak, drained }, trainingCompleted };
  }

  /** Deletes the demo's clusters and its capture folder; the promotion history stays. */
  async clean(io: DemoIo): Promise<string[]> {
    const existing = new Set((await this.deps.clusters.list(io.signal)).clusters.filter((c) => c.provider === 'kwok').map((c) => c.name));
    const removed: string[] = [];
    for (const name of Object.values(DEMO_CLUSTERS)) {
      if (!existing.has(name)) {
        io.say('', `cluster ${name}: not there`);
        continue;
      }
      io.say('', `deleting cluster ${name}…`);
      await this.deps.clusters.delete('kwok', name, { progress() {}, signal: io.signal });
      removed.push(name);
    }
    fs.rmSync(path.join(this.deps.configDir, 'demo'), { recursive: true, force: true });
    return removed;
  }

  private async ensureCluster(name: string, shape: { nodes: number; gpuNodes: number; gpusPerNode: number; gpuProduct: string; gpuMemoryMiB: number }, io: DemoIo): Promise<string> {
    const list = await this.deps.clusters.list(io.signal);
    const found = list.clusters.find((c) => c.provider === 'kwok' && c.name === name);
    if (found) {
      if (found.status !== 'running') {
        const { notes } = await this.deps.clusters.start('kwok', name);
        for (const note of notes) io.say('', note);
      }
      io.say('', `${found.contextName}: already there, reused`);
      return found.contextName;
    }
    let last = '';
    const result = await this.deps.clusters.create({ provider: 'kwok', name, ...shape }, {
      signal: io.signal,
      progress: (p) => {
        if (p.phase !== last) io.say('', `${p.phase}${p.message ? ` — ${p.message}` : ''}`);
        last = p.phase;
      },
    });
    return result.contextName;
  }

  private async ops(context: string, io: DemoIo): Promise<TargetOps> {
    const client = await this.deps.clients.forContext(context);
    return { client, mapper: new ResourceMapper(client, { timeoutMs: 15_000 }), signal: io.signal };
  }

  /** GKE labels its GPU nodes by accelerator and taints them; GPU feature discovery labels are absent. */
  private async gkeNodes(ops: TargetOps): Promise<void> {
    const nodes = (await ops.client.request<{ items: KubeObject[] }>({ path: '/api/v1/nodes', query: { labelSelector: 'slipway.dev/simulated-node=gpu' }, signal: ops.signal })).body.items;
    for (const node of nodes) {
      const drop = Object.keys(node.metadata.labels ?? {}).filter((k) => k.startsWith('nvidia.com/gpu'));
      if (drop.length) await mergePatch(ops, `/api/v1/nodes/${node.metadata.name}`, { metadata: { labels: Object.fromEntries(drop.map((k) => [k, null])) } });
      await serverSideApply(ops.client, ops.mapper, gkeGpuNodePatch(node.metadata.name), { fieldManager: DEMO_MANAGER, force: true, signal: ops.signal });
    }
  }

  /** Narrates an HPA of namespace ml until `done` (or 150 s); its replica count then. */
  private async watchHpa(ops: TargetOps, io: DemoIo, watch: HpaWatch): Promise<number> {
    const deadline = Date.now() + 150_000;
    let last = -1;
    for (;;) {
      const hpa = (await ops.client.request<Record<string, any>>({ path: `/apis/autoscaling/v2/namespaces/ml/horizontalpodautoscalers/${watch.name}`, signal: io.signal })).body;
      const current = Number(hpa.status?.currentReplicas ?? 0);
      const desired = Number(hpa.status?.desiredReplicas ?? 0);
      if (current !== last) io.say('', `HPA ${watch.name}: ${current} replica(s), desired ${desired}, ${watch.reading(hpa)}`);
      last = current;
      if (watch.done(current, desired)) return current;
      if (Date.now() > deadline) {
        io.say('', `the HPA ${watch.name} did not get there within 150 s (${watch.late}); going on`);
        return current;
      }
      await delay(2000, io.signal);
    }
  }

  private async waitForJob(ops: TargetOps, io: DemoIo): Promise<boolean> {
    const deadline = Date.now() + 120_000;
    const started = Date.now();
    for (;;) {
      const job = (await ops.client.request<Record<string, any>>({ path: '/apis/batch/v1/namespaces/ml/jobs/finetune-resnet', signal: io.signal })).body;
      if (Number(job.status?.succeeded ?? 0) > 0) {
        io.say('', `finetune-resnet completed${job.status?.completionTime && job.status?.startTime ? ` (${Math.round((Date.parse(job.status.completionTime) - Date.parse(job.status.startTime)) / 1000)} s)` : ''}`);
        return true;
      }
      if (Date.now() > deadline) {
        io.say('', `finetune-resnet has not finished after ${Math.round((Date.now() - started) / 1000)} s (active ${job.status?.active ?? 0}); going on`);
        return false;
      }
      await delay(2000, io.signal);
    }
  }
}

async function applyAll(ops: TargetOps, objects: KubeObject[]): Promise<void> {
  for (const object of objects) {
    try {
      await serverSideApply(ops.client, ops.mapper, object, { fieldManager: DEMO_MANAGER, force: true, signal: ops.signal });
    } catch (error) {
      const e = toAppError(error);
      throw new AppError(e.code, `demo setup: ${object.kind} ${object.metadata.name}: ${e.message}`, { fix: e.fix });
    }
    if (object.kind === 'CustomResourceDefinition') {
      await delay(500, ops.signal);
      ops.mapper.invalidate();
    }
  }
}

async function mergePatch(ops: TargetOps, path: string, body: unknown): Promise<void> {
  await ops.client.request({ method: 'PATCH', path, body, contentType: 'application/merge-patch+json', signal: ops.signal });
}

async function waitForNodes(ops: TargetOps, count: number, io: DemoIo): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const nodes = (await ops.client.request<{ items: Record<string, any>[] }>({ path: '/api/v1/nodes', signal: io.signal })).body.items;
    const ready = nodes.filter((n) => (n.status?.conditions ?? []).some((c: Record<string, any>) => c.type === 'Ready' && c.status === 'True') && !(n.spec?.taints ?? []).some((t: Record<string, any>) => String(t.key).startsWith('node.kubernetes.io/')));
    if (ready.length >= count) return;
    if (Date.now() > deadline) throw new AppError('TIMEOUT', `${ops.client.contextName}: only ${ready.length} of ${count} nodes became ready.`, { fix: 'Check the cluster with `slipway cluster list`.' });
    await delay(500, io.signal);
  }
}

