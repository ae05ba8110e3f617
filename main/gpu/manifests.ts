import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { resourcesDir } from '../resources-dir';

/** Every document of a pinned manifest in resources/manifests. */
export function loadManifest(file: string): KubeObject[] {
  const text = fs.readFileSync(path.join(resourcesDir(), 'manifests', file), 'utf8');
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((d): d is KubeObject => Boolean(d));
}

export const DEVICE_PLUGIN_CONFIG_MAP = 'nvidia-device-plugin-config';

/** RuntimeClass `nvidia` (handler `nvidia`). */
export function runtimeClassManifests(): KubeObject[] {
  return loadManifest('runtime-class-nvidia.yaml');
}

/** The device plugin's config file: the ConfigMap key its DaemonSet mounts at CONFIG_FILE. */
const DEVICE_PLUGIN_CONFIG_KEY = 'config.yaml';

/**
 * The NVIDIA device plugin: its ConfigMap and DaemonSet. The ConfigMap always exists (the plugin
 * exits when CONFIG_FILE is missing) and holds the manifest's plain `version: v1` config; with
 * `sharing` > 1 time-slicing is added, so each GPU is advertised as `sharing` nvidia.com/gpu and
 * that many pods share it. Applying with sharing 1 over a shared cluster's config removes the
 * time-slicing again.
 */
export function devicePluginManifests(options: { sharing: number }): KubeObject[] {
  const objects = loadManifest('nvidia-device-plugin.yaml');
  if (options.sharing <= 1) return objects;
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === DEVICE_PLUGIN_CONFIG_MAP) as (KubeObject & { data: Record<string, string> }) | undefined;
  if (!configMap) throw new Error(`nvidia-device-plugin.yaml has no ConfigMap ${DEVICE_PLUGIN_CONFIG_MAP}`);
  const config = YAML.parse(configMap.data[DEVICE_PLUGIN_CONFIG_KEY] ?? '') as Record<string, unknown>;
  config.sharing = { timeSlicing: { resources: [{ name: 'nvidia.com/gpu', replicas: options.sharing }] } };
  configMap.data[DEVICE_PLUGIN_CONFIG_KEY] = YAML.stringify(config);
  return objects;
}

/** metrics-server; `kubeletInsecureTls` adds the flag kind's self-signed kubelets need. */
export function metricsServerManifests(options: { kubeletInsecureTls: boolean }): KubeObject[] {
  const objects = loadManifest('metrics-server.yaml');
  if (!options.kubeletInsecureTls) return objects;
  for (const object of objects) {
    if (object.kind !== 'Deployment') continue;
    const containers = (object as any).spec.template.spec.containers as { name: string; args: string[] }[];
    for (const c of containers) if (c.name === 'metrics-server' && !c.args.includes('--kubelet-insecure-tls')) c.args.push('--kubelet-insecure-tls');
  }
  return objects;
}

/** The verification Job (CUDA image running nvidia-smi with one GPU). */
export function verificationJobManifest(): KubeObject {
  return loadManifest('gpu-verification-job.yaml')[0]!;
}
