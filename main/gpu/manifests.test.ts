import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { objectPath } from './kube-apply';
import { devicePluginManifests, metricsServerManifests, runtimeClassManifests, verificationJobManifest } from './manifests';

describe('pinned add-on manifests', () => {
  it('device plugin: pinned image, GPU-node selector, RuntimeClass nvidia; no ConfigMap without sharing', () => {
    const objects = devicePluginManifests({ sharing: 1 });
    expect(objects.map((o) => o.kind)).toEqual(['DaemonSet']);
    const pod = (objects[0] as any).spec.template.spec;
    expect(pod.containers[0].image).toBe('nvcr.io/nvidia/k8s-device-plugin:v0.17.0');
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.runtimeClassName).toBe('nvidia');
  });

  it('time-slicing: --gpu-sharing 4 adds the ConfigMap the DaemonSet reads (4 replicas per GPU)', () => {
    const [configMap, daemonSet] = devicePluginManifests({ sharing: 4 });
    expect(configMap!.kind).toBe('ConfigMap');
    expect(YAML.parse((configMap as any).data['config.yaml'])).toEqual({
      version: 'v1',
      sharing: { timeSlicing: { resources: [{ name: 'nvidia.com/gpu', replicas: 4 }] } },
    });
    const pod = (daemonSet as any).spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === 'config').configMap.name).toBe(configMap!.metadata.name);
    expect(pod.containers[0].env).toContainEqual({ name: 'CONFIG_FILE', value: '/etc/nvidia-device-plugin/config.yaml' });
  });

  it('metrics-server: pinned v0.8.0, and --kubelet-insecure-tls only when asked (kind)', () => {
    const args = (insecure: boolean) => (metricsServerManifests({ kubeletInsecureTls: insecure }).find((o) => o.kind === 'Deployment') as any).spec.template.spec.containers[0].args;
    expect(args(true)).toContain('--kubelet-insecure-tls');
    expect(args(false)).not.toContain('--kubelet-insecure-tls');
    const image = (metricsServerManifests({ kubeletInsecureTls: true }).find((o) => o.kind === 'Deployment') as any).spec.template.spec.containers[0].image;
    expect(image).toBe('registry.k8s.io/metrics-server/metrics-server:v0.8.0');
  });

  it('every object has a REST path (the apply table covers the manifests)', () => {
    const all = [...runtimeClassManifests(), ...devicePluginManifests({ sharing: 2 }), ...metricsServerManifests({ kubeletInsecureTls: true }), verificationJobManifest()];
    expect(all.map(objectPath)).toEqual([
      '/apis/node.k8s.io/v1/runtimeclasses/nvidia',
      '/api/v1/namespaces/kube-system/configmaps/nvidia-device-plugin-config',
      '/apis/apps/v1/namespaces/kube-system/daemonsets/nvidia-device-plugin-daemonset',
      '/api/v1/namespaces/kube-system/serviceaccounts/metrics-server',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Aaggregated-metrics-reader',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Ametrics-server',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/rolebindings/metrics-server-auth-reader',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/metrics-server%3Asystem%3Aauth-delegator',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system%3Ametrics-server',
      '/api/v1/namespaces/kube-system/services/metrics-server',
      '/apis/apps/v1/namespaces/kube-system/deployments/metrics-server',
      '/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io',
      '/apis/batch/v1/namespaces/default/jobs/slipway-gpu-check',
    ]);
    const job = verificationJobManifest() as any;
    expect(job.spec.template.spec.containers[0].resources.limits).toEqual({ 'nvidia.com/gpu': 1 });
    expect(job.spec.template.spec.containers[0].command).toEqual(['nvidia-smi']);
  });
});
