import { AppError } from '../../shared/errors';
import type { LocatedTool, ToolId, ToolLocator } from './tool-locator';

/** One line telling the user how to get each tool. */
export const INSTALL_HINTS: Partial<Record<ToolId, string>> = {
  docker: 'Install Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop, then start it.',
  podman: 'Install Podman (https://podman.io/docs/installation).',
  kind: 'Install kind: `go install sigs.k8s.io/kind@v0.33.0` or see https://kind.sigs.k8s.io/docs/user/quick-start/#installation.',
  k3d: 'Install k3d: `curl -s https://raw.githubusercontent.com/k3d-io/k3d/main/install.sh | bash` (see https://k3d.io).',
  kubectl: 'Install kubectl: https://kubernetes.io/docs/tasks/tools/.',
  helm: 'Install helm: https://helm.sh/docs/intro/install/ (optional: Slipway applies its add-ons itself).',
  kwokctl: 'Run `npm run k8s:build` in a checkout, or install kwokctl from https://kwok.sigs.k8s.io.',
  nvidiaSmi: 'Install the NVIDIA driver for your GPU (it ships nvidia-smi).',
  nvidiaCtk:
    'Install nvidia-container-toolkit: https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html.',
};

/** Finds a tool or throws TOOL_NOT_FOUND with how to get it (or to set its path in Settings). */
export async function requireTool(locator: ToolLocator, id: ToolId, purpose: string): Promise<LocatedTool> {
  const tool = await locator.find(id);
  if (tool) return tool;
  throw new AppError('TOOL_NOT_FOUND', `${purpose} needs ${id === 'nvidiaSmi' ? 'nvidia-smi' : id === 'nvidiaCtk' ? 'nvidia-ctk' : id}, which was not found on PATH or in Settings → Tools.`, {
    fix: INSTALL_HINTS[id] ?? `Install ${id} or set its path in Settings → Tools.`,
    details: { tool: id },
  });
}
