/**
 * "A new cluster is ready when create returns": every provider waits here, after its tool is
 * done, until the cluster's nodes are Ready and free of the taints nodes carry while they start
 * (so the first promotion or workload is scheduled rather than told "no node fits").
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, toAppError } from '../../shared/errors';
import type { KubeClient } from '../kube/kube-client';
import type { ProviderIo } from './provider';

/** The progress phase of the wait, the same in every provider. */
export const NODES_READY_PHASE = 'Waiting for nodes to be Ready';

/**
 * Taints that the kubelet, the node lifecycle controller or a cloud controller put on a node
 * until it is up; a workload without a toleration for them is not scheduled meanwhile.
 */
export const STARTUP_TAINTS: readonly string[] = [
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/network-unavailable',
  'node.cloudprovider.kubernetes.io/uninitialized',
];

interface NodeLike {
  metadata: { name: string };
  spec?: { taints?: { key: string; value?: string; effect: string }[] };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

/** What keeps one node from taking work: not Ready (with the kubelet's reason) or a start-up taint; null when it is ready. */
export function nodeProblem(node: NodeLike): string | null {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') {
    const why = ready ? [ready.reason, ready.message].filter(Boolean).join(': ') || `Ready=${ready.status}` : 'no Ready condition reported yet';
    return `node ${node.metadata.name} is not Ready (${why})`;
  }
  const taints = (node.spec?.taints ?? []).filter((t) => STARTUP_TAINTS.includes(t.key));
  if (taints.length > 0) return `node ${node.metadata.name} is tainted ${taints.map((t) => `${t.key}:${t.effect}`).join(', ')}`;
  return null;
}

/**
 * The problems of the nodes a cluster should have: each missing name (when names are given),
 * or too few nodes, then each node's own problem. Empty when all are ready.
 */
export function clusterNodeProblems(nodes: NodeLike[], want: { names?: readonly string[]; count: number }): string[] {
  const relevant = want.names ? nodes.filter((n) => want.names!.includes(n.metadata.name)) : nodes;
  const problems: string[] = [];
  if (want.names) {
    const seen = new Set(relevant.map((n) => n.metadata.name));
    for (const name of want.names) if (!seen.has(name)) problems.push(`node ${name} has not registered yet`);
  } else if (relevant.length < want.count) {
    problems.push(`${relevant.length} of ${want.count} nodes have registered`);
  }
  for (const node of relevant) {
    const problem = nodeProblem(node);
    if (problem) problems.push(problem);
  }
  return problems;
}

export interface WaitForNodesOptions {
  /** The nodes to wait for, by name; without names, `count` nodes matching `labelSelector`. */
  names?: readonly string[];
  count: number;
  labelSelector?: string;
  /** Deadline for the whole wait (default 120 s). */
  timeoutMs?: number;
  /** Between polls (default 500 ms). */
  intervalMs?: number;
  /** Where the progress bar is during the wait. */
  percent: number;
  /** Added to the timeout error's fix (e.g. where the node logs are). */
  fix?: string;
}

/**
 * Polls the nodes until every wanted one is Ready without start-up taints, reporting
 * "n/m nodes ready" under {@link NODES_READY_PHASE}. Cancelled by `io.signal` (CANCELLED);
 * past the deadline a TIMEOUT names each node still not ready and why.
 */
export async function waitForNodesReady(client: KubeClient, io: ProviderIo, options: WaitForNodesOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  const total = options.names?.length ?? options.count;
  io.progress({ phase: NODES_READY_PHASE, percent: options.percent, message: `0/${total} nodes ready` });
  let last = '';
  for (;;) {
    let problems: string[];
    try {
      const list = await client.request<{ items: NodeLike[] }>({ path: '/api/v1/nodes', query: { labelSelector: options.labelSelector }, signal: io.signal, timeoutMs: 15_000 });
      problems = clusterNodeProblems(list.body.items, { names: options.names, count: options.count });
    } catch (error) {
      const e = toAppError(error);
      // An API server that has just started may still refuse for a moment; the deadline decides.
      if (e.code === 'CANCELLED' || io.signal.aborted) throw cancelled();
      problems = [`the API server did not answer: ${e.message}`];
    }
    const notReady = problems.length;
    const summary = `${Math.max(0, total - notReady)}/${total} nodes ready`;
    if (summary !== last) io.progress({ phase: NODES_READY_PHASE, percent: options.percent, message: summary, ...(problems[0] ? { log: [problems[0]] } : {}) });
    last = summary;
    if (notReady === 0) return;
    if (Date.now() >= deadline) {
      throw new AppError('TIMEOUT', `The cluster's nodes were not ready within ${Math.round(timeoutMs / 1000)} s: ${problems.join('; ')}.`, {
        fix: `Check the node${total === 1 ? '' : 's'} with \`kubectl describe node\`${options.fix ? `; ${options.fix}` : ''}.`,
        details: { problems },
      });
    }
    try {
      await sleep(options.intervalMs ?? 500, undefined, { signal: io.signal });
    } catch {
      throw cancelled();
    }
  }
}

function cancelled(): AppError {
  return new AppError('CANCELLED', 'Waiting for the nodes was cancelled.');
}
