import type { ToolId } from './tool-locator';

/** How to ask a tool for its version, and how to read the answer. */
export interface VersionProbe {
  args: string[];
  parse(stdout: string): string | undefined;
}

const semver = /v?(\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.+-]+)?)/;
const firstVersion = (text: string) => {
  const match = semver.exec(text);
  return match ? `v${match[1]}` : undefined;
};

/**
 * Version commands of each tool, from their documented output:
 * - `docker version --format '{{.Client.Version}}'` → `28.2.2` (works without a daemon)
 * - `podman --version` → `podman version 5.2.2`
 * - `kind version` → `kind v0.33.0 go1.26.8 linux/amd64`
 * - `k3d version` → `k3d version v5.8.3` / `k3s version v1.31.5-k3s1 (default)`
 * - `kubectl version --client -o json` → `{"clientVersion":{"gitVersion":"v1.34.4",…}}`
 * - `helm version --short` → `v3.16.2+g13654a5`
 * - `kwokctl --version` → `kwokctl version v0.7.0 …`
 * - `nvidia-ctk --version` → `NVIDIA Container Toolkit CLI version 1.17.3`
 * - `nvidia-smi --query-gpu=driver_version --format=csv,noheader` → `550.54.15`
 */
export const VERSION_PROBES: Partial<Record<ToolId, VersionProbe>> = {
  docker: { args: ['version', '--format', '{{.Client.Version}}'], parse: firstVersion },
  podman: { args: ['--version'], parse: firstVersion },
  kind: { args: ['version'], parse: firstVersion },
  k3d: { args: ['version'], parse: (out) => firstVersion(out.split('\n').find((l) => l.startsWith('k3d')) ?? out) },
  kubectl: {
    args: ['version', '--client', '-o', 'json'],
    parse: (out) => {
      try {
        return (JSON.parse(out) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion;
      } catch {
        return firstVersion(out);
      }
    },
  },
  helm: { args: ['version', '--short'], parse: (out) => firstVersion(out)?.replace(/\+g[0-9a-f]+$/, '') },
  kwokctl: { args: ['--version'], parse: firstVersion },
  nvidiaCtk: { args: ['--version'], parse: firstVersion },
  nvidiaSmi: { args: ['--query-gpu=driver_version', '--format=csv,noheader'], parse: (out) => out.split('\n')[0]?.trim() || undefined },
};
