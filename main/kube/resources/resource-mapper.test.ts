import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import type { KubeClient, KubeRequest } from '../kube-client';
import { builtinKind, offlineNamespaced } from './builtin';
import { apiVersionOf, collectionPath, groupOf, objectPathOf } from './paths';
import { ResourceMapper } from './resource-mapper';

const PYTORCH = { name: 'pytorchjobs', kind: 'PyTorchJob', namespaced: true, verbs: ['get', 'list', 'watch', 'patch'] };

/** A fake API server answering discovery from `routes` (404 for anything else), counting requests. */
function fakeClient(routes: Record<string, unknown>, fail?: (path: string) => Error | undefined) {
  const requests: string[] = [];
  const client = {
    contextName: 'kind-dev',
    async request<T>(req: KubeRequest): Promise<{ status: number; headers: object; body: T }> {
      requests.push(req.path);
      const error = fail?.(req.path);
      if (error) throw error;
      if (!(req.path in routes)) throw new AppError('NOT_FOUND', `${req.path} not found`, { details: { status: 404 } });
      return { status: 200, headers: {}, body: structuredClone(routes[req.path]) as T };
    },
  };
  return { client: client as unknown as KubeClient, requests };
}

const KUBEFLOW = {
  '/apis/kubeflow.org': { versions: [{ groupVersion: 'kubeflow.org/v1', version: 'v1' }, { groupVersion: 'kubeflow.org/v2beta1', version: 'v2beta1' }], preferredVersion: { version: 'v2beta1' } },
  '/apis/kubeflow.org/v1': { resources: [PYTORCH, { name: 'pytorchjobs/status', kind: 'PyTorchJob', namespaced: true }] },
  '/apis/kubeflow.org/v2beta1': { resources: [{ name: 'mpijobs', kind: 'MPIJob', namespaced: true }] },
};

