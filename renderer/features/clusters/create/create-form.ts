import { createClusterRequestSchema, type CreateClusterInput, type ProviderId } from '../../../../shared/models/clusters';
import type { DoctorCheck, PreflightReport } from '../../../../shared/models/doctor';
import type { GpuInventory } from '../../../../shared/models/gpu';
import type { BadgeTone } from '../../../components/StatusBadge';

export type GpuMode = 'none' | 'all' | 'split' | 'groups' | 'count';

/** The Create Cluster form as the user edits it: strings, as inputs hold them. */
export interface CreateForm {
  provider: ProviderId;
  name: string;
  kubernetesVersion: string;
  workers: string;
  gpuMode: GpuMode;
  /** kind: `0,1/2`. */
  gpuGroups: string;
  /** k3d: a GPU count. */
  gpuCount: string;
  gpuSharing: string;
  /** `80:80, 443:443`. */
  ports: string;
  image: string;
  metricsServer: boolean;
  devicePlugin: boolean;
  verifyGpu: boolean;
  keepOnFailure: boolean;
  /** Simulated (kwok) GPU nodes. */
  gpuNodes: string;
  gpusPerNode: string;
  gpuProduct: string;
}

export function defaultForm(provider: ProviderId = 'kind'): CreateForm {
  return {
    provider,
    name: '',
    kubernetesVersion: '',
    workers: '1',
    gpuMode: 'none',
    gpuGroups: '',
    gpuCount: '1',
    gpuSharing: '1',
    ports: '',
    image: '',
    metricsServer: true,
    devicePlugin: true,
    verifyGpu: false,
    keepOnFailure: false,
    gpuNodes: '2',
    gpusPerNode: '8',
    gpuProduct: 'NVIDIA-H100-80GB-HBM3',
  };
}

/** The GPU choices each provider offers, with what they mean. */
export function gpuModes(provider: ProviderId): { value: GpuMode; label: string }[] {
  if (provider === 'kind') {
    return [
      { value: 'none', label: 'No GPUs' },
      { value: 'all', label: 'All GPUs on one worker' },
      { value: 'split', label: 'One worker per GPU' },
      { value: 'groups', label: 'Choose groups (e.g. 0,1/2)' },
    ];
  }
  if (provider === 'k3d') {
    return [
      { value: 'none', label: 'No GPUs' },
      { value: 'all', label: 'All GPUs (every node)' },
      { value: 'count', label: 'A number of GPUs (every node)' },
    ];
  }
  return [];
}

/** Said next to k3d's GPU choice, plainly. */
export const K3D_GPU_WARNING = 'k3d gives every node all requested GPUs; it cannot give different GPUs to different nodes. Use kind for one GPU per worker.';

export function parsePorts(text: string): { ports: { host: number; container: number }[]; error?: string } {
  const ports: { host: number; container: number }[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const match = /^(\d{1,5}):(\d{1,5})$/.exec(part);
    if (!match) return { ports, error: `"${part}" is not HOST:CONTAINER (e.g. 80:80)` };
    ports.push({ host: Number(match[1]), container: Number(match[2]) });
  }
  return { ports };
}

const whole = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN);

function gpusValue(form: CreateForm): string {
  switch (form.gpuMode) {
    case 'groups':
      return form.gpuGroups.replace(/\s+/g, '');
    case 'count':
      return form.gpuCount.trim();
    default:
      return form.gpuMode;
  }
}

/** Field name → message for inputs that do not make a valid request; empty when it is valid. */
export type FormErrors = Partial<Record<keyof CreateForm, string>>;

const FIELD_OF: Record<string, keyof CreateForm> = {
  name: 'name',
  kubernetesVersion: 'kubernetesVersion',
  nodes: 'workers',
  gpus: 'gpuGroups',
  gpuSharing: 'gpuSharing',
  ports: 'ports',
  image: 'image',
  gpuNodes: 'gpuNodes',
  gpusPerNode: 'gpusPerNode',
  gpuProduct: 'gpuProduct',
};

/** The create request the form describes, validated by the same schema the backend uses. */
export function toRequest(form: CreateForm): { request?: CreateClusterInput; errors: FormErrors } {
  const errors: FormErrors = {};
  const input: Record<string, unknown> = { provider: form.provider, name: form.name.trim(), nodes: whole(form.workers), keepOnFailure: form.keepOnFailure };
  if (form.provider === 'kwok') {
    input.gpuNodes = whole(form.gpuNodes);
    input.gpusPerNode = whole(form.gpusPerNode);
    input.gpuProduct = form.gpuProduct.trim();
    input.addons = { metricsServer: form.metricsServer };
  } else {
    if (form.kubernetesVersion.trim()) input.kubernetesVersion = form.kubernetesVersion.trim();
    if (form.image.trim()) input.image = form.image.trim();
    input.gpus = gpusValue(form);
    input.gpuSharing = whole(form.gpuSharing);
    const ports = parsePorts(form.ports);
    if (ports.error) errors.ports = ports.error;
    input.ports = ports.ports;
    input.addons = { metricsServer: form.metricsServer, devicePlugin: form.devicePlugin, verifyGpu: form.gpuMode !== 'none' && form.verifyGpu };
    if (form.provider === 'k3d' && form.gpuMode === 'count' && !/^[1-9]\d*$/.test(form.gpuCount.trim())) errors.gpuCount = 'a number of GPUs, 1 or more';
    if (form.provider === 'kind' && form.gpuMode === 'groups' && !/^\d+(,\d+)*(\/\d+(,\d+)*)*$/.test(String(input.gpus))) errors.gpuGroups = 'GPU indexes: commas within a worker, / between workers (e.g. 0,1/2)';
  }
  const parsed = createClusterRequestSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = FIELD_OF[String(issue.path[0])];
      if (field && !errors[field]) errors[field] = issue.code === 'invalid_type' ? 'a whole number' : issue.message;
    }
  }
  if (Object.keys(errors).length) return { errors };
  return { request: input as CreateClusterInput, errors };
}

const TONES: Record<DoctorCheck['status'], BadgeTone> = { ok: 'ok', warn: 'warn', fail: 'error', skip: 'muted' };

export function checkTone(status: DoctorCheck['status']): BadgeTone {
  return TONES[status];
}

/** Whether preflight lets creation start, and a one-line summary. */
export function preflightSummary(report: PreflightReport | undefined): { blocking: boolean; label: string; tone: BadgeTone } {
  if (!report) return { blocking: true, label: 'Checking…', tone: 'muted' };
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  if (failed) return { blocking: true, label: `${failed} problem${failed === 1 ? '' : 's'} to fix first`, tone: 'error' };
  if (warned) return { blocking: false, label: `Ready, with ${warned} warning${warned === 1 ? '' : 's'}`, tone: 'warn' };
  return { blocking: false, label: 'Ready to create', tone: 'ok' };
}

/** The detected GPUs as lines for the form ("GPU 0 · NVIDIA H100 80GB HBM3 · 81559 MiB"). */
export function gpuLines(inventory: GpuInventory | undefined): string[] {
  return (inventory?.gpus ?? []).map((g) => `GPU ${g.index} · ${g.name} · ${g.memoryMiB} MiB${g.migMode === 'enabled' ? ' · MIG on' : ''}`);
}
