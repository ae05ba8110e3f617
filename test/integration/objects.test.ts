/**
 * Object details and actions against a real kube-apiserver with a real kube-controller-manager
 * (a simulated cluster: kwok runs the pods): a Deployment's ReplicaSet and pods, a pod deleted and
 * replaced, scale, suspend/resume, cordon, a YAML edit planned by dry run and applied, a
 * conflict never forced unasked, and RBAC greying out what a viewer may not do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../../main/cli';
import type { Services } from '../../main/services';
import type { ObjectKey } from '../../shared/models/objects';
import { AppError } from '../../shared/errors';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { captureStream, tempDir, testServices, writeKubeconfig } from '../support/fixtures';

const enabled = requireControlPlane('object details and actions');

/** Polls until `probe` returns a value, or fails after `timeoutMs` with the last value seen. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const WORKLOADS = `apiVersion: v1
kind: Namespace
metadata: { name: it }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: it }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [ { name: web, image: registry.local/web:1 } ]
---
apiVersion: batch/v1
kind: Job
metadata: { name: train, namespace: it }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [ { name: train, image: registry.local/train:1 } ]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data, namespace: it }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
`;

describe.runIf(enabled)('object details and actions on a real API server', () => {
  const tmp = tempDir('slipway-objects-');
  let cluster: TestCluster;
  let services: Services;
  let context: string;
  const key = (kind: string, name: string, group = '', namespace: string | undefined = 'it'): ObjectKey => ({ context, group, kind, namespace, name });
  const slipway = async (...argv: string[]) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(argv, { stdout, stderr, env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath, HOME: tmp.dir, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'cli-config') } });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  const webPods = async () => (await cluster.kubectl(['-n', 'it', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean).sort();

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1 });
    context = cluster.contextName;
    await cluster.apply(WORKLOADS);
    services = testServices({ ...process.env, KUBECONFIG: cluster.kubeconfigPath, HOME: tmp.dir }, path.join(tmp.dir, 'config'));
    await eventually('two running web pods', async () => ((await webPods()).length === 2 ? true : undefined));
  });

  afterAll(async () => {
    services?.dispose();
    await cluster?.stop();
  });

  it('a Deployment shows its ReplicaSet and pods; a pod links back to its ReplicaSet; YAML hides managedFields', async () => {
    const deployment = await services.objects.get(key('Deployment', 'web', 'apps'));
    expect(deployment.key.version).toBe('v1');
    expect(deployment.replicas).toBe(2);
    expect(deployment.children.map((c) => c.kind)).toEqual(['ReplicaSet']);
    expect(deployment.pods.map((p) => p.name).sort()).toEqual(await webPods());
    expect(deployment.pods[0]!.containers).toEqual(['web']);
    expect(deployment.conditions.map((c) => c.type)).toContain('Available');
    expect(deployment.actions.filter((a) => a.allowed).map((a) => a.id)).toEqual(['edit', 'scale', 'restart', 'delete']);
    expect(parse(deployment.yaml).metadata.managedFields).toBeUndefined();
    const withFields = await services.objects.get(key('Deployment', 'web', 'apps'), { showManagedFields: true });
    // The deployment controller writes its status: it is among the managers shown.
    expect(parse(withFields.yaml).metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain('kube-controller-manager');

    const replicaSet = await services.objects.get(key('ReplicaSet', deployment.children[0]!.name, 'apps'));
    expect(replicaSet.owners).toEqual([{ group: 'apps', kind: 'Deployment', namespace: 'it', name: 'web' }]);
    expect(replicaSet.children.map((c) => c.name).sort()).toEqual(await webPods());
    const pod = await services.objects.get(key('Pod', deployment.pods[0]!.name));
    expect(pod.owners).toEqual([{ group: 'apps', kind: 'ReplicaSet', namespace: 'it', name: replicaSet.key.name }]);
    expect(pod.deleteWarning).toBe('Its controller will create a replacement.');
    // The scheduler's event about this very pod, and no other's (on a busy machine it may land a moment later).
    const podEvents = async () => (await services.objects.get(key('Pod', pod.key.name))).events;
    await expect.poll(async () => (await podEvents()).some((e) => e.reason === 'Scheduled' && e.object.name === pod.key.name), { timeout: 30_000 }).toBe(true);
    expect((await podEvents()).every((e) => e.object.name === pod.key.name)).toBe(true);
  });

  it('a pod deleted from its details is replaced by its Deployment', async () => {
    const [victim] = await webPods();
    const result = await services.objects.act(key('Pod', victim!), { type: 'delete' });
    expect(result.message).toBe(`Deleted Pod it/${victim} in ${context}.`);
    const after = await eventually('a replacement pod', async () => {
      const pods = await webPods();
      return pods.length === 2 && !pods.includes(victim!) ? pods : undefined;
    });
    expect(after).not.toContain(victim);
    await expect(services.objects.get(key('Pod', victim!))).rejects.toMatchObject({ code: 'NOT_FOUND', message: `Pod it/${victim} is not in ${context}.` });
  });

  it('`slipway scale` sets the replicas and the controller follows; a bad count is refused', async () => {
    const scaled = await slipway('scale', 'deploy/web', '--replicas', '3', '--context', context, '-n', 'it');
    expect(scaled).toMatchObject({ code: 0, stdout: `Scaled Deployment it/web in ${context} to 3 replicas.\n` });
    await eventually('three web pods', async () => ((await webPods()).length === 3 ? true : undefined));
    const bad = await slipway('scale', 'deploy/web', '--replicas', 'many', '--context', context, '-n', 'it');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[INVALID_ARGUMENT] --replicas needs a whole number');
    await services.objects.act(key('Deployment', 'web', 'apps'), { type: 'scale', replicas: 2 });
    expect((await services.objects.get(key('Deployment', 'web', 'apps'))).replicas).toBe(2);
  });

  it('`slipway suspend` and `resume` flip a Job’s spec.suspend; the panel offers only the one that applies', async () => {
    expect((await slipway('suspend', 'job/train', '--context', context, '-n', 'it')).stdout).toBe(`Suspended Job it/train in ${context}.\n`);
    expect(await cluster.kubectl(['-n', 'it', 'get', 'job', 'train', '-o', 'jsonpath={.spec.suspend}'])).toBe('true');
    const suspended = await services.objects.get(key('Job', 'train', 'batch'));
    expect(suspended.suspended).toBe(true);
    expect(suspended.actions.find((a) => a.id === 'suspend')).toEqual({ id: 'suspend', allowed: false, reason: 'Job train is suspended already.' });
    expect(suspended.actions.find((a) => a.id === 'resume')).toEqual({ id: 'resume', allowed: true });
    expect((await slipway('resume', 'job/train', '--context', context, '-n', 'it')).code).toBe(0);
    expect(await cluster.kubectl(['-n', 'it', 'get', 'job', 'train', '-o', 'jsonpath={.spec.suspend}'])).toBe('false');
    // A Deployment has no suspend: refused, nothing changed.
    await expect(services.objects.act(key('Deployment', 'web', 'apps'), { type: 'suspend', suspend: true })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('cordon and uncordon a node (cluster-scoped: the namespace the CLI defaults to is dropped)', async () => {
    const node = (await cluster.kubectl(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    await services.objects.act(key('Node', node, '', 'default'), { type: 'cordon', cordon: true });
    expect(await cluster.kubectl(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}'])).toBe('true');
    const details = await services.objects.get(key('Node', node, '', undefined));
    expect(details).toMatchObject({ unschedulable: true, key: { namespace: undefined } });
    expect(details.actions.map((a) => a.id)).toEqual(['edit', 'cordon', 'uncordon']);
    await services.objects.act(key('Node', node, '', undefined), { type: 'cordon', cordon: false });
    expect(await cluster.kubectl(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}'])).toBe('');
  });

  it('a YAML edit shows its dry-run diff, changes nothing until applied, then applies as field manager slipway', async () => {
    const pvc = await services.objects.get(key('PersistentVolumeClaim', 'data'));
    expect(pvc.deleteWarning).toContain('The data in this volume goes with it');
    const edited = parse(pvc.yaml);
    edited.metadata.labels = { ...(edited.metadata.labels ?? {}), team: 'vision' };
    const plan = await services.objects.planEdit(key('PersistentVolumeClaim', 'data'), stringify(edited));
    expect(plan).toEqual({ changes: [{ path: 'metadata.labels', type: 'added', after: { team: 'vision' } }] });
    expect(await cluster.kubectl(['-n', 'it', 'get', 'pvc', 'data', '-o', 'jsonpath={.metadata.labels}'])).toBe('');
    await services.objects.applyEdit(key('PersistentVolumeClaim', 'data'), stringify(edited));
    expect(await cluster.kubectl(['-n', 'it', 'get', 'pvc', 'data', '-o', 'jsonpath={.metadata.labels.team}'])).toBe('vision');
    const managers = JSON.parse(await cluster.kubectl(['-n', 'it', 'get', 'pvc', 'data', '-o', 'jsonpath={.metadata.managedFields}'])) as { manager: string; operation: string }[];
    expect(managers).toContainEqual(expect.objectContaining({ manager: 'slipway', operation: 'Apply' }));
  });

  it('an edit of a field another manager owns lists the conflict and applies only when forced', async () => {
    await cluster.kubectl(['apply', '--server-side', '--field-manager', 'ci-pipeline', '-f', '-'], 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: it, annotations: { owner: ci } }\n');
    const live = parse((await services.objects.get(key('Deployment', 'web', 'apps'))).yaml);
    live.metadata.annotations.owner = 'me';
    const plan = await services.objects.planEdit(key('Deployment', 'web', 'apps'), stringify(live));
    expect(plan.changes).toEqual([{ path: 'metadata.annotations.owner', type: 'changed', before: 'ci', after: 'me' }]);
    expect(plan.conflict).toMatchObject({ managers: ['ci-pipeline'], fields: ['metadata.annotations.owner'] });
    const refused = await services.objects.applyEdit(key('Deployment', 'web', 'apps'), stringify(live)).catch((e: AppError) => e);
    expect(refused).toMatchObject({ code: 'CONFLICT', details: { conflict: { managers: ['ci-pipeline'] } } });
    expect(await cluster.kubectl(['-n', 'it', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.owner}'])).toBe('ci');
    await services.objects.applyEdit(key('Deployment', 'web', 'apps'), stringify(live), { force: true });
    expect(await cluster.kubectl(['-n', 'it', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.owner}'])).toBe('me');
  });

  it('bad edits are refused with the reason and change nothing; a concurrent write elsewhere is kept', async () => {
    const before = await cluster.kubectl(['-n', 'it', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}']);
    await expect(services.objects.planEdit(key('Deployment', 'web', 'apps'), 'metadata:\n  name: [web\n')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/does not parse \(line \d+\)/) });
    await expect(services.objects.applyEdit(key('Deployment', 'web', 'apps'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: other, namespace: it }\n')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // Invalid for the server (a negative replica count): its message, nothing stored.
    const live = parse((await services.objects.get(key('Deployment', 'web', 'apps'))).yaml);
    live.spec.replicas = -1;
    await expect(services.objects.planEdit(key('Deployment', 'web', 'apps'), stringify(live))).rejects.toMatchObject({ message: expect.stringContaining('spec.replicas') });
    // A rollout restart, then an edit of a copy loaded before someone else's write.
    expect((await services.objects.act(key('Deployment', 'web', 'apps'), { type: 'restart' })).message).toBe(`Restarted the rollout of Deployment it/web in ${context}.`);
    expect(await cluster.kubectl(['-n', 'it', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}'])).toMatch(/^\d{4}-\d\d-\d\dT/);
    await cluster.kubectl(['-n', 'it', 'rollout', 'status', 'deployment/web', '--timeout=90s']);
    const earlier = parse((await services.objects.get(key('Deployment', 'web', 'apps'))).yaml);
    expect(Number(await cluster.kubectl(['-n', 'it', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']))).toBe(2);
    // Someone else writes in between: their field is kept, the edit still lands (no stale resourceVersion refusal).
    await cluster.kubectl(['-n', 'it', 'annotate', 'deploy', 'web', 'touched=1']);
    earlier.metadata.labels = { edited: 'late' };
    await services.objects.applyEdit(key('Deployment', 'web', 'apps'), stringify(earlier));
    expect(await cluster.kubectl(['-n', 'it', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels.edited} {.metadata.annotations.touched}'])).toBe('late 1');
    expect(Number(await cluster.kubectl(['-n', 'it', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}']))).toBeGreaterThan(Number(before));
  });

  it('a kind from a CRD installed after a first miss is found: "not served" is looked up again', async () => {
    const widget = { context, group: 'example.com', kind: 'Widget', namespace: 'it', name: 'w1' };
    await expect(services.objects.get(widget)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('does not serve the API group example.com') });
    await cluster.apply(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, listKind: WidgetList, plural: widgets, singular: widget }
  versions:
  - name: v1
    served: true
    storage: true
    schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`);
    await cluster.kubectl(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=60s']);
    await eventually('the Widget to be served', async () => ((await cluster.kubectl(['apply', '-f', '-'], 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w1, namespace: it }\nspec: { size: 3 }\n')) ? true : undefined));
    const details = await services.objects.get(widget);
    expect(details).toMatchObject({ key: { version: 'v1' }, plural: 'widgets' });
    expect(parse(details.yaml).spec).toEqual({ size: 3 });
  });

  it('RBAC: a viewer sees the object with its actions greyed out and the reason', async () => {
    await cluster.apply(`apiVersion: v1
kind: ServiceAccount
metadata: { name: viewer, namespace: it }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: viewer, namespace: it }
rules:
- apiGroups: ["", apps]
  resources: [pods, deployments, replicasets, events]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: viewer, namespace: it }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: viewer }
subjects: [ { kind: ServiceAccount, name: viewer, namespace: it } ]
`);
    const token = (await cluster.kubectl(['-n', 'it', 'create', 'token', 'viewer'])).trim();
    const file = writeKubeconfig(path.join(tmp.dir, 'viewer.yaml'), [{ name: 'viewer', server: cluster.server }]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('token: test-token', `token: ${token}`));
    const limited = testServices({ ...process.env, KUBECONFIG: file, HOME: tmp.dir }, path.join(tmp.dir, 'config-viewer'));
    try {
      const details = await limited.objects.get({ context: 'viewer', group: 'apps', kind: 'Deployment', namespace: 'it', name: 'web' });
      expect(details.pods.length).toBe(2);
      expect(details.actions).toEqual([
        { id: 'edit', allowed: false, reason: expect.stringContaining('RBAC does not let you patch deployments here') },
        { id: 'scale', allowed: false, reason: expect.stringContaining('RBAC does not let you patch deployments/scale here') },
        { id: 'restart', allowed: false, reason: expect.stringContaining('patch deployments') },
        { id: 'delete', allowed: false, reason: expect.stringContaining('RBAC does not let you delete deployments here') },
      ]);
      await expect(limited.objects.act({ context: 'viewer', group: 'apps', kind: 'Deployment', namespace: 'it', name: 'web' }, { type: 'scale', replicas: 5 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      limited.dispose();
    }
  });
});
