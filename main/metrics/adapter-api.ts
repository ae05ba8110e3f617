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
