/**
 * Adversarial: Secrets never lie around. Every file Slipway writes is owner-only, capture leaves
 * Secrets out unless asked, history keeps Secret values only where rollback needs them and never
 * hands them to a page, diff masks them, and preflight names the Secrets a bundle would carry.
 * Also: HPAs on custom or external metrics fail preflight when the target cannot serve them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireControlPlane } from '../../support/control-plane';
import { testServices } from '../../support/fixtures';
import { asIs, configMap, startTarget, type Target } from './adversarial-fixtures';

const enabled = requireControlPlane('adversarial: secrets at rest, metrics APIs');
const apply = { forceConflicts: false, prune: false, waitTimeoutSeconds: 0, profileSpec: asIs };
const LAPTOP = 'LAPTOP-TOKEN-5f2c9a';
const NEWER = 'NEWER-TOKEN-81d0e4';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const mode = (p: string) => fs.statSync(p).mode & 0o777;
/** Every file and folder under `root` with a mode other than 0600 (files) or 0700 (folders). */
function looseModes(root: string): string[] {
  const loose: string[] = [];
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      if ((st.mode & 0o777) !== 0o700) loose.push(`${p} ${(st.mode & 0o777).toString(8)}`);
      for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    } else if ((st.mode & 0o777) !== 0o600) loose.push(`${p} ${(st.mode & 0o777).toString(8)}`);
  };
  walk(root);
  return loose;
}
const readAll = (root: string): string => {
  if (fs.statSync(root).isFile()) return fs.readFileSync(root, 'utf8');
  return fs.readdirSync(root).map((e) => readAll(path.join(root, e))).join('\n');
};

const secret = (name: string, namespace: string, token: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData: { token } });
const deployment = (namespace: string, secretName: string) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace },
    spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'gcr.io/acme/api:1', env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: secretName, key: 'token' } } }] }] } } },
  });

