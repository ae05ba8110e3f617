import { AppError } from '../../../shared/errors';
import { DOCKER_NOT_RUNNING_FIX } from '../docker-cli';
import { runTool, type RunToolOptions, type ToolResult } from '../run-tool';
import { requireTool } from '../tool-hints';
import type { ToolLocator } from '../tool-locator';

/** kind's own words when Docker is missing or down (see test/integration/kind-shim-fidelity). */
const DOCKER_PROBLEM = /Cannot connect to the Docker daemon|executable file not found in \$PATH|failed to get docker info|Is the docker daemon running/;

/** Turns kind's "docker is not there" failures into DOCKER_UNAVAILABLE, keeping kind's lines. */
export function mapKindError(error: unknown): unknown {
  if (error instanceof AppError && error.code === 'TOOL_FAILED') {
    const tail = ((error.details as { tail?: string[] } | undefined)?.tail ?? []).join('\n');
    if (DOCKER_PROBLEM.test(tail)) {
      const missing = /executable file not found/.test(tail);
      return new AppError('DOCKER_UNAVAILABLE', `${missing ? 'kind could not find docker' : 'kind could not reach Docker'}:\n${tail}`, {
        fix: missing ? 'Install Docker (https://docs.docker.com/engine/install/) and make sure `docker` is on PATH.' : DOCKER_NOT_RUNNING_FIX,
        details: error.details,
      });
    }
  }
  return error;
}

/** The kind CLI (sigs.k8s.io/kind), found through the {@link ToolLocator}. */
export class KindCli {
  constructor(private readonly tools: ToolLocator) {}

  async run(args: string[], options: RunToolOptions = {}): Promise<ToolResult> {
    const kind = await requireTool(this.tools, 'kind', 'A kind cluster');
    try {
      return await runTool(kind.path, args, { env: await this.tools.env(), label: `kind ${args.slice(0, 2).join(' ')}`, ...options });
    } catch (error) {
      throw mapKindError(error);
    }
  }

  async clusters(signal?: AbortSignal): Promise<string[]> {
    const { stdout } = await this.run(['get', 'clusters'], { signal, timeoutMs: 30_000 });
    return stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  }

  async nodes(name: string, signal?: AbortSignal): Promise<string[]> {
    const { stdout } = await this.run(['get', 'nodes', '--name', name], { signal, timeoutMs: 30_000 });
    return stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  }

  async kubeconfig(name: string, signal?: AbortSignal): Promise<string> {
    return (await this.run(['get', 'kubeconfig', '--name', name], { signal, timeoutMs: 30_000 })).stdout;
  }
}
