import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../shared/models/views-watch';
import { actionsForKind, childLink, deleteWarning, objectYaml, ownerLinks, replicaOf } from './object-view';
import { childQueries } from './children';
import { parseEdit } from './edit-parse';

const pod = (labels: Record<string, string> = {}, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'train-worker-1', namespace: 'ml', uid: 'p1', labels, managedFields: [{ manager: 'kubelet' }] },
  status: { phase: 'Running' },
  ...extra,
});

describe('object view', () => {
  it('hides managedFields unless asked, and keeps everything else', () => {
    expect(parse(objectYaml(pod(), false)).metadata).toEqual({ name: 'train-worker-1', namespace: 'ml', uid: 'p1', labels: {} });
    expect(parse(objectYaml(pod(), true)).metadata.managedFields).toEqual([{ manager: 'kubelet' }]);
  });

  it('names a training pod by replica type and index, and a plain pod not at all', () => {
    expect(replicaOf(pod({ 'training.kubeflow.org/replica-type': 'worker', 'training.kubeflow.org/replica-index': '1' }))).toBe('worker 1');
    expect(replicaOf(pod({ 'ray.io/node-type': 'head' }))).toBe('head');
    expect(replicaOf(pod())).toBeUndefined();
    expect(childLink(pod({ 'training.kubeflow.org/replica-type': 'worker', 'training.kubeflow.org/replica-index': '1' }), 'Pod', '')).toEqual({ group: '', kind: 'Pod', namespace: 'ml', name: 'train-worker-1', detail: 'worker 1 · Running' });
  });

  it('owner references become links in the same namespace, with the group of their apiVersion', () => {
    const owned = pod({}, { metadata: { name: 'web-1', namespace: 'it', uid: 'u', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9', uid: 'rs', controller: true }] } });
    expect(ownerLinks(owned)).toEqual([{ group: 'apps', kind: 'ReplicaSet', namespace: 'it', name: 'web-5d9' }]);
    expect(deleteWarning(owned, '', 'Pod')).toBe('Its controller will create a replacement.');
  });

  it('offers scale and restart to Deployments, cordon to nodes, suspend only where the kind can be suspended', () => {
    expect(actionsForKind('apps', 'Deployment', false)).toEqual(['edit', 'scale', 'restart', 'delete']);
    expect(actionsForKind('', 'Node', false)).toEqual(['edit', 'cordon', 'uncordon']);
    expect(actionsForKind('batch', 'Job', true)).toEqual(['edit', 'suspend', 'resume', 'delete']);
    expect(actionsForKind('', 'PersistentVolumeClaim', false)).toEqual(['edit', 'delete']);
  });

  it('finds a Deployment’s pods through its ReplicaSets by its selector, a PyTorchJob’s by the operator’s label', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', uid: 'd' }, spec: { selector: { matchLabels: { app: 'web', tier: 'front' } } } } as KubeObject;
    expect(childQueries('apps/v1', deployment)).toEqual({ children: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', labelSelector: 'app=web,tier=front' }], pods: { labelSelector: 'app=web,tier=front', ownedOnly: true } });
    const job = { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'mnist', uid: 'j' } } as KubeObject;
    expect(childQueries('kubeflow.org/v1', job).pods).toEqual({ labelSelector: 'training.kubeflow.org/job-name=mnist', ownedOnly: false });
    expect(childQueries('v1', pod()).pods).toBe('self');
  });
});

describe('parseEdit', () => {
  const key = { context: 'c', group: 'apps', kind: 'Deployment', namespace: 'it', name: 'web' };
  it('takes the same object back without managedFields and resourceVersion', () => {
    const object = parseEdit('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: it\n  resourceVersion: "41"\n  managedFields: [{manager: x}]\nspec:\n  replicas: 3\n', key);
    expect(object).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'it' }, spec: { replicas: 3 } });
  });

  it('refuses YAML that does not parse, naming the line', () => {
    expect(() => parseEdit('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [web\n', key)).toThrow(/does not parse \(line \d+\)/);
  });

  it('refuses an edit that renames the object or moves it to another namespace or group', () => {
    expect(() => parseEdit('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other, namespace: it}\n', key)).toThrow(/must keep/);
    expect(() => parseEdit('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: prod}\n', key)).toThrow(/must keep/);
    expect(() => parseEdit('apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: web, namespace: it}\n', key)).toThrow(/must keep/);
    expect(() => parseEdit('- a\n- b\n', key)).toThrow(/not a Kubernetes object/);
  });
});
