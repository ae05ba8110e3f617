import { toAppError } from '../../../shared/errors';
import type { CreateClusterRequest } from '../../../shared/models/clusters';
import type { DoctorCheck } from '../../../shared/models/doctor';
import type { PreflightReport } from '../../../shared/models/doctor';
import type { GpuInventoryService } from '../../gpu/gpu-inventory';
import type { GpuHostChecks } from '../../gpu/host-checks';
import type { ClusterService } from '../cluster-service';
import { K3D_GPU_NOTE, parseK3dGpus } from '../k3d/k3d-plan';
import { planKindCluster } from '../kind/kind-provider';
import { isPortFree } from '../port-check';
import type { DoctorService } from './doctor-service';

/**
 * What the Create Cluster page checks before anything starts: the doctor checks that matter for
 * the chosen provider, whether the name is free, whether the host ports are free, and whether the
 * GPU assignment fits this machine. Runs no tool that changes anything.
 */
export class PreflightService {
  constructor(
    private readonly clusters: ClusterService,
    private readonly doctor: DoctorService,
    private readonly gpus: GpuInventoryService,
    private readonly gpuChecks: GpuHostChecks,
  ) {}

  async run(request: CreateClusterRequest, signal?: AbortSignal): Promise<PreflightReport> {
    const checks: DoctorCheck[] = [await this.nameCheck(request, signal)];
    const notes: string[] = [];
    if (request.provider === 'kwok') {
      checks.push(await this.doctor.toolCheck('kwokctl'));
      return { checks, notes };
    }
    const engine = await this.doctor.engineChecks(signal);
    checks.push(...engine.checks, await this.doctor.toolCheck(request.provider));
    if (request.ports.length) checks.push(await this.portsCheck(request.ports.map((p) => p.host)));
    if (request.gpus !== 'none') {
      const inventory = await this.gpus.list(signal);
      const hasGpu = inventory.gpus.length > 0;
      checks.push(this.gpuChecks.driver(inventory), await this.gpuChecks.toolkit(hasGpu));
      if (request.provider === 'kind') checks.push(this.gpuChecks.defaultRuntime(hasGpu, engine.info), await this.gpuChecks.volumeMounts(hasGpu));
      checks.push(this.planCheck(request, inventory.gpus.map((g) => g.index), notes));
    }
    return { checks, notes };
  }

  private async nameCheck(request: CreateClusterRequest, signal?: AbortSignal): Promise<DoctorCheck> {
    const title = 'Cluster name is free';
    try {
      const existing = await this.clusters.provider(request.provider).list(signal);
      if (existing.some((c) => c.name === request.name)) {
        return { id: 'name', title, status: 'fail', detail: `A ${request.provider} cluster named "${request.name}" already exists.`, fix: 'Pick another name, or delete the existing cluster first.' };
      }
      return { id: 'name', title, status: 'ok', detail: `No ${request.provider} cluster is named "${request.name}".` };
    } catch (error) {
      const e = toAppError(error);
      return { id: 'name', title, status: 'skip', detail: `Existing clusters could not be listed: ${e.message.split('\n')[0]}` };
    }
  }

  private async portsCheck(ports: number[]): Promise<DoctorCheck> {
    const busy: number[] = [];
    for (const port of ports) if (!(await isPortFree(port))) busy.push(port);
    if (busy.length === 0) return { id: 'ports', title: 'Host ports are free', status: 'ok', detail: `Nothing listens on ${ports.join(', ')}.` };
    return { id: 'ports', title: 'Host ports are free', status: 'fail', detail: `Already in use: ${busy.join(', ')}.`, fix: 'Stop what listens there, or map other host ports.' };
  }

  private planCheck(request: CreateClusterRequest, indexes: number[], notes: string[]): DoctorCheck {
    const title = 'GPU assignment fits this machine';
    try {
      if (request.provider === 'kind') {
        const { plan } = planKindCluster(request, indexes);
        notes.push(...plan.notes);
        const gpuWorkers = plan.workers.filter((w) => w === 'all' || w.length > 0).length;
        return { id: 'gpu-plan', title, status: 'ok', detail: `${gpuWorkers} GPU worker${gpuWorkers === 1 ? '' : 's'}: ${plan.workers.map((w, i) => `worker ${i + 1} → ${w === 'all' ? 'all GPUs' : w.length ? `GPU ${w.join(',')}` : 'no GPU'}`).join('; ')}.` };
      }
      const gpus = parseK3dGpus(request.gpus);
      notes.push(K3D_GPU_NOTE);
      if (indexes.length === 0) return { id: 'gpu-plan', title, status: 'fail', detail: 'This machine has no usable NVIDIA GPU.', fix: 'Choose no GPUs, or fix the GPU checks above.' };
      if (typeof gpus === 'number' && gpus > indexes.length) {
        return { id: 'gpu-plan', title, status: 'fail', detail: `${gpus} GPUs requested; this machine has ${indexes.length}.`, fix: `Request at most ${indexes.length}, or all.` };
      }
      return { id: 'gpu-plan', title, status: 'ok', detail: `Every node gets ${gpus === 'all' ? `all ${indexes.length}` : gpus} GPU${gpus === 1 ? '' : 's'}.` };
    } catch (error) {
      const e = toAppError(error);
      return { id: 'gpu-plan', title, status: 'fail', detail: e.message, fix: e.fix ?? 'Change the GPU assignment.' };
    }
  }
}
