import { AppError } from '../../shared/errors';
import { INSTALL_HINTS } from './tool-hints';
import type { ToolLocator } from './tool-locator';
import { runTool, type RunToolOptions, type ToolResult } from './run-tool';

/** What `docker info` says about the daemon. */
export interface DockerInfo {
  reachable: boolean;
  serverVersion?: string;
  defaultRuntime?: string;
  runtimes: string[];
  /** Why the daemon did not answer (the client's own words). */
  error?: string;
}

export const DOCKER_NOT_RUNNING_FIX = 'Start Docker (e.g. `sudo systemctl start docker`, or open Docker Desktop) and try again.';

/**
 * The docker CLI, found through the {@link ToolLocator}. Every method runs the real client with
 * the widened PATH; failures carry the client's last lines.
 */
export class DockerCli {
  constructor(private readonly tools: ToolLocator) {}

  private async binary(): Promise<string> {
    const docker = await this.tools.find('docker');
    if (!docker) {
      throw new AppError('DOCKER_UNAVAILABLE', 'Docker was not found on PATH or in Settings → Tools.', { fix: INSTALL_HINTS.docker });
    }
    return docker.path;
  }

  async run(args: string[], options: RunToolOptions = {}): Promise<ToolResult> {
    return runTool(await this.binary(), args, { env: await this.tools.env(), label: `docker ${args.slice(0, 2).join(' ')}`, ...options });
  }

  /** `docker info`; never throws for a daemon that does not answer (reachable: false). */
  async info(signal?: AbortSignal): Promise<DockerInfo> {
    const result = await this.run(['info', '--format', '{{json .}}'], { allowFailure: true, signal, timeoutMs: 20_000 });
    let parsed: { ServerVersion?: string; DefaultRuntime?: string; Runtimes?: Record<string, unknown> | null } = {};
    try {
      parsed = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
    } catch {
      // a client too old for --format json: treated as unreachable below
    }
    if (result.exitCode !== 0 || !parsed.ServerVersion) {
      return { reachable: false, runtimes: [], error: result.stderr.trim().split('\n').pop() || result.tail.at(-1) || `docker info exited ${result.exitCode}` };
    }
    return {
      reachable: true,
      serverVersion: parsed.ServerVersion,
      defaultRuntime: parsed.DefaultRuntime,
      runtimes: Object.keys(parsed.Runtimes ?? {}).sort(),
    };
  }

  /** Throws DOCKER_UNAVAILABLE (with the client's words) unless the daemon answers. */
  async requireDaemon(signal?: AbortSignal): Promise<DockerInfo> {
    const info = await this.info(signal);
    if (!info.reachable) {
      throw new AppError('DOCKER_UNAVAILABLE', `Docker is not running: ${info.error}`, { fix: DOCKER_NOT_RUNNING_FIX, details: { tail: [info.error] } });
    }
    return info;
  }

  async imageExists(ref: string, signal?: AbortSignal): Promise<boolean> {
    const result = await this.run(['image', 'inspect', ref, '--format', '{{.Id}}'], { allowFailure: true, signal, timeoutMs: 20_000 });
    return result.exitCode === 0;
  }
}
