/** How messages and keys name resources and kinds. Pure. */
import type { ResourceRef } from '../../../shared/models/views-watch';
import { groupOf } from './paths';

/** A readable name of a plural ref: `pods`, `pytorchjobs.kubeflow.org` (as kubectl spells it). */
export function displayName(ref: ResourceRef): string {
  return ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
}

/** `group/Kind`, the same for every version of a kind (core kinds as `v1/Kind`). */
export function groupKind(apiVersion: string, kind: string): string {
  return `${groupOf(apiVersion) || 'v1'}/${kind}`;
}
