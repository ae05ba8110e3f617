import { AppError } from '../../shared/errors';
import type { DoctorCheck } from '../../shared/models/doctor';
import type { GpuInventory } from '../../shared/models/gpu';
import type { DockerCli, DockerInfo } from '../clusters/docker-cli';
import { INSTALL_HINTS } from '../clusters/tool-hints';
import type { ToolLocator } from '../clusters/tool-locator';
import { acceptsVolumeMounts, nvidiaRuntimeConfigPath, readRuntimeConfig, VOLUME_MOUNTS_KEY } from './nvidia-runtime-config';

export const FIX_DEFAULT_RUNTIME = 'sudo nvidia-ctk runtime configure --runtime=docker --set-as-default && sudo systemctl restart docker';
export const FIX_VOLUME_MOUNTS = `sudo nvidia-ctk config --in-place --set ${VOLUME_MOUNTS_KEY}=true && sudo systemctl restart docker`;
export const SMOKE_TEST_IMAGE = 'ubuntu:22.04';
export const SMOKE_TEST_ARGS = ['run', '--rm', '-v', '/dev/null:/var/run/nvidia-container-devices/all', SMOKE_TEST_IMAGE, 'nvidia-smi', '-L'];

/** What the GPU checks need to know, gathered once. */
export interface GpuHostFacts {
  inventory: GpuInventory;
  docker: DockerInfo | null;
}

const skip = (id: string, title: string, detail: string): DoctorCheck => ({ id, title, status: 'skip', detail });

/**
 * The host prerequisites of GPU passthrough (ANCHORS "GPU passthrough"): driver and CUDA,
 * nvidia-container-toolkit, nvidia as Docker's default runtime, volume-mount device requests, and
 * the `/dev/null` volume-mount smoke test (only when asked: it runs a container).
 */
