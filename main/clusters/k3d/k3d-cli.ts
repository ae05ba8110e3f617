import { AppError } from '../../../shared/errors';
import { DOCKER_NOT_RUNNING_FIX } from '../docker-cli';
import { runTool, type RunToolOptions, type ToolResult } from '../run-tool';
import { requireTool } from '../tool-hints';
import type { ToolLocator } from '../tool-locator';

/** One entry of `k3d cluster list -o json`. */
export interface K3dClusterJson {
  name: string;
  serversCount?: number;
  serversRunning?: number;
  agentsCount?: number;
  agentsRunning?: number;
  nodes?: { name: string; role: string; image?: string }[];
}

export function mapK3dError(error: unknown): unknown {
  if (error instanceof AppError && error.code === 'TOOL_FAILED') {
    const tail = ((error.details as { tail?: string[] } | undefined)?.tail ?? []).join('\n');
    if (/Cannot connect to the Docker daemon|Is the docker daemon running/.test(tail)) {
      return new AppError('DOCKER_UNAVAILABLE', `k3d could not reach Docker:\n${tail}`, { fix: DOCKER_NOT_RUNNING_FIX, details: error.details });
    }
  }
  return error;
}

/** The k3d CLI (k3d-io/k3d v5), found through the {@link ToolLocator}. */
export class K3dCli {
  constructor(private readonly tools: ToolLocator) {}

  async run(args: string[], options: RunToolOptions = {}): Promise<ToolResult> {
    const k3d = await requireTool(this.tools, 'k3d', 'A k3d cluster');
    try {
      return await runTool(k3d.path, args, { env: await this.tools.env(), label: `k3d ${args.slice(0, 2).join(' ')}`, ...options });
    } catch (error) {
      throw mapK3dError(error);
    }
  }

  async clusters(signal?: AbortSignal): Promise<K3dClusterJson[]> {
    const { stdout } = await this.run(['cluster', 'list', '-o', 'json'], { signal, timeoutMs: 30_000 });
    try {
      return (JSON.parse(stdout || '[]') as K3dClusterJson[]) ?? [];
    } catch {
      throw new AppError('TOOL_FAILED', `k3d cluster list printed something that is not JSON: ${stdout.slice(0, 200)}`, { fix: 'Update k3d to v5 or newer.' });
    }
  }

  async kubeconfig(name: string, signal?: AbortSignal): Promise<string> {
    return (await this.run(['kubeconfig', 'get', name], { signal, timeoutMs: 30_000 })).stdout;
  }
}
