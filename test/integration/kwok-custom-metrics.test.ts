/**
 * HPAs on custom and external metrics on a simulated cluster: Slipway's metrics adapter
 * (go/metrics-adapter, built on sigs.k8s.io/custom-metrics-apiserver) runs as a kwokctl
 * component and is registered as custom.metrics.k8s.io and external.metrics.k8s.io; values come
 * from `slipway metrics set`; the real HPA controller (kube-controller-manager) decides.
 * Expected replica counts follow from the HPA algorithm, ceil(total / target), not from our code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS_ADAPTER_API_SERVICES } from '../../main/metrics/adapter-api';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { tempDir } from '../support/fixtures';
import { inProcessCli } from '../support/in-process-cli';
import { until } from '../support/until';

const enabled = requireControlPlane('custom metrics HPA');

interface Hpa {
  status: { currentReplicas?: number; desiredReplicas?: number; conditions?: { type: string; status: string; reason: string; message: string }[] };
}

/** A Deployment of simulated pods and an HPA on one metric, scaling at once both ways. */
function workload(name: string, metric: object): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [ { name: server, image: inference:dev } ] }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${name} }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${name} }
  minReplicas: 1
  maxReplicas: 8
  metrics: [ ${JSON.stringify(metric)} ]
  behavior:
    scaleUp: { stabilizationWindowSeconds: 0 }
    scaleDown: { stabilizationWindowSeconds: 0 }
