import type { DoctorCheck, DoctorReport } from '../../../shared/models/doctor';
import type { GpuInventoryService } from '../../gpu/gpu-inventory';
import type { GpuHostChecks } from '../../gpu/host-checks';
import { DOCKER_NOT_RUNNING_FIX, type DockerCli, type DockerInfo } from '../docker-cli';
import { INSTALL_HINTS } from '../tool-hints';
import type { ToolId, ToolLocator, ToolStatus } from '../tool-locator';

export interface DoctorOptions {
  /** Run the GPU smoke test (starts a container). */
  smokeTest?: boolean;
  signal?: AbortSignal;
}

/** Optional tools: missing is a warning naming what it is needed for. */
export const TOOL_CHECKS: { id: ToolId; title: string; neededFor: string; missing: 'warn' | 'skip' }[] = [
  { id: 'kind', title: 'kind', neededFor: 'kind clusters', missing: 'warn' },
  { id: 'k3d', title: 'k3d', neededFor: 'k3d clusters', missing: 'warn' },
  { id: 'kubectl', title: 'kubectl', neededFor: 'working with clusters in a terminal (Slipway itself does not need it)', missing: 'warn' },
  { id: 'helm', title: 'helm', neededFor: 'installing charts (optional; Slipway applies its add-ons itself)', missing: 'skip' },
  { id: 'kwokctl', title: 'kwokctl', neededFor: 'simulated clusters', missing: 'warn' },
];

function toolCheck(spec: (typeof TOOL_CHECKS)[number], status: ToolStatus): DoctorCheck {
  if (!status.found) {
    return {
      id: spec.id,
      title: spec.title,
      status: spec.missing,
      detail: `Not found; needed for ${spec.neededFor}.`,
      ...(spec.missing === 'warn' ? { fix: INSTALL_HINTS[spec.id] } : {}),
    };
  }
  if (!status.version) {
    return { id: spec.id, title: spec.title, status: 'warn', detail: `${status.path} did not report a version: ${status.error ?? 'no output'}.`, fix: `Run \`${status.path} version\` to see what is wrong, or reinstall it.` };
  }
  return { id: spec.id, title: spec.title, status: 'ok', detail: `${status.version} at ${status.path}${status.source === 'path' ? '' : ` (${status.source})`}.` };
}

/**
 * Checks the machine for everything local clusters need: a container engine whose daemon
 * answers, the cluster tools with their versions, the login shell's PATH, and the GPU
 * passthrough prerequisites. Never throws: each problem is a check with a one-line fix.
 */
export class DoctorService {
  constructor(
    private readonly tools: ToolLocator,
    private readonly docker: DockerCli,
    private readonly gpus: GpuInventoryService,
    private readonly gpuChecks: GpuHostChecks,
  ) {}

  async run(options: DoctorOptions = {}): Promise<DoctorReport> {
    const [shellPath, engine, tools, inventory] = await Promise.all([
      this.shellPathCheck(),
      this.engineChecks(options.signal),
      Promise.all(TOOL_CHECKS.map(async (spec) => toolCheck(spec, await this.tools.status(spec.id)))),
      this.gpus.list(options.signal),
    ]);
    const hasGpu = inventory.gpus.length > 0;
    const gpu = [
      this.gpuChecks.driver(inventory),
      await this.gpuChecks.toolkit(hasGpu),
      this.gpuChecks.defaultRuntime(hasGpu, engine.info),
      await this.gpuChecks.volumeMounts(hasGpu),
      await this.gpuChecks.smokeTest(Boolean(options.smokeTest), hasGpu, engine.info, options.signal),
    ];
    return { checks: [shellPath, ...engine.checks, ...tools, ...gpu] };
  }

  private async shellPathCheck(): Promise<DoctorCheck> {
    const title = 'Login shell PATH';
    const added = await this.tools.loginShellAdded();
    if (process.platform === 'win32') return { id: 'shell-path', title, status: 'skip', detail: 'Windows apps inherit the user PATH.' };
    return {
      id: 'shell-path',
      title,
      status: 'ok',
      detail: added.length
        ? `Tools and credential plugins are also looked up in ${added.length} director${added.length === 1 ? 'y' : 'ies'} from your login shell: ${added.slice(0, 4).join(', ')}${added.length > 4 ? ', …' : ''}.`
        : 'The PATH Slipway runs with already has every directory of your login shell.',
    };
  }

  /** One tool's check (kind, k3d, kubectl, helm, kwokctl). */
  async toolCheck(id: ToolId): Promise<DoctorCheck> {
    const spec = TOOL_CHECKS.find((t) => t.id === id)!;
    return toolCheck(spec, await this.tools.status(id));
  }

  /** The container engine and whether Docker's daemon answers, with `docker info` for GPU checks. */
  async engineChecks(signal?: AbortSignal): Promise<{ checks: DoctorCheck[]; info: DockerInfo | null }> {
    const [docker, podman] = await Promise.all([this.tools.status('docker'), this.tools.status('podman')]);
    const engine: DoctorCheck = docker.found
      ? { id: 'container-engine', title: 'Container engine', status: 'ok', detail: `docker ${docker.version ?? ''} at ${docker.path}${podman.found ? `; podman ${podman.version ?? ''} also found` : ''}.`.replace(/\s+/g, ' ') }
      : podman.found
        ? { id: 'container-engine', title: 'Container engine', status: 'warn', detail: `Only podman ${podman.version ?? ''} was found; Slipway's kind and k3d clusters use Docker.`, fix: 'Install Docker, or enable podman’s Docker-compatible socket and a `docker` shim (podman-docker).' }
        : { id: 'container-engine', title: 'Container engine', status: 'fail', detail: 'Neither docker nor podman was found; kind and k3d clusters need one (simulated clusters do not).', fix: INSTALL_HINTS.docker! };
    if (!docker.found) return { checks: [engine, { id: 'docker-daemon', title: 'Docker daemon', status: 'skip', detail: 'No docker client.' }], info: null };
    const info = await this.docker.info(signal);
    const daemon: DoctorCheck = info.reachable
      ? { id: 'docker-daemon', title: 'Docker daemon', status: 'ok', detail: `Docker Engine ${info.serverVersion} answers (default runtime ${info.defaultRuntime ?? 'unknown'}).` }
      : { id: 'docker-daemon', title: 'Docker daemon', status: 'fail', detail: `The daemon does not answer: ${info.error}`, fix: DOCKER_NOT_RUNNING_FIX };
    return { checks: [engine, daemon], info };
  }
}
