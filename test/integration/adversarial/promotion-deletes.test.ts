/**
 * Adversarial: a promotion never deletes what it did not create. Each test replays an attack
 * (or an accident) against a real API server and real files and asserts the safe outcome.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../support/fault-proxy';
import { requireControlPlane } from '../../support/control-plane';
import { testServices, writeKubeconfig } from '../../support/fixtures';
import { asIs, configMap, namespace, progressHook, startTarget, type Target } from './adversarial-fixtures';

const enabled = requireControlPlane('adversarial: promotions never delete what they did not create');
const apply = { forceConflicts: false, prune: false, waitTimeoutSeconds: 0, profileSpec: asIs };

describe.runIf(enabled)('a promotion never deletes what it did not create', () => {
  let t: Target;

  beforeAll(async () => {
    t = await startTarget();
    await t.cluster.createNamespace('adv');
  });
  afterAll(async () => {
    await t?.stop();
  });

  const failedReads: [string, Fault][] = [
    ['403 Forbidden', { kind: 'status', status: 403 }],
    ['500 Internal Server Error', { kind: 'status', status: 500 }],
    ['503 Service Unavailable', { kind: 'status', status: 503 }],
    ['a reset connection', { kind: 'drop' }],
    // Never answered: the client's 30 s deadline fires.
    ['a timeout', { kind: 'stall' }],
  ];
  for (const [what, fault] of failedReads) {
    it(`a read of the live object that fails with ${what} stops the apply; nothing is recorded as created`, async () => {
      const precious = `precious-${failedReads.findIndex(([w]) => w === what)}`;
      await t.cluster.kubectl(['create', 'configmap', precious, '-n', 'adv', '--from-literal=owner=someone-else']);
      const bundle = t.bundle(`read-fails-${precious}`, [configMap(precious, 'adv', { owner: 'someone-else' }), configMap(`${precious}-new`, 'adv', { a: '1' })]);
      // The diff's reads pass; the failure hits the read that decides "created or configured".
      const io = progressHook((p) => {
        if (p.phase === 'record') t.proxy.inject(fault, { match: { method: 'GET', path: new RegExp(`/configmaps/${precious}$`) } });
      });
      await expect(t.services.promote.apply({ bundle, target: t.viaProxy, ...apply }, io)).rejects.toThrow(`Could not read the live ConfigMap adv/${precious} before applying`);
      t.proxy.clear();
      expect((await t.get(['configmap', precious, '-n', 'adv'])).data).toEqual({ owner: 'someone-else' });
      await expect(t.cluster.kubectl(['get', 'configmap', `${precious}-new`, '-n', 'adv'])).rejects.toThrow(/NotFound/);
      const record = t.services.promote.listHistory()[0]!;
      expect(record.status).toBe('blocked');
      await expect(t.services.promote.rollback(record.id)).rejects.toThrow(/was blocked and changed nothing/);
      expect((await t.get(['configmap', precious, '-n', 'adv'])).data).toEqual({ owner: 'someone-else' });
    });
  }

  it('rollback does not delete an object that was deleted and re-created by someone else since (uid differs)', async () => {
    const bundle = t.bundle('uid', [configMap('made-by-promotion', 'adv', { v: '1' })]);
    const result = await t.services.promote.apply({ bundle, target: t.cluster.contextName, ...apply });
    expect(result.objects[0]).toMatchObject({ outcome: 'created', uid: expect.any(String) });
    await t.cluster.kubectl(['delete', 'configmap', 'made-by-promotion', '-n', 'adv']);
    await t.cluster.kubectl(['create', 'configmap', 'made-by-promotion', '-n', 'adv', '--from-literal=v=theirs']);
    const rolled = await t.services.promote.rollback(result.id);
    expect(rolled.objects).toEqual([expect.objectContaining({ action: 'kept', message: expect.stringContaining('replaced by an object this promotion did not create') })]);
    expect((await t.get(['configmap', 'made-by-promotion', '-n', 'adv'])).data).toEqual({ v: 'theirs' });
  });

  it('an object someone creates between the read and the apply is recorded as configured, and rollback leaves it', async () => {
    const bundle = t.bundle('race', [namespace('adv'), configMap('raced', 'adv', { v: 'ours' })]);
    let made: Promise<string> | undefined;
    const io = progressHook((p) => {
      // The config map's apply is held back; meanwhile someone else creates it.
      if (p.phase === 'record') t.proxy.inject({ kind: 'delay', ms: 2500 }, { match: { method: 'PATCH', path: /\/configmaps\/raced$/ } });
      if (p.phase === 'apply namespaces') made = t.cluster.kubectl(['create', 'configmap', 'raced', '-n', 'adv', '--from-literal=owner=them']);
    });
    const result = await t.services.promote.apply({ bundle, target: t.viaProxy, ...apply, forceConflicts: true }, io);
    t.proxy.clear();
    await made;
    expect(result.objects.find((o) => o.ref.name === 'raced')).toMatchObject({ outcome: 'configured' });
    const rolled = await t.services.promote.rollback(result.id);
    expect(rolled.objects.filter((o) => o.action === 'deleted')).toEqual([]);
    expect((await t.get(['configmap', 'raced', '-n', 'adv'])).data).toMatchObject({ owner: 'them' });
  });

  it('rollback keeps a Namespace it created when someone else has put objects in it', async () => {
    const bundle = t.bundle('ns-shared', [namespace('adv-shared'), configMap('ours', 'adv-shared', { v: '1' })]);
    const result = await t.services.promote.apply({ bundle, target: t.cluster.contextName, ...apply });
    expect(result.objects.map((o) => `${o.outcome} ${o.ref.kind}`)).toEqual(['created Namespace', 'created ConfigMap']);
    await t.cluster.kubectl(['create', 'configmap', 'theirs', '-n', 'adv-shared', '--from-literal=v=2']);
    const rolled = await t.services.promote.rollback(result.id);
    expect(rolled.objects.map((o) => `${o.action} ${o.ref.kind}`)).toEqual(['deleted ConfigMap', 'kept Namespace']);
    expect(rolled.objects[1]!.message).toContain('ConfigMap theirs');
    expect((await t.get(['configmap', 'theirs', '-n', 'adv-shared'])).data).toEqual({ v: '2' });

    // The same bundle on a namespace nobody else uses: rollback removes it whole.
    const alone = t.bundle('ns-alone', [namespace('adv-alone'), configMap('ours', 'adv-alone', { v: '1' })]);
    const second = await t.services.promote.apply({ bundle: alone, target: t.cluster.contextName, ...apply });
    expect((await t.services.promote.rollback(second.id)).objects.map((o) => `${o.action} ${o.ref.kind}`)).toEqual(['deleted ConfigMap', 'deleted Namespace']);
  });

  it('rollback keeps a CRD it created while custom resources it did not create exist', async () => {
    const crd = JSON.stringify({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.adv.example.com' },
      spec: { group: 'adv.example.com', scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    });
    const gadget = (name: string) => JSON.stringify({ apiVersion: 'adv.example.com/v1', kind: 'Gadget', metadata: { name, namespace: 'adv' }, spec: { size: 1 } });
    const bundle = t.bundle('crd', [crd, gadget('ours')]);
    const result = await t.services.promote.apply({ bundle, target: t.cluster.contextName, ...apply });
    expect(result.objects.map((o) => `${o.outcome} ${o.ref.kind}`)).toEqual(['created CustomResourceDefinition', 'created Gadget']);
    await t.cluster.apply(gadget('someone-elses'));
    const rolled = await t.services.promote.rollback(result.id);
    expect(rolled.objects.map((o) => `${o.action} ${o.ref.kind}`)).toEqual(['deleted Gadget', 'kept CustomResourceDefinition']);
    expect(rolled.objects[1]!.message).toContain('Gadget adv/someone-elses');
    expect((await t.get(['gadgets.adv.example.com', 'someone-elses', '-n', 'adv'])).spec).toEqual({ size: 1 });
  });

  it('prune tells two bundles in folders both named `deploy` apart, and deletes only what its own promotions created', async () => {
    // Someone else's config map that bundle A only configures (it gets A's bundle label too).
    await t.cluster.kubectl(['create', 'configmap', 'shared-config', '-n', 'adv', '--from-literal=team=platform']);
    const a = (docs: string[]) => t.bundle('team-a/deploy', docs);
    const b = (docs: string[]) => t.bundle('team-b/deploy', docs);
    const aDocs = [configMap('a-keep', 'adv', { v: '1' }), configMap('a-drop', 'adv', { v: '1' }), configMap('shared-config', 'adv', { team: 'platform' })];
    const first = await t.services.promote.apply({ bundle: a(aDocs), target: t.cluster.contextName, ...apply });
    expect(first.objects.map((o) => `${o.outcome} ${o.ref.name}`)).toEqual(['created a-keep', 'created a-drop', 'configured shared-config']);
    await t.services.promote.apply({ bundle: b([configMap('b-one', 'adv', { v: '1' })]), target: t.cluster.contextName, ...apply });
    expect((await t.get(['configmap', 'b-one', '-n', 'adv'])).metadata.labels).toEqual({ 'slipway.dev/bundle': 'deploy' });
    expect((await t.get(['configmap', 'shared-config', '-n', 'adv'])).metadata.labels).toEqual({ 'slipway.dev/bundle': 'deploy' });

    // A drops everything but a-keep and prunes: b-one (same folder name) and shared-config (only configured) stay.
    const pruning = { bundle: a([aDocs[0]!]), target: t.cluster.contextName, prune: true, profileSpec: asIs };
    const plan = await t.services.promote.plan(pruning);
    expect(plan.willDelete).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'a-drop', namespace: 'adv' }]);
    const diff = await t.services.promote.diff(pruning);
    expect(diff.entries.filter((e) => e.action === 'delete').map((e) => e.ref.name)).toEqual(['a-drop']);
    expect(diff.summary.delete).toBe(1);
    const rbac = plan.checks.find((c) => c.id === 'rbac:configmaps in adv')!;
    expect(rbac).toMatchObject({ status: 'ok', reason: 'get, create, patch, list and delete allowed on configmaps in adv.' });
    const pruned = await t.services.promote.apply({ ...pruning, ...apply, prune: true });
    expect(pruned.objects.filter((o) => o.outcome === 'pruned').map((o) => o.ref.name)).toEqual(['a-drop']);
    await expect(t.cluster.kubectl(['get', 'configmap', 'a-drop', '-n', 'adv'])).rejects.toThrow(/NotFound/);
    expect((await t.get(['configmap', 'b-one', '-n', 'adv'])).data).toEqual({ v: '1' });
    expect((await t.get(['configmap', 'shared-config', '-n', 'adv'])).data).toEqual({ team: 'platform' });
    // And rollback of the prune brings a-drop back.
    expect((await t.services.promote.rollback(pruned.id)).objects.map((o) => `${o.action} ${o.ref.name}`)).toEqual(['restored a-drop']);
    expect((await t.get(['configmap', 'a-drop', '-n', 'adv'])).data).toEqual({ v: '1' });
  });

  it('prune never deletes an object that was replaced since its promotion created it', async () => {
    const dir = (docs: string[]) => t.bundle('replaced/deploy', docs);
    await t.services.promote.apply({ bundle: dir([configMap('r-keep', 'adv', { v: '1' }), configMap('r-gone', 'adv', { v: '1' })]), target: t.cluster.contextName, ...apply });
    await t.cluster.kubectl(['delete', 'configmap', 'r-gone', '-n', 'adv']);
    await t.cluster.kubectl(['create', 'configmap', 'r-gone', '-n', 'adv', '--from-literal=v=theirs']);
    const plan = await t.services.promote.plan({ bundle: dir([configMap('r-keep', 'adv', { v: '1' })]), target: t.cluster.contextName, prune: true, profileSpec: asIs });
    expect(plan.willDelete).toEqual([]);
    const result = await t.services.promote.apply({ bundle: dir([configMap('r-keep', 'adv', { v: '1' })]), target: t.cluster.contextName, ...apply, prune: true });
    expect(result.objects.filter((o) => o.outcome === 'pruned')).toEqual([]);
    expect((await t.get(['configmap', 'r-gone', '-n', 'adv'])).data).toEqual({ v: 'theirs' });
  });

  it('prune asks for list and delete in the RBAC preflight, and fails it for a user who may not delete', async () => {
    await t.cluster.apply(
      [
        'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: no-delete, namespace: adv}',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: no-delete, namespace: adv}\nrules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list, create, patch]}, {apiGroups: [""], resources: [namespaces], verbs: [get]}]',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: no-delete, namespace: adv}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: no-delete}\nsubjects: [{kind: ServiceAccount, name: no-delete, namespace: adv}]',
      ].join('\n---\n'),
    );
    const token = (await t.cluster.kubectl(['create', 'token', 'no-delete', '-n', 'adv'])).trim();
    const file = writeKubeconfig(path.join(t.tmp.dir, 'no-delete.yaml'), [{ name: 'no-delete', server: t.cluster.server }]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('token: test-token', `token: ${token}`));
    const services = testServices({ ...t.env, KUBECONFIG: [t.env.KUBECONFIG, file].join(path.delimiter) }, t.configDir);
    try {
      const bundle = t.bundle('no-delete', [configMap('nd', 'adv', { v: '1' })]);
      const without = await services.promote.plan({ bundle, target: 'no-delete', profileSpec: asIs });
      expect(without.checks.find((c) => c.id === 'rbac:configmaps in adv')?.status).toBe('ok');
      const withPrune = await services.promote.plan({ bundle, target: 'no-delete', prune: true, profileSpec: asIs });
      expect(withPrune.checks.find((c) => c.id === 'rbac:configmaps in adv')).toMatchObject({ status: 'fail', reason: 'Not allowed to delete configmaps in adv. Ask an admin for a Role granting it.' });
      expect((await services.promote.apply({ bundle, target: 'no-delete', ...apply, prune: true })).status).toBe('blocked');
    } finally {
      services.dispose();
    }
  });

  it('applies a new Namespace before its ResourceQuota and LimitRange, even when the namespace is slow to land', async () => {
    const quota = JSON.stringify({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'adv-quota' }, spec: { hard: { pods: '10' } } });
    const limits = JSON.stringify({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l', namespace: 'adv-quota' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m' } }] } });
    const bundle = t.bundle('quota-order', [quota, limits, namespace('adv-quota')]);
    // Every write to the namespace takes a while: sent side by side, the quota would arrive first.
    const io = progressHook((p) => {
      if (p.phase === 'record') t.proxy.inject({ kind: 'delay', ms: 1500 }, { match: { method: 'PATCH', path: /\/namespaces\/adv-quota$/ } });
    });
    const result = await t.services.promote.apply({ bundle, target: t.viaProxy, ...apply }, io);
    t.proxy.clear();
    expect(result.objects.map((o) => `${o.outcome} ${o.ref.kind}`)).toEqual(['created Namespace', 'created ResourceQuota', 'created LimitRange']);
    expect(result.status).toBe('succeeded');
    expect((await t.get(['resourcequota', 'q', '-n', 'adv-quota'])).spec.hard).toEqual({ pods: '10' });
  });
});
