/**
 * Shared pieces of the adversarial suite: one real simulated cluster behind a fault proxy,
 * Slipway's services on a private config dir, bundles written as real files, and snapshots of
 * what the target holds (to prove a rollback put it back exactly).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Services } from '../../../main/services';
import type { TaskProgress } from '../../../shared/contract/define';
import { promotionProfileSchema } from '../../../shared/models/promote-profile';
import { startCluster, type TestCluster } from '../../support/cluster-harness';
import { startFaultProxy, faultTargetOf, type FaultProxy } from '../../support/fault-proxy';
import { tempDir, testServices } from '../../support/fixtures';

export interface Target {
  cluster: TestCluster;
  proxy: FaultProxy;
  /** The context that goes through the proxy. */
  viaProxy: string;
  services: Services;
  env: NodeJS.ProcessEnv;
  tmp: { dir: string; cleanup(): void };
  configDir: string;
  /** kubectl get … -o json, parsed. */
  get(args: string[]): Promise<any>;
  /** A folder `rel` (under the temp dir) holding `docs` as one YAML file each; returns its path. */
  bundle(rel: string, docs: string[]): string;
  stop(): Promise<void>;
}

export async function startTarget(): Promise<Target> {
  const tmp = tempDir('slipway-adversarial-');
  const cluster = await startCluster();
  const proxy = await startFaultProxy(faultTargetOf(cluster));
  const viaProxy = 'via-proxy';
  const proxyConfig = proxy.writeKubeconfig(path.join(tmp.dir, 'proxy.yaml'), viaProxy);
  const configDir = path.join(tmp.dir, 'config');
  const env = { ...process.env, KUBECONFIG: [cluster.kubeconfigPath, proxyConfig].join(path.delimiter), SLIPWAY_CONFIG_DIR: configDir, HOME: tmp.dir };
  const services = testServices(env, configDir);
  return {
    cluster,
    proxy,
    viaProxy,
    services,
    env,
    tmp,
    configDir,
    get: async (args) => JSON.parse(await cluster.kubectl(['get', ...args, '-o', 'json'])),
    bundle(rel, docs) {
      const dir = path.join(tmp.dir, rel);
      fs.mkdirSync(dir, { recursive: true });
      for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
      docs.forEach((doc, i) => fs.writeFileSync(path.join(dir, `${String(i).padStart(2, '0')}.yaml`), doc));
      return dir;
    },
    async stop() {
      services.dispose();
      await proxy.close();
      await cluster.stop();
      tmp.cleanup();
    },
  };
}

/** A profile that changes nothing and adds no Namespace objects: results list exactly the bundle's objects. */
export const asIs = promotionProfileSchema.parse({ name: 'as-is', createNamespace: false });

export const configMap = (name: string, namespace: string, data: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
export const namespace = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

/** Progress sink that lets a test act at a given moment of a task (inject a fault, cancel). */
export function progressHook(onProgress: (p: TaskProgress) => void): { progress(p: TaskProgress): void; signal: AbortSignal; abort(): void } {
  const controller = new AbortController();
  return { progress: onProgress, signal: controller.signal, abort: () => controller.abort() };
}

const NOISE = ['uid', 'resourceVersion', 'managedFields', 'generation', 'creationTimestamp'];

/**
 * What the target holds in `namespaces` (and which of them exist; one being deleted counts as
 * gone), without bookkeeping: kind,
 * name, labels, annotations, data and spec of every ConfigMap, Secret, Service and Deployment.
 */
export async function snapshot(cluster: TestCluster, namespaces: string[]): Promise<unknown> {
  const existing = (JSON.parse(await cluster.kubectl(['get', 'namespaces', '-o', 'json'])).items as any[]).filter((n) => n.status?.phase !== 'Terminating').map((n) => n.metadata.name as string);
  const out: Record<string, unknown> = { namespaces: namespaces.filter((n) => existing.includes(n)) };
  for (const ns of namespaces.filter((n) => existing.includes(n))) {
    const items = JSON.parse(await cluster.kubectl(['get', 'configmaps,secrets,services,deployments', '-n', ns, '-o', 'json'])).items as any[];
    out[ns] = items
      // A controller publishes this into every namespace at its own pace: not the promotion's doing.
      .filter((o) => !(o.kind === 'ConfigMap' && o.metadata.name === 'kube-root-ca.crt'))
      .map((o) => {
        const metadata = { ...o.metadata };
        for (const k of NOISE) delete metadata[k];
        if (metadata.annotations) {
          delete metadata.annotations['deployment.kubernetes.io/revision'];
          if (Object.keys(metadata.annotations).length === 0) delete metadata.annotations;
        }
        const spec = o.spec ? { ...o.spec } : undefined;
        // The cluster picks a Service's IPs; they are not what a promotion writes.
        if (o.kind === 'Service' && spec) {
          delete spec.clusterIP;
          delete spec.clusterIPs;
        }
        return { kind: o.kind, metadata, data: o.data, spec };
      })
      .sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
  }
  return out;
}
