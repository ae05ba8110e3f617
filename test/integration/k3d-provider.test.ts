/**
 * K3dProvider against the k3d/docker/nvidia shims, with `k3d cluster create` backed by a real
 * simulated control plane. Asserts the exact commands for `--gpus all` and what lands in the API
 * server.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../shared/errors';
import type { Services } from '../../main/services';
import { resourcesDir } from '../../main/resources-dir';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { CONTROL_PLANE_BIN, requireControlPlane } from '../support/control-plane';
import { testServices } from '../support/fixtures';
import { recordingIo } from '../support/provider-io';
import { makeShims, type ShimOptions, type ShimSetup } from '../support/shims';

const enabled = requireControlPlane('k3d provider integration');

describe.runIf(enabled)('K3dProvider (k3d shim backed by a simulated control plane)', () => {
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
  });

  function setup(options: Partial<ShimOptions> = {}) {
    shims = makeShims({
      tools: ['docker', 'k3d', 'nvidia-smi', 'nvidia-ctk'],
      nvidiaSmi: 'one-gpu',
      backingKubeconfig: backing.kubeconfigPath,
      kubectl: path.join(CONTROL_PLANE_BIN, 'kubectl'),
      ...options,
    });
    services = testServices(shims.env, path.join(shims.dir, 'config'));
    return { shims, services };
  }

  it('--gpus all: the exact command sequence (CUDA image built once), RuntimeClass and device plugin, and the plain note that every node gets all GPUs', async () => {
    const { shims, services } = setup();
    const io = recordingIo();
    const result = await services.clusters.create({ provider: 'k3d', name: 'gk', nodes: 1, gpus: 'all', gpuSharing: 2 }, io);
    const kubeconfig = shims.env.KUBECONFIG!;
    const image = 'slipway/k3s-cuda:v1.31.5-k3s1';
    expect(shims.commands()).toEqual([
      // Docker is asked first, so a stopped daemon is named as such before the tool runs.
      ['docker', 'info', '--format', '{{json .}}'],
      ['k3d', 'cluster', 'list', '-o', 'json'],
      ['docker', 'info', '--format', '{{json .}}'],
      ['k3d', 'version'],
      ['nvidia-smi', '--query-gpu=index,uuid,name,memory.total,driver_version,mig.mode.current', '--format=csv,noheader,nounits'],
      ['nvidia-smi'],
      ['nvidia-ctk', '--version'],
      ['docker', 'image', 'inspect', image, '--format', '{{.Id}}'],
      ['docker', 'build', '-t', image, '--build-arg', 'K3S_TAG=v1.31.5-k3s1', path.join(resourcesDir(), 'k3d-cuda')],
      ['k3d', 'cluster', 'create', 'gk', '--agents', '1', '--image', image, '--gpus', 'all', '--k3s-node-label', 'nvidia.com/gpu.present=true@server:*;agent:*', '--kubeconfig-update-default=false', '--kubeconfig-switch-context=false', '--wait', '--timeout', '300s'],
      ['k3d', 'kubeconfig', 'merge', 'gk', '--output', kubeconfig, '--kubeconfig-switch-context'],
      ['k3d', 'kubeconfig', 'get', 'gk'],
    ]);
    expect(fs.existsSync(path.join(resourcesDir(), 'k3d-cuda', 'Dockerfile'))).toBe(true);
    expect(result).toMatchObject({
      contextName: 'k3d-gk',
      cluster: { provider: 'k3d', nodes: 2, gpuNodes: 2, gpus: 1, detail: expect.stringContaining('k3d gives every node all requested GPUs') },
      notes: [expect.stringContaining('it cannot split GPUs between nodes')],
    });
    expect(io.log()).toContain(result.notes![0]);
    expect(YAML.parse(fs.readFileSync(kubeconfig, 'utf8'))['current-context']).toBe('k3d-gk');

    const get = async (args: string[]) => JSON.parse(await backing.kubectl(['get', ...args, '-o', 'json']));
    expect((await get(['runtimeclass', 'nvidia'])).handler).toBe('nvidia');
    const cm = await get(['configmap', '-n', 'kube-system', 'nvidia-device-plugin-config']);
    expect(YAML.parse(cm.data['config.yaml']).sharing.timeSlicing.resources[0].replicas).toBe(2);
    expect((await get(['daemonset', '-n', 'kube-system', 'nvidia-device-plugin-daemonset'])).spec.template.spec.runtimeClassName).toBe('nvidia');
    // k3s ships metrics-server; Slipway does not add a second one.
    await expect(backing.kubectl(['get', 'deployment', '-n', 'kube-system', 'metrics-server'])).rejects.toThrow(/NotFound/);
    const labelled = await get(['nodes', '-l', 'nvidia.com/gpu.present=true']);
    expect(labelled.items.map((n: { metadata: { name: string } }) => n.metadata.name).sort()).toEqual(['k3d-gk-agent-0', 'k3d-gk-server-0']);

    // Listed, then deleted with its context.
    expect((await services.clusters.list()).clusters).toEqual([expect.objectContaining({ name: 'gk', provider: 'k3d', status: 'running', nodes: 2, contextName: 'k3d-gk' })]);
    await services.clusters.delete('k3d', 'gk', recordingIo());
    expect(shims.commands().at(-1)).toEqual(['k3d', 'cluster', 'delete', 'gk']);
    expect((await services.clusters.list()).clusters).toEqual([]);
    expect((YAML.parse(fs.readFileSync(kubeconfig, 'utf8')).contexts ?? []).map((c: { name: string }) => c.name)).not.toContain('k3d-gk');
  });

  it('default GPU sharing: the device plugin’s config file in the API server is a plain v1 config, also over an earlier time-sliced one', async () => {
    const { services } = setup();
    const config = async () => {
      const ds = JSON.parse(await backing.kubectl(['get', 'daemonset', '-n', 'kube-system', 'nvidia-device-plugin-daemonset', '-o', 'json']));
      const pod = ds.spec.template.spec;
      // CONFIG_FILE → the mount at its folder → the ConfigMap volume → the key projected to it.
      const file = pod.containers[0].env.find((e: { name: string }) => e.name === 'CONFIG_FILE').value as string;
      const mount = pod.containers[0].volumeMounts.find((m: { mountPath: string }) => file.startsWith(`${m.mountPath}/`));
      const volume = pod.volumes.find((v: { name: string }) => v.name === mount.name).configMap;
      const key = volume.items.find((i: { path: string }) => i.path === file.slice(mount.mountPath.length + 1)).key;
      const cm = JSON.parse(await backing.kubectl(['get', 'configmap', '-n', 'kube-system', volume.name, '-o', 'json']));
      return { optional: volume.optional, config: YAML.parse(cm.data[key]) };
    };
    await services.clusters.create({ provider: 'k3d', name: 'shared', nodes: 0, gpus: 'all', gpuSharing: 3 }, recordingIo());
    expect(await config()).toEqual({ config: { version: 'v1', sharing: { timeSlicing: { resources: [{ name: 'nvidia.com/gpu', replicas: 3 }] } } } });
    await services.clusters.delete('k3d', 'shared', recordingIo());
    await services.clusters.create({ provider: 'k3d', name: 'plain', nodes: 0, gpus: 'all' }, recordingIo());
    expect(await config()).toEqual({ config: { version: 'v1' } });
    await services.clusters.delete('k3d', 'plain', recordingIo());
  });

  it('a failing create is rolled back and reported with k3d’s last lines; Docker down is DOCKER_UNAVAILABLE', async () => {
    const { shims, services } = setup({ env: { SLIPWAY_SHIM_K3D_FAIL_AT: 'start' } });
    let error = (await services.clusters.create({ provider: 'k3d', name: 'bad', nodes: 1 }, recordingIo()).catch((e) => e)) as AppError;
    expect(error.code).toBe('TOOL_FAILED');
    expect(error.message).toContain('FATA[0032] Cluster creation FAILED, all changes have been rolled back!');
    expect(shims.commands().at(-1)).toEqual(['k3d', 'cluster', 'delete', 'bad']);
    expect((await services.clusters.list()).clusters).toEqual([]);
    services!.dispose();
    shims.cleanup();

    const down = setup({ dockerDown: true });
    error = (await down.services.clusters.create({ provider: 'k3d', name: 'nodocker' }, recordingIo()).catch((e) => e)) as AppError;
    expect(error.code).toBe('DOCKER_UNAVAILABLE');
    expect(error.message).toContain('Is the docker daemon running?');
    expect(down.shims.commands().some((c) => c[1] === 'cluster' && c[2] === 'create')).toBe(false);
  });

  it('k3d refuses per-node GPU groups and more GPUs than the host has', async () => {
    const { services } = setup();
    await expect(services.clusters.create({ provider: 'k3d', name: 'grp', gpus: '0/1' }, recordingIo())).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', fix: expect.stringContaining('k3d cannot assign GPUs per node') });
    await expect(services.clusters.create({ provider: 'k3d', name: 'many', gpus: '4' }, recordingIo())).rejects.toMatchObject({ code: 'GPU_UNAVAILABLE', message: '4 GPUs were requested, but this machine has 1.' });
  });
});
