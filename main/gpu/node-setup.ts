import type { NodeGpus } from './passthrough-plan';

/** One command run inside a kind node container with `docker exec NODE bash -c SCRIPT`. */
export interface NodeStep {
  id: 'proc-driver-params' | 'hide-devices' | 'install-toolkit' | 'configure-containerd' | 'restart-containerd';
  title: string;
  script: string;
}

/**
 * nvidia-container-toolkit's hook mounts the host's /proc/driver/nvidia into the node. Unless its
 * params already say `ModifyDeviceFiles: 0`, the driver inside nested containers would create
 * /dev/nvidiaN for every host GPU, defeating the per-worker split: unmount it, and bind a copy of
 * params with ModifyDeviceFiles: 0 in its place. Toolkit >= 1.18 can keep the mount busy
 * (nvkind#61), so a failed unmount is reported and the bind still happens.
 */
export const PROC_DRIVER_PARAMS_SCRIPT = [
  'set -e',
  "if grep -qx 'ModifyDeviceFiles: 0' /proc/driver/nvidia/params; then echo 'ModifyDeviceFiles is already 0'; exit 0; fi",
  "umount -R /proc/driver/nvidia 2>/dev/null || echo 'warning: /proc/driver/nvidia could not be unmounted; binding params over it'",
  'cp /proc/driver/nvidia/params /root/gpu-params',
  "sed -i 's/^ModifyDeviceFiles: 1$/ModifyDeviceFiles: 0/' /root/gpu-params",
  'mount --bind /root/gpu-params /proc/driver/nvidia/params',
  "echo 'ModifyDeviceFiles set to 0'",
].join('\n');

/** Removes /dev/nvidiaN device nodes of GPUs that were not assigned to this worker. */
export function hideDevicesScript(keep: number[]): string {
  const list = ` ${keep.join(' ')} `;
  return [
    'for d in /dev/nvidia[0-9]*; do',
    '  [ -e "$d" ] || continue',
    '  n=${d#/dev/nvidia}',
    `  case "${list}" in *" $n "*) ;; *) rm -f "$d"; echo "removed $d" ;; esac`,
    'done',
  ].join('\n');
}

/** Installs nvidia-container-toolkit from NVIDIA's apt repository (kind node images are Debian). */
export const INSTALL_TOOLKIT_SCRIPT = [
  'set -e',
  "if command -v nvidia-ctk >/dev/null 2>&1; then echo 'nvidia-container-toolkit is already installed'; exit 0; fi",
  'export DEBIAN_FRONTEND=noninteractive',
  'apt-get update -q',
  'apt-get install -y -q --no-install-recommends curl gpg ca-certificates',
  'curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey | gpg --dearmor --yes -o /usr/share/keyrings/nvidia-container-toolkit-keyring.gpg',
  "curl -fsSL https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list | sed 's#deb https://#deb [signed-by=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg] https://#g' > /etc/apt/sources.list.d/nvidia-container-toolkit.list",
  'apt-get update -q',
  'apt-get install -y -q --no-install-recommends nvidia-container-toolkit',
].join('\n');

/**
 * Registers the nvidia runtime with the node's containerd and makes it the default, so GPU pods
 * work without `runtimeClassName` (which a cloud cluster would not have); RuntimeClass "nvidia"
 * still exists for manifests that name it.
 */
export const CONFIGURE_CONTAINERD_SCRIPT = 'nvidia-ctk runtime configure --runtime=containerd --config-source=file --set-as-default';

export const RESTART_CONTAINERD_SCRIPT = 'systemctl restart containerd';

/** The steps for one GPU worker, in order. */
export function gpuNodeSteps(gpus: NodeGpus): NodeStep[] {
  const steps: NodeStep[] = [{ id: 'proc-driver-params', title: 'Fix /proc/driver/nvidia params', script: PROC_DRIVER_PARAMS_SCRIPT }];
  if (gpus !== 'all') steps.push({ id: 'hide-devices', title: 'Hide GPUs not assigned to the node', script: hideDevicesScript(gpus) });
  steps.push(
    { id: 'install-toolkit', title: 'Install nvidia-container-toolkit', script: INSTALL_TOOLKIT_SCRIPT },
    { id: 'configure-containerd', title: 'Configure containerd for NVIDIA', script: CONFIGURE_CONTAINERD_SCRIPT },
    { id: 'restart-containerd', title: 'Restart containerd', script: RESTART_CONTAINERD_SCRIPT },
  );
  return steps;
}

/** `docker exec` arguments for a step. */
export function dockerExecArgs(node: string, step: NodeStep): string[] {
  return ['exec', node, 'bash', '-c', step.script];
}
