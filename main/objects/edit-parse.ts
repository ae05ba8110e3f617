import { parseDocument } from 'yaml';
import { AppError } from '../../shared/errors';
import { groupOfApiVersion, type ObjectKey } from '../../shared/models/objects';
import type { KubeObject } from '../../shared/models/views-watch';

/** `Deployment it/web`, `Node kind-dev-worker`. */
export function describeObject(key: Pick<ObjectKey, 'kind' | 'namespace' | 'name'>): string {
  return `${key.kind} ${key.namespace ? `${key.namespace}/` : ''}${key.name}`;
}

/**
 * Parses an edited object. It must be one YAML document of the same object: a changed kind,
 * name or namespace would apply to another object, which an edit must never do. managedFields
 * and resourceVersion are dropped: server-side apply tracks ownership itself.
 */
export function parseEdit(yaml: string, key: ObjectKey): KubeObject {
  const doc = parseDocument(yaml);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    throw new AppError('INVALID_ARGUMENT', `The YAML does not parse${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0]}`, { fix: 'Fix the YAML and try again; nothing was changed.' });
  }
  const object = doc.toJS() as KubeObject | null;
  if (!object || typeof object !== 'object' || Array.isArray(object) || typeof object.metadata !== 'object' || object.metadata === null) {
    throw new AppError('INVALID_ARGUMENT', 'The YAML is not a Kubernetes object (it needs apiVersion, kind and metadata).', { fix: 'Reload the YAML and edit again; nothing was changed.' });
  }
  const group = typeof object.apiVersion === 'string' ? groupOfApiVersion(object.apiVersion) : undefined;
  const same = group === key.group && object.kind === key.kind && object.metadata.name === key.name && (object.metadata.namespace || undefined) === (key.namespace || undefined);
  if (!same) {
    throw new AppError('INVALID_ARGUMENT', `An edit must keep the object's apiVersion group, kind, name and namespace (${describeObject(key)}).`, { fix: 'To make another object, use Apply instead; nothing was changed.' });
  }
  delete object.metadata.managedFields;
  // Without it, a status update or a write to another field since the YAML was loaded does not
  // fail the edit; a field someone else changed and the edit sends back is a conflict instead.
  delete object.metadata.resourceVersion;
  return object;
}
