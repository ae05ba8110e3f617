import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { RenderedObject } from '../../shared/models/promote';
import { refOf } from '../../shared/models/promote';
import { promotionProfileSchema } from '../../shared/models/promote-profile';
import { bundleIdentity, pruneCandidates } from './prune';
import { mapSecrets } from './secret-mapping';
import { maskSecret, maskSecretChanges, secretsIn } from './secrets';

const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'ml', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"t":"c2VjcmV0"}}', keep: 'me' } }, data: { t: 'c2VjcmV0' }, stringData: { u: 'plain' } } as KubeObject;

describe('secret masking', () => {
  it('masks data, stringData and the last-applied annotation, and nothing else', () => {
    const masked = maskSecret(secret);
    expect(masked.data).toEqual({ t: '***' });
    expect(masked.stringData).toEqual({ u: '***' });
    expect(masked.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/last-applied-configuration': '***', keep: 'me' });
    expect(secret.data).toEqual({ t: 'c2VjcmV0' });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } as KubeObject;
    expect(maskSecret(cm)).toBe(cm);
    expect(maskSecret(null)).toBeNull();
  });

  it('masks changed values like kubectl diff and keeps the paths', () => {
    const changes = maskSecretChanges(secret, [
      { path: 'data.t', type: 'changed', before: 'b2xk', after: 'bmV3' },
      { path: 'data', type: 'added', after: { x: 'eA==' } },
      { path: 'metadata.labels.a', type: 'added', after: '1' },
    ]);
    expect(changes).toEqual([
      { path: 'data.t', type: 'changed', before: '*** (before)', after: '*** (after)' },
      { path: 'data', type: 'added', after: { x: '*** (after)' } },
      { path: 'metadata.labels.a', type: 'added', after: '1' },
    ]);
    expect(secretsIn([secret])).toEqual([{ name: 'token', namespace: 'ml', keys: ['t', 'u'] }]);
  });

  it('maps Secrets to the target\'s (references follow) or leaves them out', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'ml' },
      spec: { template: { spec: { imagePullSecrets: [{ name: 'pull' }], volumes: [{ name: 'v', secret: { secretName: 'token' } }], containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'token' } }], env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'other', key: 'k' } } }] }] } } },
    } as unknown as KubeObject;
    const rendered = (objects: KubeObject[]): RenderedObject[] => objects.map((o) => ({ ref: refOf(o), object: structuredClone(o), origin: {}, changes: [] }));
    const profile = promotionProfileSchema.parse({ name: 'p', secrets: { token: 'prod-token', other: null } });
    const out = mapSecrets(rendered([secret, { ...secret, metadata: { name: 'other', namespace: 'ml' } }, deployment]), profile);
    expect(out.rendered.map((r) => r.ref.kind)).toEqual(['Deployment']);
    expect(out.leftOut.map((l) => `${l.ref.name}→${l.mappedTo}`)).toEqual(['token→prod-token', 'other→null']);
    const spec = (out.rendered[0]!.object.spec as any).template.spec;
    expect(spec.volumes[0].secret.secretName).toBe('prod-token');
    expect(spec.containers[0].envFrom[0].secretRef.name).toBe('prod-token');
    // Mapped to null: left out, the reference stays (preflight reports nothing to map it to).
    expect(spec.containers[0].env[0].valueFrom.secretKeyRef.name).toBe('other');
    expect(spec.imagePullSecrets[0].name).toBe('pull');
  });
});

describe('prune candidates', () => {
  const record = (over: Record<string, unknown>) =>
    ({ id: 'x', createdAt: '2026-01-01T00:00:00Z', bundle: 'deploy', target: 'cloud', profile: 'p', status: 'succeeded', counts: {}, source: { kind: 'folder', path: '/a/deploy' }, profileSpec: {}, rendered: [], previous: [], result: [], ...over }) as any;
  const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: 'ml' });

  it('tells bundles apart by where they come from, not by their folder name', () => {
    expect(bundleIdentity({ kind: 'folder', path: '/team-a/deploy' })).not.toBe(bundleIdentity({ kind: 'folder', path: '/team-b/deploy' }));
    expect(bundleIdentity({ kind: 'folder', path: '/team-a/deploy' })).toMatch(/^[a-f0-9]{16}$/);
    expect(bundleIdentity({ kind: 'capture', context: 'kind-a', namespace: 'ml' })).not.toBe(bundleIdentity({ kind: 'capture', context: 'kind-b', namespace: 'ml' }));
  });

  it('takes only what promotions of the same bundle to the same target created, with a uid, and not rolled back', () => {
    const id = 'aaaa';
    const records = [
      record({ bundleId: id, result: [{ ref: cm('created'), outcome: 'created', uid: 'u1' }, { ref: cm('configured'), outcome: 'configured', uid: 'u2' }, { ref: cm('kept'), outcome: 'created', uid: 'u3' }, { ref: cm('no-uid'), outcome: 'created' }, { ref: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'data', namespace: 'ml' }, outcome: 'created', uid: 'u4' }] }),
      record({ bundleId: 'bbbb', result: [{ ref: cm('other-bundle'), outcome: 'created', uid: 'u5' }] }),
      record({ bundleId: id, target: 'elsewhere', result: [{ ref: cm('other-target'), outcome: 'created', uid: 'u6' }] }),
      record({ bundleId: id, rolledBackAt: '2026-01-02T00:00:00Z', result: [{ ref: cm('rolled-back'), outcome: 'created', uid: 'u7' }] }),
    ];
    expect(pruneCandidates(records, id, 'cloud', new Set(['|ConfigMap|ml|kept']))).toEqual([{ ref: cm('created'), uid: 'u1' }]);
  });
});
