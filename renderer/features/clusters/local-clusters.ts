import type { BadgeTone } from '../../components/StatusBadge';
import type { ClusterListResult, ClusterSummary } from '../../../shared/models/clusters';

/** One row of the local-clusters table, ready to render. */
export interface LocalClusterRow {
  key: string;
  name: string;
  provider: ClusterSummary['provider'];
  providerLabel: string;
  simulated: boolean;
  status: { label: string; tone: BadgeTone };
  /** "3 nodes", "1 node", or "—" when unknown. */
  nodes: string;
  /** "8 GPUs on 2 nodes", "no GPUs", or "—". */
  gpus: string;
  contextName: string;
  detail: string;
  kubernetesVersion: string;
  /** The power action offered: stop a running cluster, start any other (stopped or degraded). */
  power: 'start' | 'stop';
}

const PROVIDER_LABELS: Record<ClusterSummary['provider'], string> = { kind: 'kind', k3d: 'k3d', kwok: 'kwok' };

const STATUS: Record<ClusterSummary['status'], { label: string; tone: BadgeTone }> = {
  running: { label: 'running', tone: 'ok' },
  stopped: { label: 'stopped', tone: 'muted' },
  unknown: { label: 'degraded', tone: 'warn' },
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function localClusterRow(c: ClusterSummary): LocalClusterRow {
  let gpus = '—';
  if (c.gpus !== undefined) gpus = c.gpus === 0 ? 'no GPUs' : `${plural(c.gpus, 'GPU')}${c.gpuNodes ? ` on ${plural(c.gpuNodes, 'node')}` : ''}`;
  return {
    key: `${c.provider}/${c.name}`,
    name: c.name,
    provider: c.provider,
    providerLabel: PROVIDER_LABELS[c.provider],
    simulated: c.simulated,
    status: STATUS[c.status],
    nodes: c.nodes === undefined ? '—' : plural(c.nodes, 'node'),
    gpus,
    contextName: c.contextName,
    detail: c.detail ?? '',
    kubernetesVersion: c.kubernetesVersion ?? '',
    power: c.status === 'running' ? 'stop' : 'start',
  };
}

/** Rows in a stable order (provider, then name) and the providers that could not list. */
export function localClustersView(list: ClusterListResult): { rows: LocalClusterRow[]; problems: string[] } {
  const rows = [...list.clusters].sort((a, b) => a.provider.localeCompare(b.provider) || a.name.localeCompare(b.name)).map(localClusterRow);
  const problems = list.problems.map((p) => `${PROVIDER_LABELS[p.provider]}: ${p.message}${p.fix ? ` ${p.fix}` : ''}`);
  return { rows, problems };
}

/** What deleting will do, said before the user confirms. */
export function deleteConsequences(row: Pick<LocalClusterRow, 'name' | 'simulated' | 'contextName'>): string {
  const what = row.simulated ? 'stops its simulated control plane and removes its data' : 'removes its node containers and their data';
  return `Deleting "${row.name}" ${what}, and removes the context ${row.contextName} from your kubeconfig. This cannot be undone.`;
}