describe.runIf(enabled)('secrets never lie around', () => {
  let t: Target;

  beforeAll(async () => {
    t = await startTarget();
    await t.cluster.createNamespace('sec');
    await t.cluster.kubectl(['create', 'secret', 'generic', 'laptop-token', '-n', 'sec', `--from-literal=token=${LAPTOP}`]);
    await t.cluster.kubectl(['create', 'configmap', 'settings', '-n', 'sec', '--from-literal=a=1']);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('capture leaves Secrets out unless asked, and writes owner-only files in owner-only folders', async () => {
    const out = path.join(t.tmp.dir, 'captured');
    const captured = await t.services.promote.capture({ context: t.cluster.contextName, namespace: 'sec', out });
    expect(captured.secretsLeftOut).toEqual(['laptop-token']);
    expect(captured.bundle.objects.map((o) => o.ref.kind)).not.toContain('Secret');
    expect(readAll(out)).not.toContain(b64(LAPTOP));
    expect(looseModes(out)).toEqual([]);

    // Into the default folder under the config dir, asked to include Secrets: still owner-only.
    const withSecrets = await t.services.promote.capture({ context: t.cluster.contextName, namespace: 'sec', includeSecrets: true });
    expect(withSecrets.dir.startsWith(path.join(t.configDir, 'captures'))).toBe(true);
    expect(withSecrets.secretsLeftOut).toEqual([]);
    expect(readAll(withSecrets.dir)).toContain(b64(LAPTOP));
    expect(looseModes(path.join(t.configDir, 'captures'))).toEqual([]);
  });

  it('preflight names the Secrets a bundle carries and the ways out; a profile maps them to the target\'s or leaves them out', async () => {
    const bundle = t.bundle('with-secret', [secret('laptop-token', 'sec', LAPTOP), deployment('sec', 'laptop-token')]);
    const plan = await t.services.promote.plan({ bundle, target: t.cluster.contextName });
    const check = plan.checks.find((c) => c.id === 'secrets')!;
    expect(check.status).toBe('warn');
    expect(check.reason).toContain('sec/laptop-token (token)');
    expect(check.reason).toContain('secrets: {laptop-token: null}');
    // The page gets the plan: no value in it.
    expect(JSON.stringify(plan)).not.toContain(LAPTOP);

    const profile = (secrets: Record<string, string | null>) => ({ ...asIs, name: 'prod', secrets });
    const mapped = await t.services.promote.plan({ bundle, target: t.cluster.contextName, profileSpec: profile({ 'laptop-token': 'prod-token' }) });
    expect(mapped.rendered.map((r) => r.ref.kind)).toEqual(['Deployment']);
    expect(mapped.rendered[0]!.changes).toContain('template container api env TOKEN: Secret laptop-token → prod-token (the target\'s)');
    expect(mapped.checks.find((c) => c.id === 'secrets')).toBeUndefined();
    expect(mapped.checks.find((c) => c.id === 'secret:sec/prod-token')).toMatchObject({ status: 'fail' });
    await t.cluster.kubectl(['create', 'secret', 'generic', 'prod-token', '-n', 'sec', '--from-literal=token=prod']);
    const found = await t.services.promote.plan({ bundle, target: t.cluster.contextName, profileSpec: profile({ 'laptop-token': 'prod-token' }) });
    expect(found.checks.find((c) => c.id === 'secret:sec/prod-token')?.status).toBe('ok');
    const dropped = await t.services.promote.plan({ bundle, target: t.cluster.contextName, profileSpec: profile({ '*': null }) });
    expect(dropped.rendered.map((r) => r.ref.kind)).toEqual(['Deployment']);
    expect(dropped.checks.find((c) => c.id === 'secrets')).toBeUndefined();
  });

  it('diff masks Secret values like kubectl diff; history keeps them only for rollback, owner-only, and never hands them out', async () => {
    const bundle = t.bundle('rotate', [secret('laptop-token', 'sec', NEWER), configMap('settings', 'sec', { a: '1' })]);
    const diff = await t.services.promote.diff({ bundle, target: t.cluster.contextName });
    const entry = diff.entries.find((e) => e.ref.kind === 'Secret')!;
    expect(entry.changes).toContainEqual({ path: 'data.token', type: 'changed', before: '*** (before)', after: '*** (after)' });
    const wire = JSON.stringify(diff);
    for (const value of [LAPTOP, NEWER, b64(LAPTOP), b64(NEWER)]) expect(wire).not.toContain(value);

    const result = await t.services.promote.apply({ bundle, target: t.cluster.contextName, ...apply });
    expect(result.status).toBe('succeeded');
    const onDisk = fs.readFileSync(result.recordPath, 'utf8');
    expect(onDisk).not.toContain(NEWER); // the rendered copy: rollback never needs it
    expect(onDisk).toContain(b64(LAPTOP)); // the previous live Secret: rollback restores it
    expect(mode(result.recordPath)).toBe(0o600);
    expect(mode(path.dirname(result.recordPath))).toBe(0o700);
    const page = JSON.stringify(t.services.promote.getHistory(result.id));
    for (const value of [LAPTOP, NEWER, b64(LAPTOP), b64(NEWER)]) expect(page).not.toContain(value);

    await t.services.promote.rollback(result.id);
    expect((await t.get(['secret', 'laptop-token', '-n', 'sec'])).data).toEqual({ token: b64(LAPTOP) });
  });

  it('export and settings are owner-only too, and a settings file left world-readable is tightened', async () => {
    const out = path.join(t.tmp.dir, 'exported');
    await t.services.promote.export({ bundle: t.bundle('export', [secret('laptop-token', 'sec', LAPTOP)]), out, format: 'overlay' });
    expect(looseModes(out)).toEqual([]);
    t.services.promote.profiles.save({ name: 'saved' });
    expect(looseModes(t.configDir)).toEqual([]);

    const older = path.join(t.tmp.dir, 'older-config');
    fs.mkdirSync(older, { mode: 0o755 });
    fs.chmodSync(older, 0o755);
    fs.writeFileSync(path.join(older, 'settings.json'), '{}', { mode: 0o644 });
    fs.chmodSync(path.join(older, 'settings.json'), 0o644);
    const services = testServices(t.env, older);
    try {
      expect(mode(older)).toBe(0o700);
      expect(mode(path.join(older, 'settings.json'))).toBe(0o600);
    } finally {
      services.dispose();
    }
  });
});

describe.runIf(enabled)('autoscalers on custom and external metrics', () => {
  let t: Target;
  beforeAll(async () => {
    t = await startTarget();
    await t.cluster.createNamespace('hpa');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const hpa = (metrics: unknown[]) =>
    JSON.stringify({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'inference', namespace: 'hpa' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'inference' }, minReplicas: 1, maxReplicas: 4, metrics } });
  const external = { type: 'External', external: { metric: { name: 'queue_depth' }, target: { type: 'AverageValue', averageValue: '30' } } };
  const pods = { type: 'Pods', pods: { metric: { name: 'http_requests' }, target: { type: 'AverageValue', averageValue: '10' } } };
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };

  it('fails preflight naming the metric when the target serves no external or custom metrics API', async () => {
    const plan = await t.services.promote.plan({ bundle: t.bundle('hpa', [hpa([cpu, external, pods])]), target: t.cluster.contextName });
    expect(plan.ok).toBe(false);
    const ext = plan.checks.find((c) => c.id === 'metrics-api:external.metrics.k8s.io')!;
    expect(ext.status).toBe('fail');
    expect(ext.reason).toContain('External queue_depth (HorizontalPodAutoscaler hpa/inference)');
    expect(ext.reason).toContain('no APIService serves external.metrics.k8s.io');
    const custom = plan.checks.find((c) => c.id === 'metrics-api:custom.metrics.k8s.io')!;
    expect(custom.status).toBe('fail');
    expect(custom.reason).toContain('Pods http_requests');
    expect(plan.checks.find((c) => c.id === 'metrics-api')?.status).toBe('warn');
  });

  it('fails it too when the APIService is registered but not Available', async () => {
    await t.cluster.apply(
      JSON.stringify({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.external.metrics.k8s.io' }, spec: { group: 'external.metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100, insecureSkipTLSVerify: true, service: { name: 'keda-metrics-apiserver', namespace: 'hpa' } } }),
    );
    const plan = await t.services.promote.plan({ bundle: t.bundle('hpa-ext', [hpa([external])]), target: t.cluster.contextName });
    const ext = plan.checks.find((c) => c.id === 'metrics-api:external.metrics.k8s.io')!;
    expect(ext.status).toBe('fail');
    expect(ext.reason).toMatch(/v1beta1\.external\.metrics\.k8s\.io is not available \(/);
    expect(plan.checks.find((c) => c.id === 'metrics-api:custom.metrics.k8s.io')).toBeUndefined();
  });
});
