import fs from 'node:fs';
import path from 'node:path';
import { resourcesDir } from '../resources-dir';
import type { NodeGpus } from './passthrough-plan';

/** One script run inside a kind node container (`docker exec NODE sh -c SCRIPT ID ARGS…`). */
export interface NodeStep {
  id: 'proc-driver-params' | 'hide-devices' | 'install-toolkit' | 'configure-containerd';
  title: string;
  /** The shell text: resources/node/<file>, after the mount helpers it uses. */
  script: string;
  args: string[];
}

/** The scripts live in resources/node (shellcheck-clean, run as they are in tests inside real nodes). */
function nodeScript(file: string): string {
  const dir = path.join(resourcesDir(), 'node');
  return [fs.readFileSync(path.join(dir, 'lib-mounts.sh'), 'utf8'), fs.readFileSync(path.join(dir, file), 'utf8')].join('\n');
}

/**
 * The steps for one GPU worker, in order (nvkind's method): the /proc/driver/nvidia params fix,
 * hiding the device nodes of GPUs not assigned to the worker, nvidia-container-toolkit, and
 * containerd with the nvidia runtime as default (restarted and checked healthy).
 *
 * `minors` are the device minor numbers of the worker's GPUs (nvidia-smi's index is not always
 * the minor number of /dev/nvidiaN); absent when the worker has every GPU.
 */
export function gpuNodeSteps(gpus: NodeGpus, minors?: number[]): NodeStep[] {
  const steps: NodeStep[] = [{ id: 'proc-driver-params', title: 'Fix /proc/driver/nvidia params', script: nodeScript('gpu-driver-params.sh'), args: [] }];
  if (gpus !== 'all') steps.push({ id: 'hide-devices', title: 'Hide GPUs not assigned to the node', script: nodeScript('gpu-hide-devices.sh'), args: (minors ?? gpus).map(String) });
  steps.push(
    { id: 'install-toolkit', title: 'Install nvidia-container-toolkit', script: nodeScript('gpu-install-toolkit.sh'), args: [] },
    { id: 'configure-containerd', title: 'Configure and restart containerd for NVIDIA', script: nodeScript('gpu-containerd.sh'), args: [] },
  );
  return steps;
}

/**
 * `docker exec` arguments for a step; `env` is set in the node for the script (tests set
 * DRIVER_ROOT to a fake driver root).
 */
export function dockerExecArgs(node: string, step: NodeStep, env: Record<string, string> = {}): string[] {
  const envFlags = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  return ['exec', ...envFlags, node, 'sh', '-c', step.script, step.id, ...step.args];
}
