import { until as untilWithin } from '../support/until';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';

const enabled = requireControlPlane('kwok GPU scheduling');

interface Pod {
  metadata: { name: string };
  spec: { nodeName?: string };
  status: { phase: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

function gpuPod(name: string, gpus: number, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: gpu-test
spec:
  containers:
  - name: cuda
    image: nvidia/cuda:12.4.1-base-ubuntu22.04
    resources:
      limits:
        nvidia.com/gpu: "${gpus}"
${extra}`;
}

/** Generous, bounded polling: the scheduler and kwok act within seconds on an idle machine. */
const until = <T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000) => untilWithin(what, read, done, timeoutMs, 500);

describe.runIf(enabled)('GPU scheduling on a simulated cluster (real kube-scheduler)', () => {
  let cluster: TestCluster;
  const pod = async (name: string) => JSON.parse(await cluster.kubectl(['-n', 'gpu-test', 'get', 'pod', name, '-o', 'json'])) as Pod;

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1, gpuNodes: 2, gpusPerNode: 4, gpuProduct: 'NVIDIA-A100-SXM4-80GB' });
    await cluster.createNamespace('gpu-test');
    // The default ServiceAccount must exist before pods can be created in the namespace.
    await until('the default service account', () => cluster.kubectl(['-n', 'gpu-test', 'get', 'serviceaccounts', '-o', 'name']), (out) => out.includes('serviceaccount/default'));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('GPU nodes report their GPUs as a node with the device plugin and GPU feature discovery does', async () => {
    const nodes = JSON.parse(await cluster.kubectl(['get', 'nodes', '-l', 'nvidia.com/gpu.present=true', '-o', 'json'])) as {
      items: { metadata: { name: string; labels: Record<string, string> }; status: { capacity: Record<string, string>; allocatable: Record<string, string> } }[];
    };
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual(['gpu-node-0', 'gpu-node-1']);
    for (const node of nodes.items) {
      expect(node.status.capacity['nvidia.com/gpu']).toBe('4');
      expect(node.status.allocatable['nvidia.com/gpu']).toBe('4');
      expect(node.metadata.labels).toMatchObject({ 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB', 'nvidia.com/gpu.count': '4', 'nvidia.com/gpu.memory': '81559' });
    }
    const ready = await cluster.kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status} {end}']);
    expect(ready.trim().split(' ').sort()).toEqual(['gpu-node-0=True', 'gpu-node-1=True', 'node-0=True']);
  });

  it('a pod asking for more GPUs than any node has stays Pending with the scheduler’s reason', async () => {
    await cluster.apply(gpuPod('too-big', 5));
    const pending = await until(
      'FailedScheduling for too-big',
      () => pod('too-big'),
      (p) => p.status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable') ?? false,
    );
    expect(pending.status.phase).toBe('Pending');
    expect(pending.spec.nodeName).toBeUndefined();
    const condition = pending.status.conditions!.find((c) => c.type === 'PodScheduled')!;
    expect(condition.message).toContain('Insufficient nvidia.com/gpu');
    const events = await until(
      'the FailedScheduling event',
      () => cluster.kubectl(['-n', 'gpu-test', 'get', 'events', '--field-selector', 'involvedObject.name=too-big,reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}']),
      (text) => text.includes('Insufficient nvidia.com/gpu'),
    );
    expect(events).toMatch(/0\/3 nodes are available: .*3 Insufficient nvidia\.com\/gpu/);
    await cluster.kubectl(['-n', 'gpu-test', 'delete', 'pod', 'too-big', '--wait=false']);
  });

  it('places GPU pods only where GPUs are free, and they reach Running', async () => {
    // Each GPU node has 4: one 3-GPU pod fits per node, a third has nowhere to go.
    for (const name of ['train-a', 'train-b', 'train-c']) await cluster.apply(gpuPod(name, 3));
    const settled = await until(
      'two 3-GPU pods running and one unschedulable',
      async () => Promise.all(['train-a', 'train-b', 'train-c'].map(pod)),
      (pods) =>
        pods.filter((p) => p.status.phase === 'Running').length === 2 &&
        pods.some((p) => p.status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable')),
    );
    const running = settled.filter((p) => p.status.phase === 'Running');
    expect(new Set(running.map((p) => p.spec.nodeName))).toEqual(new Set(['gpu-node-0', 'gpu-node-1']));
    const waiting = settled.find((p) => p.status.phase !== 'Running')!;
    expect(waiting.spec.nodeName).toBeUndefined();
    expect(waiting.status.conditions!.find((c) => c.type === 'PodScheduled')!.message).toContain('Insufficient nvidia.com/gpu');

    // Free one node's GPUs: the waiting pod gets them.
    await cluster.kubectl(['-n', 'gpu-test', 'delete', 'pod', running[0]!.metadata.name, '--wait=true', '--timeout=60s']);
    const moved = await until('the waiting pod to run', () => pod(waiting.metadata.name), (p) => p.status.phase === 'Running');
    expect(moved.spec.nodeName).toBe(running[0]!.spec.nodeName);
    await cluster.kubectl(['-n', 'gpu-test', 'delete', 'pods', '--all', '--wait=false']);
  });

  it('a GPU Job runs to completion', async () => {
    await cluster.apply(`apiVersion: batch/v1
kind: Job
metadata:
  name: finetune
  namespace: gpu-test
spec:
  completions: 3
  parallelism: 2
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: train
        image: pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime
        command: ["python", "train.py"]
        resources:
          limits:
            nvidia.com/gpu: "2"
`);
    const job = await until(
      'the Job to complete',
      async () => JSON.parse(await cluster.kubectl(['-n', 'gpu-test', 'get', 'job', 'finetune', '-o', 'json'])) as { status: { succeeded?: number; conditions?: { type: string; status: string }[] } },
      (j) => j.status.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ?? false,
      90_000,
    );
    expect(job.status.succeeded).toBe(3);
    const phases = await cluster.kubectl(['-n', 'gpu-test', 'get', 'pods', '-l', 'job-name=finetune', '-o', 'jsonpath={.items[*].status.phase}']);
    expect(phases.trim().split(' ')).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
  });
});
