/**
 * Promotion at 200 manifests: local CPU of plan + diff (target ≤ 500 ms) and the wall time of the
 * server-side dry run of 200 objects against a simulated cluster (target ≤ 10 s).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifests } from '../../main/promote/bundle-loader';
import { diffAll } from '../../main/promote/diff';
import { ResourceMapper } from '../../main/kube/resources/resource-mapper';
import { fieldChanges } from '../../main/promote/field-diff';
import { parseProfile } from '../../main/promote/profile-store';
import { render } from '../../main/promote/transforms';
import type { Services } from '../../main/services';
import type { Bundle } from '../../shared/models/promote';
import { setupCloud } from '../integration/promote-fixtures';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { requireControlPlane } from '../support/control-plane';
import { tempDir, testServices } from '../support/fixtures';
import { recordFigures } from './support/results';

const enabled = requireControlPlane('promotion benchmark');
const GKE = path.resolve(__dirname, '../../resources/samples/profiles/gke.yaml');

/** 200 objects of an ML team's namespace: 40 each of Deployment, Service, ConfigMap, HPA, PVC. */
function manifests(): string {
  const docs: string[] = [];
  for (let i = 0; i < 40; i++) {
    const name = `svc-${String(i).padStart(3, '0')}`;
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ml, labels: {app: ${name}}}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      runtimeClassName: nvidia\n      containers:\n      - name: server\n        image: localhost:5001/ml/${name}:1.0.${i}\n        ports: [{containerPort: 8000}]\n        resources: {requests: {cpu: 100m, memory: 256Mi}}\n        env: [{name: MODEL, value: m${i}}, {name: BATCH, value: "8"}]`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ml}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80, targetPort: 8000}]`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}-config, namespace: ml}\ndata: {model: m${i}, threshold: "0.${i}"}`,
      `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: ${name}, namespace: ml}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}\n  minReplicas: 1\n  maxReplicas: 4\n  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}]`,
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${name}-cache, namespace: ml}\nspec: {storageClassName: standard, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}`,
    );
  }
  return docs.join('\n---\n');
}

const cpuMs = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe.runIf(enabled)('promotion benchmark (200 manifests)', () => {
  const tmp = tempDir('slipway-bench-promote-');
  let cloud: TestCluster;
  let services: Services;
  const bundleDir = path.join(tmp.dir, 'bundle');

  beforeAll(async () => {
    fs.mkdirSync(bundleDir);
    fs.writeFileSync(path.join(bundleDir, 'all.yaml'), manifests());
    cloud = await startCluster();
    await setupCloud(cloud, { pytorchCrd: false });
    services = testServices({ ...process.env, KUBECONFIG: cloud.kubeconfigPath }, path.join(tmp.dir, 'config'));
  });

  afterAll(async () => {
    services?.dispose();
    await cloud?.stop();
    tmp.cleanup();
  });

  it('measures plan + diff CPU and the server-side dry run', async () => {
    const text = manifests();
    const profile = parseProfile(fs.readFileSync(GKE, 'utf8'), GKE);
    // Local work alone: parse, render and compare 200 objects (the live side is the rendered one, changed).
    const pure: number[] = [];
    for (let run = 0; run < 7; run++) {
      const start = process.cpuUsage();
      const bundle: Bundle = { name: 'bench', source: { kind: 'file', path: 'all.yaml' }, objects: parseManifests(text, 'all.yaml') };
      const rendered = render(bundle, profile);
      let changes = 0;
      for (const r of rendered) changes += fieldChanges(bundle.objects.find((o) => o.object.metadata.name === r.ref.name)?.object ?? r.object, r.object).length;
      expect(changes).toBeGreaterThan(200);
      pure.push(cpuMs(start));
    }

    const request = { bundle: bundleDir, target: cloud.contextName, profile: GKE };
    const firstStart = process.cpuUsage();
    const firstWall = performance.now();
    const first = await services.promote.diff(request);
    const firstDiffWallMs = performance.now() - firstWall;
    const firstDiffCpuMs = cpuMs(firstStart);
    expect(first.entries).toHaveLength(201);
    // ml-prod exists already (with its quota): it gets the profile's labels, everything else is new.
    expect([first.summary.create, first.summary.change]).toEqual([200, 1]);

    // Dry run alone, on its own: 200 objects (plus the namespace) with GET + PATCH dryRun=All each.
    const client = await services.clients.forContext(cloud.contextName);
    const dryWall = performance.now();
    const dry = await diffAll({ client, mapper: new ResourceMapper(client) }, first.plan.rendered);
    const dryRunWallMs = performance.now() - dryWall;
    expect(dry.filter((e) => e.action === 'error')).toEqual([]);

    // After an apply: the realistic re-promotion, every object exists and is compared field by field.
    const applied = await services.promote.apply({ ...request, forceConflicts: false, prune: false, waitTimeoutSeconds: 0 });
    expect(applied.status === 'succeeded' || applied.status === 'blocked').toBe(true);
    const againStart = process.cpuUsage();
    const againWall = performance.now();
    const again = await services.promote.diff(request);
    const secondDiffWallMs = performance.now() - againWall;
    const secondDiffCpuMs = cpuMs(againStart);

    recordFigures(
      'promote-plan-diff',
      {
        objects: 200,
        renderAndFieldDiffCpuMs: +median(pure).toFixed(1),
        planDiffCreateCpuMs: +firstDiffCpuMs.toFixed(1),
        planDiffCreateWallMs: Math.round(firstDiffWallMs),
        dryRun200WallMs: Math.round(dryRunWallMs),
        applyStatus: applied.status,
        planDiffUnchangedCpuMs: +secondDiffCpuMs.toFixed(1),
        planDiffUnchangedWallMs: Math.round(secondDiffWallMs),
        unchangedAfterApply: again.summary.unchanged,
        notUnchangedAfterApply: again.entries.filter((e) => e.action !== 'unchanged').map((e) => `${e.action} ${e.ref.kind}/${e.ref.name}: ${e.changes.map((c) => c.path).join(',')}`).join('; ') || 'none',
      },
      { renderAndFieldDiffCpuMs: '≤ 500', planDiffCreateCpuMs: '≤ 500', planDiffUnchangedCpuMs: '≤ 500', dryRun200WallMs: '≤ 10000' },
    );
  });
});
