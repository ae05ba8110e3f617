import type { AppError } from '../../shared/errors';
import type { ConflictInfo } from '../../shared/models/promote';

interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

/**
 * Reads a server-side apply conflict (HTTP 409) into the managers that own the contested fields.
 * The API server names them in `details.causes[].message` ("conflict with \"kubectl\" using
 * apps/v1") and the field in `details.causes[].field` (".spec.replicas").
 */
export function conflictInfo(error: AppError): ConflictInfo {
  const details = (error.details ?? {}) as { kubeDetails?: { causes?: StatusCause[] } };
  const causes = details.kubeDetails?.causes ?? [];
  const managers = new Set<string>();
  const fields: string[] = [];
  for (const cause of causes) {
    const manager = /conflict with "([^"]+)"/.exec(cause.message ?? '')?.[1];
    if (manager) managers.add(manager);
    if (cause.field) fields.push(cause.field.replace(/^\./, ''));
  }
  // Older servers put everything in the message only.
  if (managers.size === 0) for (const m of error.message.matchAll(/conflict with "([^"]+)"/g)) managers.add(m[1]!);
  return { managers: [...managers], fields, message: error.message.replace(/^[^:]+: /, '') };
}
