import { describe, expect, it } from 'vitest';
import { hostMetricsAdapterApi, inClusterMetricsAdapter } from './adapter-api';

describe('metrics adapter registrations', () => {
  it('on a simulated cluster: an ExternalName Service for localhost and the three APIServices on the adapter’s host port', () => {
    const objects = hostMetricsAdapterApi(31999);
    expect(objects[0]).toMatchObject({ kind: 'Service', metadata: { name: 'slipway-metrics-adapter', namespace: 'kube-system' }, spec: { type: 'ExternalName', externalName: 'localhost' } });
    expect(objects.slice(1).map((o) => [o.metadata.name, (o.spec as any).service.port])).toEqual([
      ['v1beta2.custom.metrics.k8s.io', 31999],
      ['v1beta1.custom.metrics.k8s.io', 31999],
      ['v1beta1.external.metrics.k8s.io', 31999],
    ]);
  });

  it('in a real cluster: the loaded image never pulled, delegated auth, read-only access, the APIServices behind its Service', () => {
    const objects = inClusterMetricsAdapter('slipway/metrics-adapter:0123456789ab');
    const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
    const container = (byKind('Deployment')[0] as any).spec.template.spec.containers[0];
    expect(container).toMatchObject({ image: 'slipway/metrics-adapter:0123456789ab', imagePullPolicy: 'Never' });
    expect(container.args).toContain('--secure-port=6443');
    expect((byKind('ClusterRole')[0] as any).rules).toEqual([{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }]);
    expect(byKind('ClusterRoleBinding').map((b) => (b as any).roleRef.name)).toEqual(['slipway-metrics-adapter', 'system:auth-delegator']);
    expect((byKind('RoleBinding')[0] as any).roleRef.name).toBe('extension-apiserver-authentication-reader');
    expect(byKind('APIService').map((a) => (a.spec as any).service)).toEqual(Array(3).fill({ name: 'slipway-metrics-adapter', namespace: 'kube-system', port: 443 }));
  });
});
