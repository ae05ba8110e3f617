import type { TaskProgress } from '../../../shared/contract/define';
import { NODES_READY_PHASE } from '../nodes-ready';

/** The binaries `kwokctl --runtime binary` runs; every one is given explicitly (no downloads). */
export interface ControlPlaneBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
  /** kwokctl checks readiness with `kubectl get --raw`; given as KWOK_KUBECTL_BINARY, not a flag. */
  kubectl: string;
  /** Optional: without it the cluster has no metrics API (HPAs show `<unknown>`). */
  metricsServer?: string;
  /** Optional: Slipway's custom/external metrics API, run as a component of kwok.yaml (not a flag). */
  metricsAdapter?: string;
}

/** Arguments of `kwokctl create cluster` for one simulated cluster. */
export function createClusterArgs(name: string, bins: ControlPlaneBinaries, kubeconfigPath: string, configPath: string, wait = '2m'): string[] {
  return [
    'create', 'cluster',
    '--name', name,
    '--runtime', 'binary',
    '--config', configPath,
    '--etcd-binary', bins.etcd,
    '--kube-apiserver-binary', bins.kubeApiserver,
    '--kube-controller-manager-binary', bins.kubeControllerManager,
    '--kube-scheduler-binary', bins.kubeScheduler,
    '--kwok-controller-binary', bins.kwok,
    ...(bins.metricsServer ? ['--enable', 'metrics-server', '--metrics-server-binary', bins.metricsServer] : []),
    // kwokctl merges the kwok-NAME context into this file and makes it current, as kind does.
    '--kubeconfig', kubeconfigPath,
    '--wait', wait,
  ];
}

/** One line of kwokctl's output: JSON (slog) when not on a terminal, else plain text. */
export interface KwokctlLine {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
  raw: string;
}

export function parseKwokctlLine(raw: string): KwokctlLine {
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    if (parsed && typeof parsed === 'object' && typeof parsed.msg === 'string') {
      const { time: _t, level, msg, source: _s, ...fields } = parsed;
      return { level: String(level ?? 'INFO'), msg, fields, raw };
    }
  } catch {
    // plain text
  }
  return { level: /error/i.test(raw) ? 'ERROR' : 'INFO', msg: raw.trim(), fields: {}, raw };
}

/** A kwokctl line as a person reads it: `Cluster is started (2.05s)`. */
export function formatKwokctlLine(line: KwokctlLine): string {
  const elapsed = (line.fields.elapsed as { human?: string } | undefined)?.human;
  const err = typeof line.fields.err === 'string' ? `: ${line.fields.err}` : '';
  return `${line.level === 'INFO' ? '' : `${line.level} `}${line.msg}${elapsed ? ` (${elapsed})` : ''}${err}`;
}

/**
 * Named phases of creation with their share of the bar. kwokctl's own milestones map into the
 * "Starting control plane" span; Slipway's own steps follow.
 */
export const CREATE_PHASES = {
  tools: { phase: 'Finding tools', percent: 2 },
  queued: { phase: 'Waiting for another cluster creation', percent: 4 },
  config: { phase: 'Preparing configuration', percent: 6 },
  controlPlane: { phase: 'Starting control plane', percent: 10 },
  apiReady: { phase: 'Waiting for the API server', percent: 60 },
  nodes: { phase: 'Adding nodes', percent: 80 },
  nodesReady: { phase: NODES_READY_PHASE, percent: 90 },
  done: { phase: 'Ready', percent: 100 },
} as const satisfies Record<string, TaskProgress>;

const MILESTONES: [RegExp, TaskProgress][] = [
  [/^Cluster is creating/, { phase: CREATE_PHASES.controlPlane.phase, percent: 12 }],
  [/^Cluster is created/, { phase: CREATE_PHASES.controlPlane.phase, percent: 20 }],
  [/^Cluster is starting/, { phase: CREATE_PHASES.controlPlane.phase, percent: 25 }],
  [/^Cluster is started/, { phase: CREATE_PHASES.controlPlane.phase, percent: 50 }],
  [/^Load resources/, { phase: CREATE_PHASES.controlPlane.phase, percent: 55 }],
  [/^Waiting for cluster to be ready/, CREATE_PHASES.apiReady],
  [/^Cluster is ready/, { phase: CREATE_PHASES.apiReady.phase, percent: 75 }],
];

/** The progress a kwokctl line means, or null for lines that only go to the log. */
export function progressOf(line: KwokctlLine): TaskProgress | null {
  for (const [pattern, progress] of MILESTONES) if (pattern.test(line.msg)) return { ...progress };
  return null;
}