`;
}

describe.runIf(enabled)('HPA on custom and external metrics on a simulated cluster', () => {
  const tmp = tempDir('slipway-custom-metrics-');
  let cluster: TestCluster;
  const slipway = inProcessCli(() => cluster.kubeconfigPath, tmp.dir);
  // Only the status: a timeout then says what the controller saw (its conditions), not the spec.
  const hpa = async (name: string) => ({ status: (JSON.parse(await cluster.kubectl(['get', 'hpa', name, '-o', 'json'])) as Hpa).status });
  const rescales = () =>
    cluster.kubectl(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
  const apisAvailable = async () => {
    const out = await cluster.kubectl(['get', 'apiservices', ...METRICS_ADAPTER_API_SERVICES.map((a) => a.name), '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Available")].status}{" "}{end}']);
    return out.trim().split(/\s+/);
  };

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2, metricsServer: true });
    await until('the default service account', () => cluster.kubectl(['get', 'serviceaccounts', '-o', 'name']), (out) => out.includes('serviceaccount/default'), 60_000);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('registers the custom and external metrics APIs, Available', async () => {
    const available = await until('the metrics adapter APIs Available', apisAvailable, (s) => s.length === 3 && s.every((x) => x === 'True'), 90_000);
    expect(available).toEqual(['True', 'True', 'True']);
  }, 120_000);

  it('scales 1 → 6 → 1 on a Pods metric whose load is shared by the replicas', async () => {
    await cluster.apply(workload('rps', { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } }));
    // No knob yet: the controller says why it cannot scale, in the adapter's words.
    const missing = await until('the HPA to report the missing metric', () => hpa('rps'), (h) => Boolean(h.status.conditions?.some((c) => c.reason === 'FailedGetPodsMetric')), 90_000);
    expect(missing.status.conditions!.find((c) => c.reason === 'FailedGetPodsMetric')!.message).toMatch(/slipway metrics set requests_per_second=VALUE/);

    // 600 requests per second shared by the replicas, 100 per replica wanted: ceil(600 / 100) = 6.
    const set = await slipway('metrics', 'set', 'requests_per_second=600 / replicas', '--object', 'deploy/rps', '--context', cluster.contextName, '-n', 'default');
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('requests_per_second = 600 / replicas on deployment/rps');
    await until('scale-up to 6', () => hpa('rps'), (h) => h.status.desiredReplicas === 6 && h.status.currentReplicas === 6, 180_000);

    // The value the HPA sees, per pod, from the API itself: 600 / 6 = 100.
    const raw = JSON.parse(await cluster.kubectl(['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/requests_per_second?labelSelector=app%3Drps'])) as { items: { value: string }[] };
    expect(raw.items).toHaveLength(6);
    expect(new Set(raw.items.map((i) => i.value))).toEqual(new Set(['100']));

    // The load drops to 50 in all: ceil(50 / 100) = 1.
    expect((await slipway('metrics', 'set', 'requests_per_second=50 / replicas', '--object', 'deploy/rps', '--context', cluster.contextName)).code).toBe(0);
    await until('scale-down to 1', () => hpa('rps'), (h) => h.status.desiredReplicas === 1 && h.status.currentReplicas === 1, 180_000);
    const events = await rescales();
    expect(events).toMatch(/New size: 6; reason: pods metric requests_per_second above target/);
    expect(events).toMatch(/New size: 1; reason: All metrics below target/);
  }, 480_000);

  it('scales 1 → 5 → 1 on an External queue depth', async () => {
    await cluster.apply(
      workload('queue', { type: 'External', external: { metric: { name: 'queue_depth', selector: { matchLabels: { queue: 'inference' } } }, target: { type: 'AverageValue', averageValue: '100' } } }),
    );
    // 500 queued, 100 per replica wanted: ceil(500 / 100) = 5.
    const set = await slipway('metrics', 'set', 'queue_depth{queue=inference}=500', '--context', cluster.contextName, '--replicas-of', 'deploy/queue');
    expect(set.stderr).toBe('');
    expect(set.stdout).toContain('series queue_depth{queue=inference} = 500');
    const stored = JSON.parse(await cluster.kubectl(['get', 'configmap', 'slipway-external-metrics', '-o', 'jsonpath={.data.series\\.json}'])) as unknown[];
    expect(stored).toEqual([expect.objectContaining({ name: 'queue_depth', labels: { queue: 'inference' }, value: '500', replicasOf: 'Deployment.apps/queue' })]);
    await until('scale-up to 5', () => hpa('queue'), (h) => h.status.desiredReplicas === 5 && h.status.currentReplicas === 5, 180_000);

    const listed = JSON.parse((await slipway('metrics', 'list', '--context', cluster.contextName, '--json')).stdout) as { metric: string; on: string; value: string; labels?: Record<string, string> }[];
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ metric: 'requests_per_second', on: 'Deployment/rps', value: '50 / replicas' }),
        expect.objectContaining({ metric: 'queue_depth', on: 'external', value: '500', labels: { queue: 'inference' } }),
      ]),
    );

    expect((await slipway('metrics', 'set', 'queue_depth{queue=inference}=0', '--context', cluster.contextName)).code).toBe(0);
    await until('scale-down to 1', () => hpa('queue'), (h) => h.status.desiredReplicas === 1 && h.status.currentReplicas === 1, 180_000);
    expect(await rescales()).toMatch(/New size: 5; reason: external metric queue_depth\(.*queue: inference.*\) above target/);
  }, 480_000);

  it('refuses bad knobs before writing anything, with what to do', async () => {
    const badName = await slipway('metrics', 'set', 'requests-per-second=5', '--object', 'deploy/rps', '--context', cluster.contextName);
    expect(badName.code).not.toBe(0);
    expect(badName.stderr).toMatch(/INVALID_ARGUMENT.*not a metric name/s);
    const badValue = await slipway('metrics', 'set', 'requests_per_second=lots', '--object', 'deploy/rps', '--context', cluster.contextName);
    expect(badValue.code).not.toBe(0);
    expect(badValue.stderr).toMatch(/uses "lots"/);
    const missing = await slipway('metrics', 'set', 'requests_per_second=5', '--object', 'deploy/nope', '--context', cluster.contextName);
    expect(missing.stderr).toMatch(/NOT_FOUND.*Deployment\/nope/s);
    // CPU load: a share of a request nobody made, a value that is no load, a pod instead of its workload.
    const noRequest = await slipway('metrics', 'set', 'cpu=150%', '--object', 'deploy/rps', '--context', cluster.contextName);
    expect(noRequest.stderr).toMatch(/INVALID_ARGUMENT.*Deployment\/rps requests no cpu.*set a quantity \(900m\)/s);
    expect((await slipway('metrics', 'set', 'cpu=lots', '--object', 'deploy/rps', '--context', cluster.contextName)).stderr).toMatch(/"lots" is not a cpu load/);
    expect((await slipway('metrics', 'set', 'cpu=1', '--pod', 'any', '--context', cluster.contextName)).stderr).toMatch(/cpu load is set on a workload, in its pod template/);
    expect(await cluster.kubectl(['get', 'deploy', 'rps', '-o', 'jsonpath={.spec.template.metadata.annotations}'])).toBe('');
    // Nothing changed: the last good knob is still there.
    const annotation = await cluster.kubectl(['get', 'deploy', 'rps', '-o', 'jsonpath={.metadata.annotations.slipway\\.dev/metric\\.requests_per_second}']);
    expect(annotation).toBe('50 / replicas');
  }, 60_000);

  it('keeps the metrics APIs Available after a stop and start on a moved port', async () => {
    const net = await import('node:net');
    const port = Number((await cluster.kubectl(['get', 'apiservice', 'v1beta2.custom.metrics.k8s.io', '-o', 'jsonpath={.spec.service.port}'])).trim());
    await cluster.provider.stop(cluster.name);
    // Something else takes the adapter's port while the cluster is stopped.
    const squatter = net.createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => squatter.once('listening', resolve));
    try {
      const started = await cluster.provider.start(cluster.name, cluster.kubeconfigPath);
      expect(started.notes.join('\n')).toMatch(new RegExp(`Port ${port} \\(slipway-metrics-adapter\\) was in use`));
      const moved = Number((await cluster.kubectl(['get', 'apiservice', 'v1beta2.custom.metrics.k8s.io', '-o', 'jsonpath={.spec.service.port}'])).trim());
      expect(moved).not.toBe(port);
      // The aggregator reaches the adapter on its new port (the Available condition alone can lag a probe behind).
      const query = () =>
        cluster
          .kubectl(['get', '--raw', '/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_depth?labelSelector=queue%3Dinference'])
          .then((out) => (JSON.parse(out) as { items: { value: string }[] }).items.map((i) => i.value))
          .catch((error: Error) => error.message);
      expect(await until('the external metric served again', query, (v) => Array.isArray(v), 90_000)).toEqual(['0']);
      await until('the metrics adapter APIs Available again', apisAvailable, (s) => s.length === 3 && s.every((x) => x === 'True'), 90_000);
    } finally {
      squatter.close();
    }
  }, 240_000);
});