export class GpuHostChecks {
  constructor(
    private readonly tools: ToolLocator,
    private readonly docker: DockerCli,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  driver(inventory: GpuInventory): DoctorCheck {
    const title = 'NVIDIA driver and CUDA';
    if (inventory.gpus.length > 0) {
      const first = inventory.gpus[0]!;
      const names = [...new Set(inventory.gpus.map((g) => g.name))].join(', ');
      const mig = inventory.gpus.filter((g) => g.migMode === 'enabled').map((g) => g.index);
      return {
        id: 'nvidia-driver',
        title,
        status: mig.length ? 'warn' : 'ok',
        detail: `Driver ${first.driver}${first.cuda ? `, CUDA ${first.cuda}` : ''}; ${inventory.gpus.length} GPU${inventory.gpus.length === 1 ? '' : 's'} (${names}).${mig.length ? ` MIG is enabled on GPU ${mig.join(', ')}; passthrough gives such a GPU whole, not its MIG devices.` : ''}`,
        ...(mig.length ? { fix: `Disable MIG for local clusters: sudo nvidia-smi -i ${mig.join(',')} -mig 0 (then reset the GPU).` } : {}),
      };
    }
    if (/not found/.test(inventory.reason ?? '')) return skip('nvidia-driver', title, `${inventory.reason} CPU and simulated clusters still work.`);
    return {
      id: 'nvidia-driver',
      title,
      status: 'fail',
      detail: inventory.reason ?? 'No GPU found.',
      fix: 'Install or reload the NVIDIA driver (`sudo modprobe nvidia`, or reboot after installing it).',
    };
  }

  async toolkit(hasGpu: boolean): Promise<DoctorCheck> {
    const title = 'NVIDIA Container Toolkit';
    if (!hasGpu) return skip('nvidia-container-toolkit', title, 'No NVIDIA GPU, so the toolkit is not needed.');
    const status = await this.tools.status('nvidiaCtk');
    if (!status.found) return { id: 'nvidia-container-toolkit', title, status: 'fail', detail: 'nvidia-ctk was not found, so containers cannot get GPUs.', fix: INSTALL_HINTS.nvidiaCtk };
    return { id: 'nvidia-container-toolkit', title, status: 'ok', detail: `nvidia-ctk ${status.version ?? '(version unknown)'} at ${status.path}.` };
  }

  defaultRuntime(hasGpu: boolean, docker: DockerInfo | null): DoctorCheck {
    const title = 'nvidia is Docker’s default runtime';
    if (!hasGpu) return skip('docker-default-runtime', title, 'No NVIDIA GPU.');
    if (!docker?.reachable) return skip('docker-default-runtime', title, 'Docker is not running, so its runtimes are unknown.');
    if (docker.defaultRuntime === 'nvidia') return { id: 'docker-default-runtime', title, status: 'ok', detail: `Default runtime: nvidia (runtimes: ${docker.runtimes.join(', ')}).` };
    return {
      id: 'docker-default-runtime',
      title,
      status: 'fail',
      detail: `Docker's default runtime is ${docker.defaultRuntime ?? 'unknown'}${docker.runtimes.includes('nvidia') ? ' (nvidia is installed but not the default)' : ' and nvidia is not installed'}; kind nodes would not see the GPUs.`,
      fix: FIX_DEFAULT_RUNTIME,
    };
  }

  async volumeMounts(hasGpu: boolean): Promise<DoctorCheck> {
    const title = 'GPUs selectable by volume mounts';
    if (!hasGpu) return skip('nvidia-volume-mounts', title, 'No NVIDIA GPU.');
    const file = nvidiaRuntimeConfigPath(this.env);
    const text = await readRuntimeConfig(file);
    if (text === null) return { id: 'nvidia-volume-mounts', title, status: 'fail', detail: `${file} does not exist (is nvidia-container-toolkit installed?).`, fix: FIX_VOLUME_MOUNTS };
    if (acceptsVolumeMounts(text)) return { id: 'nvidia-volume-mounts', title, status: 'ok', detail: `${VOLUME_MOUNTS_KEY} = true in ${file}.` };
    return {
      id: 'nvidia-volume-mounts',
      title,
      status: 'fail',
      detail: `${file} does not set ${VOLUME_MOUNTS_KEY} = true, so kind workers cannot be given single GPUs.`,
      fix: FIX_VOLUME_MOUNTS,
    };
  }

  /** `docker run -v /dev/null:/var/run/nvidia-container-devices/all ubuntu nvidia-smi -L`. */
  async smokeTest(run: boolean, hasGpu: boolean, docker: DockerInfo | null, signal?: AbortSignal): Promise<DoctorCheck> {
    const title = 'GPU volume-mount smoke test';
    const id = 'gpu-smoke-test';
    if (!run) return skip(id, title, 'Not run (it starts a container): `slipway doctor --smoke-test`, or “Run smoke test” in the Doctor panel.');
    if (!hasGpu) return skip(id, title, 'No NVIDIA GPU.');
    if (!docker?.reachable) return skip(id, title, 'Docker is not running.');
    const result = await this.docker.run(SMOKE_TEST_ARGS, { allowFailure: true, signal, timeoutMs: 300_000 });
    const gpus = result.stdout.split('\n').filter((l) => /^GPU \d+:/.test(l));
    if (result.exitCode === 0 && gpus.length) return { id, title, status: 'ok', detail: `A container saw ${gpus.length} GPU${gpus.length === 1 ? '' : 's'}: ${gpus[0]}` };
    return {
      id,
      title,
      status: 'fail',
      detail: `docker run … nvidia-smi -L ${result.exitCode === 0 ? 'listed no GPU' : `failed (exit code ${result.exitCode})`}: ${result.tail.slice(-3).join(' ')}`,
      fix: `Fix the checks above, then run \`docker ${SMOKE_TEST_ARGS.join(' ')}\` by hand.`,
    };
  }

  /**
   * Preflight for GPU clusters: throws PREFLIGHT_FAILED listing every failing check with its fix.
   * kind needs all three host settings; k3d (`--gpus`, Docker device requests) needs the toolkit.
   */
  async requireForGpus(provider: 'kind' | 'k3d', docker: DockerInfo): Promise<void> {
    const checks = [await this.toolkit(true)];
    if (provider === 'kind') checks.push(this.defaultRuntime(true, docker), await this.volumeMounts(true));
    const failed = checks.filter((c) => c.status === 'fail');
    if (failed.length === 0) return;
    throw new AppError('PREFLIGHT_FAILED', `GPUs were requested, but the host is not ready for GPU containers: ${failed.map((c) => `${c.title}: ${c.detail}`).join(' ')}`, {
      fix: failed.map((c) => c.fix).join(' ; '),
      details: { checks: failed },
    });
  }
}
