import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { RenderedObject } from '../../shared/models/promote';
import { gpuDemands, nodeInfos, placeGpuPods, quotaDemand, quotaVerdict, whyNoNode, type NodeInfo } from './capacity';
import { asTheyWillRun, podsOwnedBy } from './replaced';
import { isSubsetOf, resolveIntOrPercent, rolloutSurge } from './rollout-surge';

const GPU = 'nvidia.com/gpu';
const gpuNode = (name: string, gpus: number, extra: { ready?: boolean; taints?: NodeInfo['taints'] } = {}) => ({
  metadata: { name, labels: {} },
  spec: { taints: extra.taints ?? [] },
  status: { allocatable: { [GPU]: String(gpus) }, conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }] },
});
const gpuPod = (uid: string, node: string, gpus: number, namespace = 'ml') => ({
  metadata: { uid, namespace, name: uid },
  spec: { nodeName: node, containers: [{ name: 'c', resources: { limits: { [GPU]: String(gpus) } } }] },
});
const deployment = (replicas: number, gpus = 1, extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'infer', namespace: 'ml' }, spec: { replicas, ...extra, template: { spec: { containers: [{ name: 'c', image: 'vllm:1', resources: { limits: { [GPU]: gpus } } }] } } } }) as unknown as KubeObject;

describe('GPU capacity net of what a promotion replaces', () => {
  // One node of 2 GPUs, both held by the two pods of the Deployment being promoted again.
  const nodes = [gpuNode('gpu-node-0', 2)];
  const pods = [gpuPod('p1', 'gpu-node-0', 1), gpuPod('p2', 'gpu-node-0', 1)];

  it('counts what the replaced pods hold as free, and only those', () => {
    expect(nodeInfos(nodes, pods, GPU, new Set(['p1', 'p2']))).toEqual([{ name: 'gpu-node-0', labels: {}, taints: [], unschedulable: false, ready: true, free: 2, released: 2 }]);
    // Pods of other workloads stay taken: 2 allocatable − 1 held by p2 = 1 free.
    expect(nodeInfos(nodes, pods, GPU, new Set(['p1']))[0]).toMatchObject({ free: 1, released: 1 });
    expect(nodeInfos(nodes, pods, GPU)[0]).toMatchObject({ free: 0, released: 0 });
  });

  it('passes an unchanged re-promotion and fails one more GPU than the cluster has, with the net figures', () => {
    const infos = nodeInfos(nodes, pods, GPU, new Set(['p1', 'p2']));
    expect(placeGpuPods(gpuDemands([deployment(2)], GPU), infos)).toEqual({ ok: true, reason: '2 nvidia.com/gpu needed, 2 free on 1 node(s), counting the 2 that the pods this promotion replaces hold now.' });
    expect(placeGpuPods(gpuDemands([deployment(3)], GPU), infos)).toEqual({
      ok: false,
      reason: 'Deployment ml/infer needs 1 nvidia.com/gpu per pod × 3; the nodes it may run on have 2 free, counting the 2 that the pods this promotion replaces hold now, and 1 pod(s) would not fit (3 needed in total).',
    });
    // Without the net view the same promotion was refused: the report.
    expect(placeGpuPods(gpuDemands([deployment(2)], GPU), nodeInfos(nodes, pods, GPU)).ok).toBe(false);
  });

  it('gives no capacity on NotReady nodes and says what is true', () => {
    const notReady = nodeInfos([gpuNode('gpu-node-0', 2, { ready: false })], [], GPU);
    expect(placeGpuPods(gpuDemands([deployment(1)], GPU), notReady)).toEqual({ ok: false, reason: 'Deployment ml/infer needs 1 nvidia.com/gpu per pod, but no node is Ready yet (gpu-node-0).' });
    const starting = nodeInfos([gpuNode('gpu-node-0', 2, { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] })], [], GPU);
    expect(placeGpuPods(gpuDemands([deployment(1)], GPU), starting).reason).toBe('Deployment ml/infer needs 1 nvidia.com/gpu per pod, but node gpu-node-0 is tainted node.kubernetes.io/not-ready:NoSchedule and the pods do not tolerate it.');
    const demand = { nodeSelector: { pool: 'a100' }, tolerations: [] };
    const infos = nodeInfos([{ ...gpuNode('cpu-0', 0), metadata: { name: 'cpu-0', labels: {} } }, { ...gpuNode('gpu-0', 4, { ready: false }), metadata: { name: 'gpu-0', labels: { pool: 'a100' } } }], [], GPU);
    expect(whyNoNode(demand, infos)).toBe('node gpu-0 is not Ready yet');
    expect(whyNoNode({ nodeSelector: { pool: 'h100' }, tolerations: [] }, infos)).toBe('no node matches pool=h100');
    expect(whyNoNode(demand, [])).toBe('the target has no nodes');
  });
});

