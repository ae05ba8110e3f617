import { AppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/models/views-watch';
import type { EditPlan, ObjectAction, ObjectActionId, ObjectActionResult, ObjectActionView, ObjectDetails, ObjectKey, ObjectLink } from '../../shared/models/objects';
import { suspendPatchFor } from '../../shared/k8s/training-kinds';
import type { KubeClient } from '../kube/kube-client';
import { ResourceMapper } from '../kube/resources/resource-mapper';
import { serverSideApply } from '../kube/resources/server-side-apply';
import type { ResolvedResource } from '../kube/resources/resource-mapper';
import { conflictInfo } from '../promote/conflicts';
import { fieldChanges } from '../promote/field-diff';
import { asRecord, conditionsOf, eventView } from '../views/common';
import { accessFor, actionsForKind, childLink, deleteWarning, isOwnedBy, objectYaml, ownerLinks, podView } from './object-view';
import { childQueries } from './children';
import { describeObject as describe, parseEdit } from './edit-parse';

interface Resolved {
  /** The key as asked, without a namespace for cluster-scoped kinds. */
  key: ObjectKey;
  client: KubeClient;
  mapper: ResourceMapper;
  resource: ResolvedResource;
  apiVersion: string;
  path: string;
}

const MERGE_PATCH = 'application/merge-patch+json';

/**
 * One object of one context: its details (YAML, conditions, events, owners, children, pods,
 * and which actions RBAC lets this user take) and the actions themselves — delete, scale,
 * rollout restart, suspend/resume, cordon/uncordon, and a YAML edit that is planned by a
 * server-side dry run before it is applied (field manager `slipway`, never forced unasked).
 */
export class ObjectService {
  private readonly mappers = new Map<string, ResourceMapper>();

  constructor(private readonly clientFor: (context: string) => Promise<KubeClient>) {}

  async get(asked: ObjectKey, options: { showManagedFields?: boolean; signal?: AbortSignal } = {}): Promise<ObjectDetails> {
    const r = await this.resolve(asked, options.signal);
    const key = r.key;
    const object = await this.read(r, key, options.signal);
    const group = key.group;
    const suspendPatch = suspendPatchFor(r.apiVersion, key.kind, true);
    const [events, related, actions] = await Promise.all([
      this.events(r, key, options.signal),
      this.related(r, object, options.signal),
      this.actions(r, key, actionsForKind(group, key.kind, suspendPatch !== null), options.signal),
    ]);
    const spec = asRecord(object.spec);
    const warning = deleteWarning(object, group, key.kind);
    return {
      key: { ...key, version: r.resource.version },
      plural: r.resource.plural,
      uid: object.metadata.uid ?? '',
      ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
      yaml: objectYaml(object, Boolean(options.showManagedFields)),
      managedFieldsShown: Boolean(options.showManagedFields),
      conditions: conditionsOf(object),
      events,
      owners: ownerLinks(object),
      children: related.children,
      pods: related.pods.map(podView),
      actions: this.withState(actions, object, key),
      ...(typeof spec.replicas === 'number' ? { replicas: spec.replicas } : {}),
      ...(suspendPatch ? { suspended: isSuspended(object) } : {}),
      ...(group === '' && key.kind === 'Node' ? { unschedulable: spec.unschedulable === true } : {}),
      ...(warning ? { deleteWarning: warning } : {}),
    };
  }

  async act(asked: ObjectKey, action: ObjectAction, signal?: AbortSignal): Promise<ObjectActionResult> {
    const r = await this.resolve(asked, signal);
    const key = r.key;
    const offered = actionsForKind(key.group, key.kind, suspendPatchFor(r.apiVersion, key.kind, true) !== null);
    const id = actionId(action);
    if (!offered.includes(id)) {
      throw new AppError('INVALID_ARGUMENT', `${describe(key)} cannot be ${PAST[id]}.`, { fix: `Only ${offered.join(', ')} apply to a ${key.kind}.` });
    }
    const who = `${describe(key)} in ${key.context}`;
    switch (action.type) {
      case 'delete':
        // Background propagation, as kubectl: the object goes now, its dependents after it.
        await r.client.request({ method: 'DELETE', path: r.path, body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }, signal });
        return { message: `Deleted ${who}.` };
      case 'scale':
        await r.client.request({ method: 'PATCH', path: `${r.path}/scale`, body: { spec: { replicas: action.replicas } }, contentType: MERGE_PATCH, signal });
        return { message: `Scaled ${who} to ${action.replicas} replica${action.replicas === 1 ? '' : 's'}.` };
      case 'restart':
        // What `kubectl rollout restart` does: a changed template annotation rolls every pod.
        await r.client.request({
          method: 'PATCH',
          path: r.path,
          body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } },
          contentType: MERGE_PATCH,
          signal,
        });
        return { message: `Restarted the rollout of ${who}.` };
      case 'suspend': {
        const patch = suspendPatchFor(r.apiVersion, key.kind, action.suspend)!;
        await r.client.request({ method: 'PATCH', path: r.path, body: patch, contentType: MERGE_PATCH, signal });
        return { message: `${action.suspend ? 'Suspended' : 'Resumed'} ${who}.` };
      }
      case 'cordon':
        await r.client.request({ method: 'PATCH', path: r.path, body: { spec: { unschedulable: action.cordon ? true : null } }, contentType: MERGE_PATCH, signal });
        return { message: `${action.cordon ? 'Cordoned' : 'Uncordoned'} ${who}.` };
    }
  }

  /** What applying `yaml` would change, from a server-side dry run; conflicts are reported, not forced. */
  async planEdit(asked: ObjectKey, yaml: string, signal?: AbortSignal): Promise<EditPlan> {
    const r = await this.resolve(asked, signal);
    const key = r.key;
    const edited = parseEdit(yaml, key);
    const live = await this.read(r, key, signal);
    try {
      const result = await serverSideApply(r.client, r.mapper, edited, { dryRun: true, signal });
      return { changes: fieldChanges(live, result) };
    } catch (error) {
      if (!isApplyConflict(error)) throw error;
      // Show what a forced apply would change beside who owns the contested fields.
      const forced = await serverSideApply(r.client, r.mapper, edited, { dryRun: true, force: true, signal });
      return { changes: fieldChanges(live, forced), conflict: conflictInfo(error as AppError) };
    }
  }

  /** Server-side applies the edit. A conflict throws CONFLICT (with the managers) unless `force`. */
  async applyEdit(asked: ObjectKey, yaml: string, options: { force?: boolean; signal?: AbortSignal } = {}): Promise<ObjectActionResult> {
    const r = await this.resolve(asked, options.signal);
    const key = r.key;
    const edited = parseEdit(yaml, key);
    try {
      await serverSideApply(r.client, r.mapper, edited, { force: options.force, signal: options.signal });
    } catch (error) {
      if (isApplyConflict(error)) {
        const conflict = conflictInfo(error as AppError);
        throw new AppError('CONFLICT', `Other field managers own what this edit changes (${conflict.managers.join(', ') || 'unknown'}): ${conflict.fields.join(', ')}.`, {
          fix: 'Review the diff, then apply with “Force” to take those fields over, or change the edit.',
          details: { conflict },
        });
      }
      if (error instanceof AppError && error.code === 'CONFLICT') {
        throw new AppError('CONFLICT', `${describe(key)} changed since it was loaded.`, { fix: 'Reload the YAML and edit again.', details: error.details });
      }
      throw error;
    }
    return { message: `Applied the edit to ${describe(key)} in ${key.context}.` };
  }

  private async resolve(key: ObjectKey, signal?: AbortSignal): Promise<Resolved> {
    const client = await this.clientFor(key.context);
    let mapper = this.mappers.get(key.context);
    if (!mapper) {
      mapper = new ResourceMapper(client);
      this.mappers.set(key.context, mapper);
    }
    let resolved: { apiVersion: string; resource: ResolvedResource };
    try {
      resolved = await this.lookUp(mapper, key, signal);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
      // Discovery remembers "not served"; a CRD installed since then is found on a fresh look.
      mapper.invalidate(key.group);
      resolved = await this.lookUp(mapper, key, signal);
    }
    const { apiVersion, resource } = resolved;
    if (resource.namespaced && !key.namespace) throw new AppError('INVALID_ARGUMENT', `${key.kind} is namespaced: say which namespace.`, { fix: 'Add -n NAMESPACE.' });
    const path = await mapper.objectPath({ apiVersion, kind: key.kind, namespace: resource.namespaced ? key.namespace : undefined, name: key.name }, signal);
    const normalized = resource.namespaced ? key : { ...key, namespace: undefined };
    return { key: normalized, client, mapper, resource, apiVersion, path };
  }

  /** The served version (the group's preferred one unless the key names one) and resource of a key's kind. */
  private async lookUp(mapper: ResourceMapper, key: ObjectKey, signal?: AbortSignal): Promise<{ apiVersion: string; resource: ResolvedResource }> {
    if (!key.version) return mapper.requireGroupKind(key.group, key.kind, signal);
    const apiVersion = key.group ? `${key.group}/${key.version}` : key.version;
    return { apiVersion, resource: await mapper.requireKind(apiVersion, key.kind, signal) };
  }

  private async read(r: Resolved, key: ObjectKey, signal?: AbortSignal): Promise<KubeObject> {
    try {
      return (await r.client.request<KubeObject>({ path: r.path, signal })).body;
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') {
        throw new AppError('NOT_FOUND', `${describe(key)} is not in ${key.context}.`, { fix: 'It may have been deleted; refresh the list.' });
      }
      throw error;
    }
  }

  private async events(r: Resolved, key: ObjectKey, signal?: AbortSignal) {
    const ns = r.resource.namespaced ? `/namespaces/${encodeURIComponent(key.namespace!)}` : '';
    try {
      const res = await r.client.request<{ items: KubeObject[] }>({
        path: `/api/v1${ns}/events`,
        query: { fieldSelector: `involvedObject.kind=${key.kind},involvedObject.name=${key.name}`, limit: 200 },
        signal,
      });
      return res.body.items.map(eventView).sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
    } catch (error) {
      // Events are context, not the object: a user who may not list them still sees the rest.
      if (error instanceof AppError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) return [];
      throw error;
    }
  }

  private async related(r: Resolved, object: KubeObject, signal?: AbortSignal): Promise<{ children: ObjectLink[]; pods: KubeObject[] }> {
    const plan = childQueries(r.apiVersion, object);
    const children: ObjectLink[] = [];
    // Objects read from the server always carry a uid.
    const uid = object.metadata.uid ?? '';
    const ownerUids = new Set([uid]);
    for (const q of plan.children) {
      const items = await this.list(r, q.apiVersion, q.kind, object.metadata.namespace, q.labelSelector, signal);
      for (const child of items.filter((c) => isOwnedBy(c, uid))) {
        children.push(childLink(child, q.kind, q.apiVersion.includes('/') ? q.apiVersion.split('/')[0]! : ''));
        ownerUids.add(child.metadata.uid ?? '');
      }
    }
    if (plan.pods === 'self') return { children, pods: [object] };
    if (!plan.pods) return { children, pods: [] };
    const { labelSelector, ownedOnly } = plan.pods;
    const selected = await this.list(r, 'v1', 'Pod', object.metadata.namespace, labelSelector, signal);
    const pods = ownedOnly ? selected.filter((p) => [...ownerUids].some((uid) => isOwnedBy(p, uid))) : selected;
    pods.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    // Pods owned by the object itself are its children too; those of a ReplicaSet are the ReplicaSet's.
    for (const p of pods) if (isOwnedBy(p, uid)) children.push(childLink(p, 'Pod', ''));
    return { children, pods };
  }

  private async list(r: Resolved, apiVersion: string, kind: string, namespace: string | undefined, labelSelector: string, signal?: AbortSignal): Promise<KubeObject[]> {
    try {
      const path = await r.mapper.objectPath({ apiVersion, kind, namespace }, signal);
      return (await r.client.request<{ items: KubeObject[] }>({ path, query: { labelSelector, limit: 500 }, signal })).body.items;
    } catch (error) {
      if (error instanceof AppError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) return [];
      throw error;
    }
  }

  /** Asks the server (SelfSubjectAccessReview) which of `ids` this user may do on the object. */
  private async actions(r: Resolved, key: ObjectKey, ids: ObjectActionId[], signal?: AbortSignal): Promise<ObjectActionView[]> {
    const reviews = new Map<string, Promise<{ allowed: boolean; reason?: string }>>();
    const review = (verb: string, subresource?: string) => {
      const id = `${verb}/${subresource ?? ''}`;
      if (!reviews.has(id)) reviews.set(id, this.accessReview(r, key, verb, subresource, signal));
      return reviews.get(id)!;
    };
    return Promise.all(
      ids.map(async (id) => {
        const { verb, subresource } = accessFor(id);
        const answer = await review(verb, subresource);
        return answer.allowed ? { id, allowed: true } : { id, allowed: false, reason: answer.reason };
      }),
    );
  }

  private async accessReview(r: Resolved, key: ObjectKey, verb: string, subresource: string | undefined, signal?: AbortSignal): Promise<{ allowed: boolean; reason?: string }> {
    const resourceAttributes = {
      verb,
      group: key.group,
      resource: r.resource.plural,
      ...(subresource ? { subresource } : {}),
      ...(r.resource.namespaced ? { namespace: key.namespace } : {}),
      name: key.name,
    };
    try {
      const res = await r.client.request<{ status?: { allowed?: boolean; denied?: boolean; reason?: string } }>({
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } },
        signal,
      });
      if (res.body.status?.allowed) return { allowed: true };
      const what = `${verb} ${r.resource.plural}${subresource ? `/${subresource}` : ''}`;
      return { allowed: false, reason: `RBAC does not let you ${what} here${res.body.status?.reason ? ` (${res.body.status.reason})` : ''}.` };
    } catch {
      // Unknown is not denied (an old server, a proxy that drops the review): the server decides when the action is tried.
      return { allowed: true };
    }
  }

  /** Greys out what the object's state makes pointless: resume when running, cordon when cordoned. */
  private withState(actions: ObjectActionView[], object: KubeObject, key: ObjectKey): ObjectActionView[] {
    const spec = asRecord(object.spec);
    const suspended = isSuspended(object);
    return actions.map((a) => {
      if (!a.allowed) return a;
      if (a.id === 'suspend' && suspended) return { ...a, allowed: false, reason: `${key.kind} ${key.name} is suspended already.` };
      if (a.id === 'resume' && !suspended) return { ...a, allowed: false, reason: `${key.kind} ${key.name} is not suspended.` };
      if (a.id === 'cordon' && spec.unschedulable === true) return { ...a, allowed: false, reason: `Node ${key.name} is cordoned already.` };
      if (a.id === 'uncordon' && spec.unschedulable !== true) return { ...a, allowed: false, reason: `Node ${key.name} is not cordoned.` };
      if (object.metadata.deletionTimestamp && a.id !== 'delete') return { ...a, allowed: false, reason: `${key.kind} ${key.name} is being deleted.` };
      return a;
    });
  }
}

const PAST: Record<ObjectActionId, string> = {
  delete: 'deleted',
  restart: 'restarted',
  scale: 'scaled',
  suspend: 'suspended',
  resume: 'resumed',
  cordon: 'cordoned',
  uncordon: 'uncordoned',
  edit: 'edited',
};

function actionId(action: ObjectAction): ObjectActionId {
  if (action.type === 'suspend') return action.suspend ? 'suspend' : 'resume';
  if (action.type === 'cordon') return action.cordon ? 'cordon' : 'uncordon';
  return action.type;
}

function isSuspended(object: KubeObject): boolean {
  const spec = asRecord(object.spec);
  return spec.suspend === true || asRecord(spec.runPolicy).suspend === true;
}

/** A 409 from server-side apply that names field managers (not a resourceVersion precondition). */
function isApplyConflict(error: unknown): boolean {
  if (!(error instanceof AppError) || error.code !== 'CONFLICT') return false;
  return /conflict with "/.test(error.message) || conflictInfo(error).managers.length > 0;
}

