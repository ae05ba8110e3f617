import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { tempDir } from '../support/fixtures';
import { inProcessCli } from '../support/in-process-cli';
import { until } from '../support/until';

const enabled = requireControlPlane('kwok HPA');
const sample = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/samples/inference/inference.yaml'), 'utf8');

interface Hpa {
  status: { currentReplicas?: number; desiredReplicas?: number; currentMetrics?: { resource?: { current?: { averageUtilization?: number } } }[] };
}

/**
 * The real HPA controller scaling the sample inference Deployment: kwok simulates each pod's CPU
 * from the load knob, metrics-server scrapes kwok, kube-controller-manager decides.
 */
describe.runIf(enabled)('HPA on a simulated cluster', () => {
  let cluster: TestCluster;
  const tmp = tempDir('slipway-kwok-hpa-');
  const slipway = inProcessCli(() => cluster.kubeconfigPath, tmp.dir);
  const hpa = async () => JSON.parse(await cluster.kubectl(['get', 'hpa', 'inference', '-o', 'json'])) as Hpa;
  const readyReplicas = async () => Number((await cluster.kubectl(['get', 'deployment', 'inference', '-o', 'jsonpath={.status.readyReplicas}'])) || 0);
  const setLoad = (cpu: string) =>
    cluster.kubectl(['patch', 'deployment', 'inference', '--type', 'merge', '-p', JSON.stringify({ spec: { template: { metadata: { annotations: { 'slipway.dev/cpu-load': cpu } } } } })]);

  beforeAll(async () => {
    cluster = await startCluster({ gpuNodes: 2, gpusPerNode: 4, metricsServer: true });
    await until('the default service account', () => cluster.kubectl(['get', 'serviceaccounts', '-o', 'name']), (out) => out.includes('serviceaccount/default'), 60_000);
    await cluster.apply(sample);
  });
  afterAll(async () => {
    await cluster?.stop();
    tmp.cleanup();
  });

  it('scales up when the load knob is raised and back down when it is lowered', async () => {
    // Idle: 50m of a 500m request is 10 %, under the 60 % target.
    const idle = await until('metrics for the idle replica', hpa, (h) => h.status.currentMetrics?.[0]?.resource?.current?.averageUtilization !== undefined, 120_000);
    expect(idle.status.currentMetrics![0]!.resource!.current!.averageUtilization).toBe(10);
    expect(idle.status.desiredReplicas).toBe(1);

    // Raised the way the load panel does it: 180 % of the 500m request is 900m per container.
    const raised = await slipway('metrics', 'set', 'cpu=180%', '--object', 'deploy/inference', '--context', cluster.contextName, '-n', 'default');
    expect(raised.stderr).toBe('');
    expect(raised.stdout).toContain('cpu load 900m per container (180% of its request) on deployment/inference');
    expect((await cluster.kubectl(['get', 'deployment', 'inference', '-o', "jsonpath={.spec.template.metadata.annotations['slipway\\.dev/cpu-load']}"])).trim()).toBe('900m');
    const listed = JSON.parse((await slipway('metrics', 'list', '--context', cluster.contextName, '--json')).stdout) as { metric: string; value: string; on: string }[];
    expect(listed).toContainEqual({ metric: 'cpu', value: '900m', on: 'Deployment/inference (pod template)', namespace: 'default' });
    const up = await until('scale-up to maxReplicas', hpa, (h) => h.status.desiredReplicas === 4, 180_000);
    expect(up.status.desiredReplicas).toBe(4);
    await until('4 ready replicas', readyReplicas, (n) => n === 4, 120_000);
    const raw = JSON.parse(await cluster.kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods'])) as {
      items: { containers: { usage: { cpu: string } }[] }[];
    };
    // metrics-server reports what kwok simulated: ~900m per replica (in nanocores).
    const cpus = raw.items.map((i) => i.containers[0]!.usage.cpu).filter((c) => c.endsWith('n')).map((c) => Number(c.slice(0, -1)) / 1e6);
    expect(cpus.some((m) => m > 850 && m < 950)).toBe(true);

    // Lowered by hand, as the sample's comments say: a plain patch of the annotation still works.
    await setLoad('50m');
    await until('scale-down to minReplicas', hpa, (h) => h.status.desiredReplicas === 1 && h.status.currentReplicas === 1, 240_000);
    await until('1 ready replica', readyReplicas, (n) => n === 1, 120_000);
    const events = await cluster.kubectl(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
    expect(events).toMatch(/New size: 4; reason: cpu resource utilization \(percentage of request\) above target/);
    expect(events).toMatch(/New size: 1; reason: All metrics below target/);
  }, 600_000);
});