describe('owner chains', () => {
  it('finds the pods of the replaced objects through ReplicaSets, Jobs and JobSets, by uid', () => {
    const owner = (uid: string, kind = 'ReplicaSet') => ({ apiVersion: 'apps/v1', kind, name: uid, uid });
    const pod = (uid: string, ...owners: string[]) => ({ metadata: { uid, ownerReferences: owners.map((o) => owner(o)) } });
    const owners = new Map([
      ['rs-1', [owner('deploy-infer', 'Deployment')]],
      ['rs-other', [owner('deploy-other', 'Deployment')]],
      ['job-0', [owner('jobset-train', 'JobSet')]],
      ['jobset-train', [owner('trainjob-t', 'TrainJob')]],
    ]);
    const pods = [pod('p1', 'rs-1'), pod('p2', 'rs-other'), pod('p3', 'job-0'), pod('p4', 'sts-db'), pod('p5')];
    expect([...podsOwnedBy(pods, new Set(['deploy-infer', 'trainjob-t', 'sts-db']), owners)].sort()).toEqual(['p1', 'p3', 'p4']);
    // A same-named object with another uid is not the owner.
    expect([...podsOwnedBy(pods, new Set(['deploy-infer-recreated']), owners)]).toEqual([]);
  });

  it('keeps the live replica count where the bundle leaves replicas to an HPA', () => {
    const rendered = [{ ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'infer', namespace: 'ml' }, object: deployment(0), origin: {}, changes: [] }] as RenderedObject[];
    delete (rendered[0]!.object.spec as Record<string, unknown>).replicas;
    const live = new Map([['apps|Deployment|ml|infer', { ...deployment(5) }]]);
    expect((asTheyWillRun(rendered, live)[0]!.spec as { replicas: number }).replicas).toBe(5);
    expect((asTheyWillRun(rendered, new Map())[0]!.spec as { replicas?: number }).replicas).toBeUndefined();
  });
});

describe('rolling-update surge', () => {
  const live = (template: unknown) => ({ ...deployment(2), spec: { replicas: 2, template } }) as KubeObject;
  const changed = live({ spec: { containers: [{ name: 'c', image: 'vllm:0', resources: { limits: { [GPU]: '1' } } }] } });

  it('resolves maxSurge up and maxUnavailable down, as the controller does', () => {
    expect(resolveIntOrPercent('25%', 2, 'up')).toBe(1);
    expect(resolveIntOrPercent('25%', 2, 'down')).toBe(0);
    expect(resolveIntOrPercent('50%', 3, 'up')).toBe(2);
    expect(resolveIntOrPercent(3, 10, 'down')).toBe(3);
  });

  it('is one pod for 2 replicas by default, none for Recreate, a new Deployment or an unchanged template', () => {
    expect(rolloutSurge(deployment(2), changed)).toEqual({ pods: 1, maxUnavailable: 0, maxSurge: '25%' });
    expect(rolloutSurge(deployment(2, 1, { strategy: { type: 'Recreate' } }), changed).pods).toBe(0);
    expect(rolloutSurge(deployment(2), null).pods).toBe(0);
    // Live holds the server's defaults and quantities as strings: still the same template.
    const same = live({ metadata: { creationTimestamp: null }, spec: { dnsPolicy: 'ClusterFirst', containers: [{ name: 'c', image: 'vllm:1', imagePullPolicy: 'IfNotPresent', resources: { limits: { [GPU]: '1' }, requests: { [GPU]: '1' } } }] } });
    expect(isSubsetOf((deployment(2).spec as Record<string, unknown>).template, (same.spec as Record<string, unknown>).template)).toBe(true);
    expect(rolloutSurge(deployment(2), same).pods).toBe(0);
    expect(rolloutSurge(deployment(4, 1, { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }), changed)).toEqual({ pods: 0, maxUnavailable: 1, maxSurge: '0' });
  });
});

describe('quota headroom net of what a promotion replaces', () => {
  // Quota of 2 GPUs and 4 pods, all used by the 2 pods being replaced (+ 2 other pods).
  const hard = { 'requests.nvidia.com/gpu': '2', pods: '4' };
  const used = { 'requests.nvidia.com/gpu': '2', pods: '4' };
  const released = quotaDemand([gpuPod('p1', 'n', 1), gpuPod('p2', 'n', 1)].map((p) => ({ apiVersion: 'v1', kind: 'Pod', ...p }) as unknown as KubeObject));

  it('sums what the replaced pods use', () => {
    expect(Object.fromEntries(released)).toEqual({ pods: 2, 'requests.nvidia.com/gpu': 2, 'limits.nvidia.com/gpu': 2 });
  });

  it('passes the same demand, fails one more, warns when only the surge does not fit', () => {
    expect(quotaVerdict(hard, used, quotaDemand([deployment(2)]), released)).toEqual({ status: 'ok', reason: 'Within the quota (requests.nvidia.com/gpu, pods).' });
    expect(quotaVerdict(hard, used, quotaDemand([deployment(3)]), released)).toEqual({
      status: 'fail',
      reason: 'Exceeds the quota: requests.nvidia.com/gpu: needs 3, quota allows 2; pods: needs 3, 2 left of 4 (net: the 2 that the replaced objects use count as free).',
    });
    const verdict = quotaVerdict(hard, used, quotaDemand([deployment(2)]), released, quotaDemand([deployment(1)]));
    expect(verdict.status).toBe('warn');
    expect(verdict.reason).toContain('requests.nvidia.com/gpu: a rolling update needs 1 more for its surge pods, 0 is left');
    // Without the replaced pods the same promotion reads as over the headroom.
    expect(quotaVerdict(hard, used, quotaDemand([deployment(2)])).status).toBe('fail');
  });
});
