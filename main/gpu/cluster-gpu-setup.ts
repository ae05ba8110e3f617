import { AppError } from '../../shared/errors';
import type { GpuVerification } from '../../shared/models/clusters';
import type { KubeClient } from '../kube/kube-client';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { ProviderIo } from '../clusters/provider';
import { delay } from '../delay';
import { ResourceMapper } from '../kube/resources/resource-mapper';
import { serverSideApply } from '../kube/resources/server-side-apply';
import { inClusterMetricsAdapter } from '../metrics/adapter-api';
import { devicePluginManifests, metricsServerManifests, runtimeClassManifests, verificationJobManifest } from './manifests';

export interface ClusterAddons {
  /** Create RuntimeClass nvidia and the device plugin (GPU clusters only). */
  gpu: boolean;
  devicePlugin: boolean;
  gpuSharing: number;
  metricsServer: boolean;
  /** kind kubelets serve self-signed certificates. */
  kubeletInsecureTls: boolean;
  /** Slipway's custom/external metrics API, from this image (already in the nodes). */
  metricsAdapterImage?: string;
  verifyGpu: boolean;
}

export interface SetupTimers {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  now(): number;
}

const realTimers: SetupTimers = { sleep: delay, now: () => Date.now() };

/**
 * Server-side apply, forced, of Slipway's own add-ons: idempotent, so re-running cluster setup
 * converges instead of failing on "already exists", and it takes back fields someone changed.
 */
export async function applyAddonObjects(client: KubeClient, objects: KubeObject[], signal?: AbortSignal): Promise<void> {
  // Add-ons are built-in kinds: the mapper answers from its table, with no discovery requests.
  const mapper = new ResourceMapper(client);
  for (const object of objects) await serverSideApply(client, mapper, object, { force: true, signal });
}

/**
 * Installs Slipway's in-cluster add-ons with server-side apply: RuntimeClass `nvidia`, the NVIDIA
 * device plugin (with time-slicing for sharing > 1), metrics-server, then optionally runs the GPU
 * verification Job and returns its outcome and log. Progress goes to `io` between `from`% and
 * `to`%.
 */
export async function setupClusterAddons(
  client: KubeClient,
  addons: ClusterAddons,
  io: ProviderIo,
  range: { from: number; to: number },
  timers: SetupTimers = realTimers,
): Promise<GpuVerification | undefined> {
  const steps: { phase: string; run: () => Promise<void> }[] = [];
  if (addons.gpu) {
    steps.push({ phase: 'RuntimeClass nvidia', run: () => applyAddonObjects(client, runtimeClassManifests(), io.signal) });
    if (addons.devicePlugin) {
      steps.push({
        phase: addons.gpuSharing > 1 ? `NVIDIA device plugin (${addons.gpuSharing} pods per GPU)` : 'NVIDIA device plugin',
        run: () => applyAddonObjects(client, devicePluginManifests({ sharing: addons.gpuSharing }), io.signal),
      });
    }
  }
  if (addons.metricsServer) {
    steps.push({ phase: 'metrics-server', run: () => applyAddonObjects(client, metricsServerManifests({ kubeletInsecureTls: addons.kubeletInsecureTls }), io.signal) });
  }
  if (addons.metricsAdapterImage) {
    const image = addons.metricsAdapterImage;
    steps.push({ phase: 'custom metrics adapter', run: () => applyAddonObjects(client, inClusterMetricsAdapter(image), io.signal) });
  }
  const total = steps.length + (addons.gpu && addons.verifyGpu ? 1 : 0);
  const at = (i: number) => Math.round(range.from + ((range.to - range.from) * i) / Math.max(1, total));
  for (const [i, step] of steps.entries()) {
    io.progress({ phase: step.phase, percent: at(i), log: [`Applying ${step.phase}`] });
    await step.run();
  }
  if (!(addons.gpu && addons.verifyGpu)) return undefined;
  io.progress({ phase: 'GPU verification', percent: at(steps.length), log: ['Running a CUDA pod with nvidia.com/gpu: 1 (nvidia-smi)…'] });
  const result = await runVerification(client, io.signal, timers);
  io.progress({ phase: 'GPU verification', percent: range.to, log: [result.ok ? 'GPU verification passed.' : `GPU verification failed: ${result.message}`, ...result.log.split('\n').slice(0, 40)] });
  return result;
}

interface JobStatus {
  status?: { conditions?: { type: string; status: string; message?: string; reason?: string }[] };
}

/**
 * Runs the verification Job (replacing an earlier one) and waits up to 10 minutes (CUDA images
 * are large) for it to finish. Passes when the Job completes and its log says NVIDIA-SMI.
 */
export async function runVerification(client: KubeClient, signal: AbortSignal | undefined, timers: SetupTimers = realTimers, timeoutMs = 600_000): Promise<GpuVerification> {
  const job = verificationJobManifest();
  const path = await new ResourceMapper(client).objectPath({ apiVersion: job.apiVersion, kind: job.kind, namespace: job.metadata.namespace, name: job.metadata.name }, signal);
  await client.request({ method: 'DELETE', path, query: { propagationPolicy: 'Background' }, signal }).catch((e: AppError) => {
    if (e.code !== 'NOT_FOUND') throw e;
  });
  // A Job being deleted still holds its name: wait until it is gone.
  const start = timers.now();
  for (;;) {
    const exists = await client.request({ path, signal }).then(() => true, (e: AppError) => (e.code === 'NOT_FOUND' ? false : Promise.reject(e)));
    if (!exists) break;
    if (timers.now() - start > 60_000) throw new AppError('TIMEOUT', 'The previous GPU verification Job was not deleted within 60 s.');
    await timers.sleep(1_000, signal);
  }
  await client.request({ method: 'POST', path: path.slice(0, path.lastIndexOf('/')), body: job, signal });
  for (;;) {
    const { body } = await client.request<JobStatus>({ path, signal });
    const conditions = body.status?.conditions ?? [];
    const done = conditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    if (done) {
      const log = await jobLog(client, signal);
      if (done.type === 'Complete' && log.includes('NVIDIA-SMI')) return { ok: true, log, message: 'A pod ran nvidia-smi on a GPU.' };
      if (done.type === 'Complete') return { ok: false, log, message: 'The verification pod finished, but its log does not show nvidia-smi’s table.' };
      return { ok: false, log, message: `The verification pod failed: ${done.message ?? done.reason ?? 'no reason given'}.` };
    }
    if (timers.now() - start > timeoutMs) {
      return { ok: false, log: await jobLog(client, signal), message: `The verification Job did not finish within ${timeoutMs / 60_000} minutes (is the CUDA image still pulling?).` };
    }
    await timers.sleep(2_000, signal);
  }
}

async function jobLog(client: KubeClient, signal?: AbortSignal): Promise<string> {
  const job = verificationJobManifest();
  const ns = job.metadata.namespace ?? 'default';
  const { body } = await client.request<{ items: { metadata: { name: string } }[] }>({
    path: `/api/v1/namespaces/${ns}/pods`,
    query: { labelSelector: `job-name=${job.metadata.name}` },
    signal,
  });
  const pod = body.items[0];
  if (!pod) return '(no pod was created)';
  try {
    const res = await client.request<string>({ path: `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log`, query: { tailLines: 200 }, signal });
    return String(res.body);
  } catch (error) {
    return `(log unavailable: ${(error as Error).message})`;
  }
}
