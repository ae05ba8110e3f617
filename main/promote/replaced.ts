/**
 * What a promotion replaces in its target: the live counterparts of the rendered objects and
 * the live pods that belong to them, found by walking owner references up from each pod
 * (Pod → ReplicaSet → Deployment, Pod → Job → JobSet → TrainJob, Pod → StatefulSet, …) until a
 * counterpart's uid is reached. Preflight counts what those pods hold as free: the promotion
 * takes their place.
 */
import { toAppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { RenderedObject } from '../../shared/models/promote';
import type { KubeClient } from '../kube/kube-client';
import { refKey } from './apply';
import { isObject, podTemplates } from './pod-templates';
import { mapLimit } from './pool';
import type { ResourceMapper } from '../kube/resources/resource-mapper';
import { getLive } from '../kube/resources/server-side-apply';

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

/** A live object as far as ownership goes. */
export interface Owned {
  metadata: { uid?: string; namespace?: string; ownerReferences?: OwnerRef[] };
}

/** Owner chains are short (four links for TrainJob → JobSet → Job → Pod); a cycle ends here. */
const MAX_DEPTH = 6;

function ownerRefsOf(object: Owned): OwnerRef[] {
  return (Array.isArray(object.metadata.ownerReferences) ? object.metadata.ownerReferences : []).filter((r) => isObject(r) && typeof r.uid === 'string');
}

/**
 * The uids of the `pods` that belong to one of the `roots` (uids), directly or through the
 * owners in `owners` (uid → that owner's own owner references).
 */
export function podsOwnedBy(pods: Owned[], roots: ReadonlySet<string>, owners: ReadonlyMap<string, OwnerRef[]>): Set<string> {
  const reaches = (refs: OwnerRef[], depth: number): boolean =>
    depth < MAX_DEPTH && refs.some((r) => roots.has(r.uid) || reaches(owners.get(r.uid) ?? [], depth + 1));
  return new Set(pods.filter((p) => p.metadata.uid && reaches(ownerRefsOf(p), 0)).map((p) => p.metadata.uid!));
}

export interface ReplacedState {
  /** Live counterparts of the rendered workloads and claims, by {@link refKey}; absent when new. */
  live: Map<string, KubeObject>;
  /** The pods of the bundle's namespaces that are neither Succeeded nor Failed (what holds GPUs and quota). */
  pods: (KubeObject & Owned)[];
  /** Uids of the pods that belong to an object this promotion replaces. */
  replacedPods: Set<string>;
}

interface List<T> {
  items: T[];
}

/** Pods that are neither Succeeded nor Failed (what holds GPUs and counts against quota), in one namespace or all. */
export async function listRunningPods(client: KubeClient, signal?: AbortSignal, namespace?: string): Promise<(KubeObject & Owned)[]> {
  const path = namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods` : '/api/v1/pods';
  const items = (await client.request<List<KubeObject & Owned>>({ path, query: { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' }, signal })).body.items;
  // Items of a list carry no kind of their own; quota arithmetic reads pods as Pod objects.
  return items.map((pod) => ({ ...pod, apiVersion: 'v1', kind: 'Pod' }));
}

/**
 * Reads the live counterparts, the target's running pods and the owners between them. An
 * owner that cannot be read (gone, a kind the target does not serve) ends its chain.
 */
export async function readReplaced(input: { client: KubeClient; mapper: ResourceMapper; rendered: RenderedObject[]; signal?: AbortSignal }): Promise<ReplacedState> {
  const { client, mapper, signal } = input;
  const ops = { client, mapper, signal };
  const relevant = input.rendered.filter((r) => r.object.kind === 'PersistentVolumeClaim' || podTemplates(structuredClone(r.object)).length > 0);
  const live = new Map<string, KubeObject>();
  await mapLimit(relevant, 8, async (r) => {
    const object = await getLive(ops.client, ops.mapper, r.ref, ops).catch((error: unknown) => {
      if (toAppError(error).code === 'CANCELLED') throw error;
      return null; // a kind the target does not serve has no counterpart
    });
    if (object) live.set(refKey(r.ref), object);
  });
  // Owners are in their pods' namespace: the bundle's namespaces hold every replaced pod, and a
  // user allowed only those namespaces can still read them.
  const namespaces = [...new Set(input.rendered.map((r) => r.ref.namespace).filter((n): n is string => Boolean(n)))];
  const pods = (await mapLimit(namespaces, 4, (ns) => listRunningPods(client, signal, ns))).flat();
  const roots = new Set([...live.values()].map((o) => (o as Owned).metadata.uid).filter((u): u is string => Boolean(u)));
  const candidates = pods.filter((p) => ownerRefsOf(p).length > 0);
  const owners = new Map<string, OwnerRef[]>();
  let frontier = candidates.flatMap((p) => ownerRefsOf(p).map((ref) => ({ ref, namespace: p.metadata.namespace })));
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const unknown = new Map(frontier.filter(({ ref }) => !roots.has(ref.uid) && !owners.has(ref.uid)).map((f) => [f.ref.uid, f]));
    const read = await mapLimit([...unknown.values()], 8, async ({ ref, namespace }) => {
      const object = await getLive(ops.client, ops.mapper, { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, namespace }, ops).catch((error: unknown) => {
        if (toAppError(error).code === 'CANCELLED') throw error;
        return null;
      });
      // A same-named object made since is not this owner: its uid decides.
      const refs = object && (object as Owned).metadata.uid === ref.uid ? ownerRefsOf(object as Owned) : [];
      owners.set(ref.uid, refs);
      return refs.map((next) => ({ ref: next, namespace }));
    });
    frontier = read.flat();
  }
  return { live, pods, replacedPods: podsOwnedBy(candidates, roots, owners) };
}

/**
 * The rendered objects as they will run in the target: a Deployment or StatefulSet whose
 * replicas the bundle leaves out (an HPA owns them) keeps the live count.
 */
export function asTheyWillRun(rendered: RenderedObject[], live: ReadonlyMap<string, KubeObject>): KubeObject[] {
  return rendered.map(({ ref, object }) => {
    const spec = object.spec as Record<string, unknown> | undefined;
    const liveReplicas = (live.get(refKey(ref))?.spec as Record<string, unknown> | undefined)?.replicas;
    if (!isObject(spec) || spec.replicas !== undefined || liveReplicas === undefined || (object.kind !== 'Deployment' && object.kind !== 'StatefulSet')) return object;
    return { ...object, spec: { ...spec, replicas: liveReplicas } };
  });
}
