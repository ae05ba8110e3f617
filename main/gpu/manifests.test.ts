import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { KubeClient } from '../kube/kube-client';
import { ResourceMapper } from '../kube/resources/resource-mapper';
import { devicePluginManifests, metricsServerManifests, runtimeClassManifests, verificationJobManifest } from './manifests';

describe('pinned add-on manifests', () => {
  it('device plugin: pinned image, GPU-node selector, RuntimeClass nvidia', () => {
    const objects = devicePluginManifests({ sharing: 1 });
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'DaemonSet']);
    const pod = daemonSetPod(objects);
    expect(pod.containers[0].image).toBe('nvcr.io/nvidia/k8s-device-plugin:v0.17.0');
    expect(pod.runtimeClassName).toBe('nvidia');
    // Only GPU nodes run it: a nodeSelector on nvidia.com/gpu.present=true and no affinity that
    // could widen or contradict it.
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.affinity).toBeUndefined();
  });

  it('default settings (sharing 1): CONFIG_FILE is a mounted ConfigMap key holding a plain v1 config', () => {
    const { text, volume } = mountedConfigFile(devicePluginManifests({ sharing: 1 }));
    // v0.17 exits with "unable to parse config file" when the file is missing: the volume must not
    // be optional, so a missing ConfigMap holds the pod back instead of crashing the plugin.
    expect(volume.configMap.optional).not.toBe(true);
    expect(YAML.parse(text)).toEqual({ version: 'v1' });
  });

  it('time-slicing (sharing 4): the same mounted key holds a v1 config with 4 replicas per GPU', () => {
    const { text, volume } = mountedConfigFile(devicePluginManifests({ sharing: 4 }));
    expect(volume.configMap.optional).not.toBe(true);
    expect(YAML.parse(text)).toEqual(
      YAML.parse(`
version: v1
sharing:
  timeSlicing:
    resources:
      - name: nvidia.com/gpu
        replicas: 4
`),
    );
  });

  it('metrics-server: pinned v0.8.0, and --kubelet-insecure-tls only when asked (kind)', () => {
    const args = (insecure: boolean) => (metricsServerManifests({ kubeletInsecureTls: insecure }).find((o) => o.kind === 'Deployment') as any).spec.template.spec.containers[0].args;
    expect(args(true)).toContain('--kubelet-insecure-tls');
    expect(args(false)).not.toContain('--kubelet-insecure-tls');
    const image = (metricsServerManifests({ kubeletInsecureTls: true }).find((o) => o.kind === 'Deployment') as any).spec.template.spec.containers[0].image;
    expect(image).toBe('registry.k8s.io/metrics-server/metrics-server:v0.8.0');
  });

  it('every object has a REST path from the built-in table (applying add-ons needs no discovery)', async () => {
    const all = [...runtimeClassManifests(), ...devicePluginManifests({ sharing: 2 }), ...metricsServerManifests({ kubeletInsecureTls: true }), verificationJobManifest()];
    const offline = { contextName: 'offline', request: () => Promise.reject(new Error('no requests expected')) } as unknown as KubeClient;
    const mapper = new ResourceMapper(offline);
    const paths = await Promise.all(all.map((o) => mapper.objectPath({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })));
    expect(paths).toEqual([
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

/** The DaemonSet's pod spec, read back from the YAML that would be applied. */
function daemonSetPod(objects: KubeObject[]): any {
  return (rendered(objects).find((o) => o.kind === 'DaemonSet') as any).spec.template.spec;
}

/** The objects as YAML documents and parsed again, as a reader of the manifest would see them. */
function rendered(objects: KubeObject[]): KubeObject[] {
  const text = objects.map((o) => YAML.stringify(o)).join('---\n');
  return YAML.parseAllDocuments(text).map((d) => d.toJS() as KubeObject);
}

/**
 * Follows the plugin container's CONFIG_FILE to the file the kubelet would put there: the volume
 * mounted at its directory, that volume's ConfigMap and the key projected to its file name, and
 * that key's text in the ConfigMap of the same manifests. Fails when any link is missing.
 */
function mountedConfigFile(objects: KubeObject[]): { text: string; volume: any } {
  const docs = rendered(objects);
  const daemonSet = docs.find((o) => o.kind === 'DaemonSet') as any;
  const pod = daemonSet.spec.template.spec;
  const container = pod.containers.find((c: any) => c.name === 'nvidia-device-plugin-ctr');
  const file = container.env.find((e: any) => e.name === 'CONFIG_FILE')?.value as string;
  expect(file).toMatch(/^\/.+\/[^/]+$/);
  const dir = file.slice(0, file.lastIndexOf('/'));
  const mount = container.volumeMounts.find((m: any) => m.mountPath.replace(/\/$/, '') === dir);
  expect(mount, `a volume mounted at ${dir}`).toBeDefined();
  const volume = pod.volumes.find((v: any) => v.name === mount.name);
  expect(volume?.configMap, `volume ${mount.name} is a ConfigMap`).toBeDefined();
  const base = file.slice(dir.length + 1);
  const items = volume.configMap.items as { key: string; path: string }[] | undefined;
  const key = items ? items.find((i) => i.path === base)?.key : base;
  expect(key, `a key projected to ${base}`).toBeDefined();
  const configMap = docs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap.name && o.metadata.namespace === daemonSet.metadata.namespace) as any;
  expect(configMap, `ConfigMap ${volume.configMap.name} in ${daemonSet.metadata.namespace}`).toBeDefined();
  const text = configMap.data?.[key!];
  expect(typeof text, `ConfigMap key ${key}`).toBe('string');
  return { text, volume };
}