describe('ResourceMapper', () => {
  it('answers built-ins from its table without a request', async () => {
    const { client, requests } = fakeClient({});
    const mapper = new ResourceMapper(client);
    expect(await mapper.resolveKind('apps/v1', 'Deployment')).toMatchObject({ group: 'apps', version: 'v1', plural: 'deployments', namespaced: true });
    expect(await mapper.resolveRef({ group: '', plural: 'nodes' })).toMatchObject({ kind: 'Node', namespaced: false });
    // Another served version of a built-in keeps its plural and scope.
    expect(await mapper.resolveRef({ group: 'autoscaling', version: 'v1', plural: 'horizontalpodautoscalers' })).toMatchObject({ version: 'v1', kind: 'HorizontalPodAutoscaler' });
    expect(await mapper.objectPath({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a b' })).toBe('/api/v1/namespaces/default/configmaps/a%20b');
    expect(await mapper.objectPath({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespace: 'ignored', name: 'x' })).toBe('/apis/rbac.authorization.k8s.io/v1/clusterroles/x');
    expect(await mapper.objectPath({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'ml' })).toBe('/apis/batch/v1/namespaces/ml/jobs');
    expect(requests).toEqual([]);
  });

  it('resolves kinds through discovery, one GET per group-version, leaving subresources out', async () => {
    const { client, requests } = fakeClient(KUBEFLOW);
    const mapper = new ResourceMapper(async () => client);
    const [a, b] = await Promise.all([mapper.resolveKind('kubeflow.org/v1', 'PyTorchJob'), mapper.resolveKind('kubeflow.org/v1', 'PyTorchJob')]);
    expect(a).toEqual({ group: 'kubeflow.org', version: 'v1', plural: 'pytorchjobs', kind: 'PyTorchJob', namespaced: true, verbs: PYTORCH.verbs });
    expect(b).toEqual(a);
    expect(await mapper.resolveKind('kubeflow.org/v1', 'TFJob')).toBeNull();
    expect(await mapper.objectPath({ apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', namespace: 'ml', name: 'mnist' })).toBe('/apis/kubeflow.org/v1/namespaces/ml/pytorchjobs/mnist');
    expect(requests).toEqual(['/apis/kubeflow.org/v1']);
  });

  it('resolves plural refs at the preferred version first, then the other served ones', async () => {
    const { client, requests } = fakeClient(KUBEFLOW);
    const mapper = new ResourceMapper(client);
    expect(await mapper.resolveRef({ group: 'kubeflow.org', plural: 'mpijobs' })).toMatchObject({ version: 'v2beta1', kind: 'MPIJob' });
    expect(await mapper.resolveRef({ group: 'kubeflow.org', plural: 'pytorchjobs' })).toMatchObject({ version: 'v1' });
    expect(await mapper.resolveRef({ group: 'kubeflow.org', version: 'v2beta1', plural: 'pytorchjobs' })).toBeNull();
    expect(await mapper.resolveRef({ group: 'ray.io', plural: 'rayjobs' })).toBeNull();
    expect(requests).toEqual(['/apis/kubeflow.org', '/apis/kubeflow.org/v2beta1', '/apis/kubeflow.org/v1', '/apis/ray.io']);
  });

  it('finds core resources outside its table through /api/v1', async () => {
    const { client } = fakeClient({ '/api/v1': { resources: [{ name: 'endpoints', kind: 'Endpoints', namespaced: true }] } });
    const mapper = new ResourceMapper(client);
    expect(await mapper.resolveRef({ group: '', plural: 'endpoints' })).toMatchObject({ group: '', version: 'v1', kind: 'Endpoints' });
    expect(await mapper.resolveKind('v1', 'Endpoints')).toMatchObject({ plural: 'endpoints' });
  });

  it('remembers "not served" until invalidated, so a CRD installed later is found', async () => {
    const routes: Record<string, unknown> = {};
    const { client, requests } = fakeClient(routes);
    const mapper = new ResourceMapper(client);
    expect(await mapper.resolveRef({ group: 'ray.io', plural: 'rayjobs' })).toBeNull();
    routes['/apis/ray.io'] = { versions: [{ groupVersion: 'ray.io/v1', version: 'v1' }], preferredVersion: { version: 'v1' } };
    routes['/apis/ray.io/v1'] = { resources: [{ name: 'rayjobs', kind: 'RayJob', namespaced: true }] };
    expect(await mapper.resolveRef({ group: 'ray.io', plural: 'rayjobs' })).toBeNull();
    mapper.invalidate('kubeflow.org');
    expect(await mapper.resolveRef({ group: 'ray.io', plural: 'rayjobs' })).toBeNull();
    mapper.invalidate('ray.io');
    expect(await mapper.resolveRef({ group: 'ray.io', plural: 'rayjobs' })).toMatchObject({ kind: 'RayJob' });
    expect(await mapper.resolveKind('ray.io/v1', 'RayJob')).toMatchObject({ plural: 'rayjobs' });
    mapper.invalidate();
    await mapper.resolveKind('ray.io/v1', 'RayJob');
    expect(requests).toEqual(['/apis/ray.io', '/apis/ray.io', '/apis/ray.io/v1', '/apis/ray.io/v1']);
  });

  it('does not remember a failed lookup as "not served"', async () => {
    let down = true;
    const { client } = fakeClient(KUBEFLOW, () => (down ? new AppError('CLUSTER_UNREACHABLE', 'connection refused') : undefined));
    const mapper = new ResourceMapper(client);
    await expect(mapper.resolveKind('kubeflow.org/v1', 'PyTorchJob')).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    down = false;
    expect(await mapper.resolveKind('kubeflow.org/v1', 'PyTorchJob')).toMatchObject({ plural: 'pytorchjobs' });
  });

  it('requireKind says which context lacks the kind and what to do', async () => {
    const { client } = fakeClient({});
    const mapper = new ResourceMapper(client);
    const error = await mapper.requireKind('ray.io/v1', 'RayJob').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'kind-dev does not serve RayJob (ray.io/v1).' });
    expect((error as AppError).fix).toMatch(/Install the CRD/);
    await expect(mapper.objectPath({ apiVersion: 'ray.io/v1', kind: 'RayJob', name: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('passes its deadline and the caller’s signal to discovery', async () => {
    const seen: KubeRequest[] = [];
    const client = { contextName: 'c', request: async (req: KubeRequest) => (seen.push(req), { status: 200, headers: {}, body: { resources: [] } }) } as unknown as KubeClient;
    const signal = new AbortController().signal;
    await new ResourceMapper(client, { timeoutMs: 1234 }).resolveKind('example.com/v1', 'Thing', signal);
    expect(seen[0]).toMatchObject({ path: '/apis/example.com/v1', timeoutMs: 1234, signal });
  });
});

describe('resource paths and the static table', () => {
  it('builds collection and object paths', () => {
    const pods = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true };
    const crd = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false };
    expect(collectionPath(pods)).toBe('/api/v1/pods');
    expect(collectionPath(pods, 'ml')).toBe('/api/v1/namespaces/ml/pods');
    expect(collectionPath(crd, 'ml')).toBe('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    expect(objectPathOf(pods, undefined, 'p')).toBe('/api/v1/namespaces/default/pods/p');
    expect(objectPathOf(crd, 'ml', 'a.b')).toBe('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/a.b');
    expect([apiVersionOf(pods), apiVersionOf(crd)]).toEqual(['v1', 'apiextensions.k8s.io/v1']);
    expect([groupOf('v1'), groupOf('apps/v1'), groupOf('kubeflow.org/v2beta1')]).toEqual(['', 'apps', 'kubeflow.org']);
  });

  it('knows scopes offline by group and kind; unknown kinds are namespaced', () => {
    expect(offlineNamespaced('v1', 'Namespace')).toBe(false);
    expect(offlineNamespaced('storage.k8s.io/v1beta1', 'CSIDriver')).toBe(false);
    expect(offlineNamespaced('kueue.x-k8s.io/v1beta1', 'ClusterQueue')).toBe(false);
    expect(offlineNamespaced('kueue.x-k8s.io/v1beta1', 'LocalQueue')).toBe(true);
    expect(offlineNamespaced('apps/v1', 'Deployment')).toBe(true);
    expect(offlineNamespaced('example.com/v1', 'Widget')).toBe(true);
    // Well-known CRDs are scope hints only, never a fast-path answer: the target may lack them.
    expect(builtinKind('kueue.x-k8s.io/v1beta1', 'ClusterQueue')).toBeUndefined();
  });
});
