/**
 * Wire types of one object's details and the actions on it (the details panel, `slipway delete`,
 * `scale`, `suspend`, `resume`). Plain data; shared by main and renderer.
 */
import type { ConditionView, EventView } from './views';
import type { ConflictInfo, FieldChange } from './promote';

/** Names one object of one context. `group` is '' for the core group; `version` is discovered when omitted. */
export interface ObjectKey {
  context: string;
  group: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A link to another object (owner, child, pod) of the same context. */
export interface ObjectLink {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
  /** What the link says beside the name: a pod's phase, a replica type and index. */
  detail?: string;
}

export type ObjectActionId = 'delete' | 'restart' | 'scale' | 'suspend' | 'resume' | 'cordon' | 'uncordon' | 'edit';

/** One action the panel offers; `allowed: false` greys it out with the reason (RBAC, state). */
export interface ObjectActionView {
  id: ObjectActionId;
  allowed: boolean;
  reason?: string;
}

export interface ObjectPodView {
  name: string;
  namespace: string;
  containers: string[];
  phase?: string;
  /** Replica type and index for training jobs (`Worker 1`), empty otherwise. */
  replica?: string;
}

export interface ObjectDetails {
  key: ObjectKey & { version: string };
  /** The served plural, for messages and RBAC. */
  plural: string;
  uid: string;
  resourceVersion?: string;
  /** YAML of the live object; managedFields left out unless asked for. */
  yaml: string;
  managedFieldsShown: boolean;
  conditions: ConditionView[];
  /** The object's own events, newest first. */
  events: EventView[];
  owners: ObjectLink[];
  children: ObjectLink[];
  /** The pods this object runs (itself for a pod), for their logs. */
  pods: ObjectPodView[];
  actions: ObjectActionView[];
  /** Replicas of a scalable object (Deployment, StatefulSet, ReplicaSet). */
  replicas?: number;
  /** Whether a suspendable object is suspended now. */
  suspended?: boolean;
  /** Nodes: whether it is cordoned. */
  unschedulable?: boolean;
  /** What a delete of this object takes with it, said in the confirmation (PVCs: the data). */
  deleteWarning?: string;
}

export type ObjectAction =
  | { type: 'delete' }
  | { type: 'restart' }
  | { type: 'scale'; replicas: number }
  | { type: 'suspend'; suspend: boolean }
  | { type: 'cordon'; cordon: boolean };

export interface ObjectActionResult {
  /** One line for the user: "Deleted pod it/web-1 in kind-dev." */
  message: string;
}

/** What an edit would change, from a server-side dry run. */
export interface EditPlan {
  changes: FieldChange[];
  /** Fields other managers own that the edit changes; applying needs `force`. */
  conflict?: ConflictInfo;
}

/** `#/object/<context>/<group>/<kind>/<ns>/<name>`: core is `core`, cluster-scoped objects use `-`. */
export function objectHash(key: Omit<ObjectKey, 'version'>): string {
  const parts = [key.context, key.group || 'core', key.kind, key.namespace || '-', key.name];
  return `#/object/${parts.map(encodeURIComponent).join('/')}`;
}

/** The inverse of {@link objectHash}'s path (after `object/`); undefined when incomplete. */
export function objectKeyFromPath(rest: readonly string[]): Omit<ObjectKey, 'version'> | undefined {
  const [context, group, kind, namespace, name] = rest;
  if (!context || !group || !kind || !namespace || !name) return undefined;
  return { context, group: group === 'core' ? '' : group, kind, namespace: namespace === '-' ? undefined : namespace, name };
}

/** `group` of an apiVersion (`apps/v1` → `apps`, `v1` → ''). */
export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
