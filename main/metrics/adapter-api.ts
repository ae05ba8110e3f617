import type { KubeObject } from '../../shared/k8s/kube-object';

/** The Service the metrics APIs' registrations point at (kube-system). */
export const METRICS_ADAPTER_SERVICE = 'slipway-metrics-adapter';

/** The API versions Slipway's metrics adapter serves; the HPA controller asks custom v1beta2 first. */
export const METRICS_ADAPTER_API_SERVICES = [
  { name: 'v1beta2.custom.metrics.k8s.io', group: 'custom.metrics.k8s.io', version: 'v1beta2', versionPriority: 200 },
  { name: 'v1beta1.custom.metrics.k8s.io', group: 'custom.metrics.k8s.io', version: 'v1beta1', versionPriority: 100 },
  { name: 'v1beta1.external.metrics.k8s.io', group: 'external.metrics.k8s.io', version: 'v1beta1', versionPriority: 100 },
] as const;

/**
 * The registrations of the adapter as an aggregated API on a simulated cluster, where it runs on
 * the host: an ExternalName Service for `localhost` (as kwokctl registers metrics-server), and
 * the APIServices naming the adapter's host port. The adapter serves the cluster's own admin
 * certificate, which names no Service, so the aggregator skips TLS verification on loopback.
 */
export function hostMetricsAdapterApi(port: number): KubeObject[] {
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: METRICS_ADAPTER_SERVICE, namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'slipway' } },
    spec: { type: 'ExternalName', externalName: 'localhost' },
  };
  return [service, ...METRICS_ADAPTER_API_SERVICES.map((api) => apiService(api, port))];
}

function apiService(api: (typeof METRICS_ADAPTER_API_SERVICES)[number], port: number): KubeObject {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: api.name, labels: { 'app.kubernetes.io/managed-by': 'slipway' } },
    spec: {
      group: api.group,
      version: api.version,
      groupPriorityMinimum: 100,
      versionPriority: api.versionPriority,
      insecureSkipTLSVerify: true,
      service: { name: METRICS_ADAPTER_SERVICE, namespace: 'kube-system', port },
    },
  };
}

const MANAGED = { 'app.kubernetes.io/managed-by': 'slipway', 'app.kubernetes.io/name': METRICS_ADAPTER_SERVICE };

/**
 * The adapter inside a real cluster (kind, k3d): a Deployment of the image `ensureMetricsAdapterImage`
 * built, in kube-system, with the rights an aggregated API server needs (delegated authentication
 * and authorization) and read access to the objects its knobs sit on, behind a Service the
 * APIServices name. It serves a self-signed certificate, as metrics-server does.
 */
export function inClusterMetricsAdapter(image: string): KubeObject[] {
  const ns = 'kube-system';
  const name = METRICS_ADAPTER_SERVICE;
  const subject = [{ kind: 'ServiceAccount', name, namespace: ns }];
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, labels: MANAGED } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, labels: MANAGED },
      // A knob can sit on any object an Object metric names: read-only, and only get/list.
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }],
    } as KubeObject,
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name, labels: MANAGED }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: subject } as KubeObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${name}:system:auth-delegator`, labels: MANAGED },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects: subject,
    } as KubeObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${name}-auth-reader`, namespace: ns, labels: MANAGED },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      subjects: subject,
    } as KubeObject,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels: MANAGED },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': name } },
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': name } },
          spec: {
            serviceAccountName: name,
            priorityClassName: 'system-cluster-critical',
            containers: [
              {
                name: 'adapter',
                image,
                // Loaded into the nodes, never pulled: no registry has it.
                imagePullPolicy: 'Never',
                args: ['--secure-port=6443', '--cert-dir=/tmp/certs', '--discovery-interval=30s'],
                ports: [{ name: 'https', containerPort: 6443 }],
                readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 5 },
                resources: { requests: { cpu: '10m', memory: '40Mi' } },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    } as KubeObject,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels: MANAGED },
      spec: { selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'https', port: 443, targetPort: 'https' }] },
    } as KubeObject,
  ];
  return [...objects, ...METRICS_ADAPTER_API_SERVICES.map((api) => apiService(api, 443))];
}
