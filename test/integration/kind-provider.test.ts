/**
 * KindProvider end to end against the kind/docker/nvidia-smi/nvidia-ctk shims, with `kind create
 * cluster` backed by a real simulated control plane: the post-create steps land in a real API
 * server, and every command Slipway ran is asserted in order.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { Services } from '../../main/services';
import { runCli } from '../../main/cli';
import { captureStream } from '../support/fixtures';
import { dockerExecArgs, gpuNodeSteps } from '../../main/gpu/node-setup';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { CONTROL_PLANE_BIN, requireControlPlane } from '../support/control-plane';
import { testServices } from '../support/fixtures';
import { recordingIo } from '../support/provider-io';
import { makeShims, type ShimOptions, type ShimSetup } from '../support/shims';

const enabled = requireControlPlane('kind provider integration');

describe.runIf(enabled)('KindProvider (kind shim backed by a simulated control plane)', () => {
  let backing: TestCluster;
  let shims: ShimSetup | undefined;
  let services: Services | undefined;

  beforeAll(async () => {
    backing = await startCluster();
  });
  afterAll(async () => {
    await backing?.stop();
  });
  afterEach(() => {
    services?.dispose();
    shims?.cleanup();
    services = undefined;
    shims = undefined;
  });

  function setup(options: Partial<ShimOptions> = {}) {
    shims = makeShims({
      tools: ['docker', 'kind', 'nvidia-smi', 'nvidia-ctk'],
      nvidiaSmi: 'eight-gpus',
      dockerRuntime: 'nvidia',
      backingKubeconfig: backing.kubeconfigPath,
      kubectl: path.join(CONTROL_PLANE_BIN, 'kubectl'),
      ...options,
    });
    services = testServices(shims.env, path.join(shims.dir, 'config'));
    return { shims, services };
  }

  async function failure(promise: Promise<unknown>): Promise<AppError> {
    try {
      await promise;
    } catch (error) {
      return error as AppError;
    }
    throw new Error('expected a failure');
  }

  it('2 workers with GPUs 0/1: the exact command sequence, and RuntimeClass, device plugin with sharing, metrics-server and node labels in the API server', async () => {
    const { shims, services } = setup();
    const io = recordingIo();
    const result = await services.clusters.create({ provider: 'kind', name: 'gpu', nodes: 2, gpus: '0/1', gpuSharing: 4 }, io);
    const kubeconfig = shims.env.KUBECONFIG!;
    expect(result).toMatchObject({
      contextName: 'kind-gpu',
      kubeconfigPath: kubeconfig,
      cluster: { name: 'gpu', provider: 'kind', status: 'running', simulated: false, nodes: 3, gpuNodes: 2, gpus: 2 },
    });

    const config = fs.readFileSync(path.resolve(__dirname, '../support/golden/cluster-config/kind-gpu-0-1.yaml'), 'utf8');
    const adapterBinary = path.join(CONTROL_PLANE_BIN, 'slipway-metrics-adapter');
    const adapterImage = `slipway/metrics-adapter:${createHash('sha256').update(fs.readFileSync(adapterBinary)).digest('hex').slice(0, 12)}`;
    const nodeSteps = (node: string, gpu: number) => gpuNodeSteps([gpu]).map((step) => ['docker', ...dockerExecArgs(node, step)]);
    expect(shims.commands()).toEqual([
      // Docker is asked first, so a stopped daemon is named as such before the tool runs.
      ['docker', 'info', '--format', '{{json .}}'],
      ['kind', 'get', 'clusters'],
      ['docker', 'info', '--format', '{{json .}}'],
      ['kind', 'version'],
      ['nvidia-smi', '--query-gpu=index,uuid,name,memory.total,driver_version,mig.mode.current', '--format=csv,noheader,nounits'],
      ['nvidia-smi'],
      ['nvidia-ctk', '--version'],
      // Whether kind's network exists before and after: Slipway removes it later only if kind made it now.
      ['docker', 'network', 'inspect', 'kind', '--format', '{{.Id}}'],
      ['kind', 'create', 'cluster', '--name', 'gpu', '--config', '-', '--kubeconfig', kubeconfig, '--wait', '120s'],
      ['docker', 'network', 'inspect', 'kind', '--format', '{{.Id}}'],
      ['nvidia-smi', '--query-gpu=index,minor_number', '--format=csv,noheader'],
      ...nodeSteps('gpu-worker', 0),
      ...nodeSteps('gpu-worker2', 1),
      ['kind', 'get', 'kubeconfig', '--name', 'gpu'],
      // The metrics adapter's image, built from its binary (tagged by its digest) and loaded into the nodes.
      ['docker', 'image', 'inspect', adapterImage, '--format', '{{.Id}}'],
      ['docker', 'build', '-q', '-t', adapterImage, expect.stringContaining('slipway-adapter-image-')],
      ['kind', 'load', 'docker-image', adapterImage, '--name', 'gpu'],
    ]);
    // The config kind read on stdin is the golden one, plus nothing else.
    expect(shims.calls().find((c) => c.tool === 'kind' && c.args[0] === 'create')!.stdin).toBe(config);
    // Each GPU worker's steps: params fix, hide the other GPUs, toolkit, containerd (restarted).
    expect(gpuNodeSteps([0]).map((s) => s.id)).toEqual(['proc-driver-params', 'hide-devices', 'install-toolkit', 'configure-containerd']);
    // This machine's minor numbers equal its indexes: worker 2 keeps /dev/nvidia1.
    expect(shims.calls().filter((c) => c.tool === 'docker' && c.args.includes('hide-devices')).map((c) => c.args.slice(-2))).toEqual([['hide-devices', '0'], ['hide-devices', '1']]);

    // The context was merged into the user's kubeconfig and selected.
    const merged = YAML.parse(fs.readFileSync(kubeconfig, 'utf8'));
    expect(merged['current-context']).toBe('kind-gpu');

    // What landed in the real API server.
    const get = async (args: string[]) => JSON.parse(await backing.kubectl(['get', ...args, '-o', 'json']));
    expect((await get(['runtimeclass', 'nvidia'])).handler).toBe('nvidia');
    const ds = await get(['daemonset', '-n', 'kube-system', 'nvidia-device-plugin-daemonset', '--show-managed-fields']);
    expect(ds.spec.template.spec.containers[0].image).toBe('nvcr.io/nvidia/k8s-device-plugin:v0.17.0');
    expect(ds.spec.template.spec.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(ds.metadata.managedFields.map((f: { manager: string }) => f.manager)).toContain('slipway');
    const cm = await get(['configmap', '-n', 'kube-system', 'nvidia-device-plugin-config']);
    expect(YAML.parse(cm.data['config.yaml']).sharing.timeSlicing.resources).toEqual([{ name: 'nvidia.com/gpu', replicas: 4 }]);
    const ms = await get(['deployment', '-n', 'kube-system', 'metrics-server']);
    expect(ms.spec.template.spec.containers[0].args).toContain('--kubelet-insecure-tls');
    expect((await get(['apiservice', 'v1beta1.metrics.k8s.io'])).spec.service).toEqual({ name: 'metrics-server', namespace: 'kube-system', port: 443 });
    const adapter = await get(['deployment', '-n', 'kube-system', 'slipway-metrics-adapter']);
    expect(adapter.spec.template.spec.containers[0]).toMatchObject({ image: adapterImage, imagePullPolicy: 'Never' });
    expect((await get(['apiservice', 'v1beta1.external.metrics.k8s.io'])).spec.service).toEqual({ name: 'slipway-metrics-adapter', namespace: 'kube-system', port: 443 });
    const nodes = await get(['nodes', '-l', 'nvidia.com/gpu.present=true']);
    expect(nodes.items.map((n: { metadata: { name: string } }) => n.metadata.name).sort()).toEqual(['gpu-worker', 'gpu-worker2']);
    expect(JSON.parse(await backing.kubectl(['get', 'node', 'gpu-control-plane', '-o', 'json'])).metadata.labels['nvidia.com/gpu.present']).toBeUndefined();

    // Progress: named phases, rising percentages, ending at 100.
    const phases = [...new Set(io.updates.map((u) => u.phase))];
    expect(phases).toEqual(expect.arrayContaining(['Preflight', 'Creating nodes', 'GPU node setup: gpu-worker', 'GPU node setup: gpu-worker2', 'RuntimeClass nvidia', 'NVIDIA device plugin (4 pods per GPU)', 'metrics-server', 'custom metrics adapter', 'Waiting for nodes to be Ready', 'Ready']));
    expect(io.updates.at(-1)).toMatchObject({ phase: 'Ready', percent: 100 });
    expect(io.log()).toContain(' ✓ Joining worker nodes 🚜');

    // And it lists.
    expect((await services.clusters.list()).clusters.find((c) => c.provider === 'kind')).toMatchObject({ name: 'gpu', status: 'running', nodes: 3, contextName: 'kind-gpu' });
  });

  it('a GPU node step failing (toolkit install) deletes the cluster and carries apt’s words', async () => {
    const { shims, services } = setup({ env: { SLIPWAY_SHIM_DOCKER_EXEC_FAIL: 'apt-get install -y -q --no-install-recommends nvidia-container-toolkit' } });
    const error = await failure(services.clusters.create({ provider: 'kind', name: 'apt', nodes: 1, gpus: '0' }, recordingIo()));
    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toContain('apt-worker: Install nvidia-container-toolkit failed (exit code 100).');
    expect(error.message).toContain('E: Unable to locate package nvidia-container-toolkit');
    expect(shims.commands().at(-1)).toEqual(['kind', 'delete', 'cluster', '--name', 'apt', '--kubeconfig', shims.env.KUBECONFIG]);
    expect((await services.clusters.list()).clusters).toEqual([]);
  });

  it('keepOnFailure keeps the half-created cluster', async () => {
    const { shims, services } = setup({ env: { SLIPWAY_SHIM_DOCKER_EXEC_FAIL: 'systemctl restart containerd' } });
    const io = recordingIo();
    await failure(services.clusters.create({ provider: 'kind', name: 'keep', nodes: 1, gpus: '0', keepOnFailure: true }, io));
    expect(shims.commands().some((c) => c[1] === 'delete')).toBe(false);
    expect(io.log().at(-1)).toContain('the cluster is kept as asked');
    expect((await services.clusters.list()).clusters.map((c) => c.name)).toEqual(['keep']);
  });

  it('cancel during GPU node setup stops and deletes the cluster', async () => {
    const { shims, services } = setup();
    const io = recordingIo((u) => u.phase.startsWith('GPU node setup'));
    const error = await failure(services.clusters.create({ provider: 'kind', name: 'stop', nodes: 1, gpus: 'all' }, io));
    expect(error.code).toBe('CANCELLED');
    expect(shims.commands().at(-1)).toEqual(['kind', 'delete', 'cluster', '--name', 'stop', '--kubeconfig', shims.env.KUBECONFIG]);
    expect(io.log()).toContain('Cancelled; deleting the half-created cluster…');
    expect((await services.clusters.list()).clusters).toEqual([]);
  });

  it('hides devices by minor number, not by index, where the two differ', async () => {
    const { shims, services } = setup({ nvidiaSmi: 'swapped-minors' });
    await services.clusters.create({ provider: 'kind', name: 'minor', nodes: 2, gpus: '0/1', addons: { metricsServer: false, devicePlugin: false } }, recordingIo());
    // GPU 0 is /dev/nvidia1 on this machine: the worker given GPU 0 keeps /dev/nvidia1.
    expect(shims.commands().filter((c) => c.includes('hide-devices')).map((c) => [c[2], c.at(-1)])).toEqual([['minor-worker', '1'], ['minor-worker2', '0']]);
  });

  it('start of a GPU cluster runs the GPU steps again in each GPU worker, with its own GPUs', async () => {
    const { shims, services } = setup();
    await services.clusters.create({ provider: 'kind', name: 'gnap', nodes: 2, gpus: '0/1', addons: { metricsServer: false, devicePlugin: false } }, recordingIo());
    await services.clusters.provider('kind').stop('gnap');
    const before = shims.commands().length;
    const started = await services.clusters.start('kind', 'gnap');
    expect(started.notes).toEqual(['GPU setup applied again on gnap-worker, gnap-worker2 (it does not survive a restart).']);
    const steps = shims.commands().slice(before).filter((c) => c[0] === 'docker' && c[1] === 'exec').map((c) => [c[2], c[6]]);
    expect(steps).toEqual([
      ['gnap-worker', 'proc-driver-params'], ['gnap-worker', 'hide-devices'], ['gnap-worker', 'install-toolkit'], ['gnap-worker', 'configure-containerd'],
      ['gnap-worker2', 'proc-driver-params'], ['gnap-worker2', 'hide-devices'], ['gnap-worker2', 'install-toolkit'], ['gnap-worker2', 'configure-containerd'],
    ]);
    // Each worker keeps only its own GPU's device node.
    expect(shims.commands().slice(before).filter((c) => c.includes('hide-devices')).map((c) => c.at(-1))).toEqual(['0', '1']);
  });

  it('slipway cluster create --provider kind with GPU flags, running the verification Job in the API server', async () => {
    const { shims } = setup();
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(['cluster', 'create', 'cli', '--provider', 'kind', '--workers', '1', '--gpus', 'all', '--gpu-sharing', '3', '--port', '18080:80', '--verify-gpu', '--json'], { stdout, stderr, env: shims.env });
    expect(code, stderr.text()).toBe(0);
    const result = JSON.parse(stdout.text());
    expect(result.cluster).toMatchObject({ name: 'cli', provider: 'kind', gpuNodes: 1, gpus: 8 });
    const config = YAML.parse(shims.calls().find((c) => c.tool === 'kind' && c.args[0] === 'create')!.stdin!);
    expect(config.nodes[0].extraPortMappings).toEqual([{ containerPort: 80, hostPort: 18080, listenAddress: '127.0.0.1', protocol: 'TCP' }]);
    expect(config.nodes[1].extraMounts).toEqual([{ hostPath: '/dev/null', containerPath: '/var/run/nvidia-container-devices/all' }]);
    // kwok completes the Job's pod on the GPU node but has no kubelet to serve its log: the check
    // runs for real and honestly says it could not see nvidia-smi's table.
    expect(result.verification).toMatchObject({ ok: false, message: 'The verification pod finished, but its log does not show nvidia-smi’s table.', log: expect.stringContaining('log unavailable') });
    const job = JSON.parse(await backing.kubectl(['get', 'job', '-n', 'default', 'slipway-gpu-check', '-o', 'json']));
    expect(job.spec.template.spec.containers[0].resources.limits).toEqual({ 'nvidia.com/gpu': '1' });
    expect(job.status.succeeded).toBe(1);
    expect(stderr.text()).toContain('] GPU verification');
  });

  describe('bad input fails before anything is created', () => {
    const created = (s: ShimSetup) => s.commands().some((c) => c[0] === 'kind' && c[1] === 'create');

    it('kind missing: TOOL_NOT_FOUND with how to install it', async () => {
      const { shims, services } = setup({ tools: ['docker', 'nvidia-smi', 'nvidia-ctk'] });
      const error = await failure(services.clusters.create({ provider: 'kind', name: 'nokind' }, recordingIo()));
      expect(error).toMatchObject({ code: 'TOOL_NOT_FOUND', fix: expect.stringContaining('go install sigs.k8s.io/kind@v0.33.0') });
      // Only Docker was asked whether it runs.
      expect(shims.commands()).toEqual([['docker', 'info', '--format', '{{json .}}']]);
    });

    it('a GPU index that does not exist', async () => {
      const { shims, services } = setup();
      const error = await failure(services.clusters.create({ provider: 'kind', name: 'badgpu', nodes: 2, gpus: '0/9' }, recordingIo()));
      expect(error).toMatchObject({ code: 'GPU_UNAVAILABLE', message: 'GPU 9 does not exist on this machine; it has GPU 0, 1, 2, 3, 4, 5, 6, 7.' });
      expect(created(shims)).toBe(false);
    });

    it('GPUs requested on a machine without GPUs', async () => {
      const { shims, services } = setup({ tools: ['docker', 'kind'] });
      const error = await failure(services.clusters.create({ provider: 'kind', name: 'nogpu', gpus: 'all' }, recordingIo()));
      expect(error.code).toBe('GPU_UNAVAILABLE');
      expect(error.message).toContain('nvidia-smi was not found');
      expect(created(shims)).toBe(false);
    });

    it('GPUs requested without the container toolkit or host settings', async () => {
      const { shims, services } = setup({ tools: ['docker', 'kind', 'nvidia-smi'], dockerRuntime: 'runc', runtimeConfig: null });
      const error = await failure(services.clusters.create({ provider: 'kind', name: 'notoolkit', gpus: 'all' }, recordingIo()));
      expect(error.code).toBe('PREFLIGHT_FAILED');
      expect(error.message).toContain('nvidia-ctk was not found');
      expect(error.message).toContain("Docker's default runtime is runc");
      expect(error.fix).toContain('nvidia-ctk runtime configure --runtime=docker --set-as-default');
      expect(created(shims)).toBe(false);
    });
  });
});
