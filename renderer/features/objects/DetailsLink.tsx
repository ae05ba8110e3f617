import type { ObjectKey } from '../../../shared/models/objects';
import { objectHash } from '../../../shared/models/objects';

/** "Details" beside a row's own panel: the object's YAML, events, owners, children and actions. */
export function DetailsLink({ objectKey, label = 'Details' }: { objectKey: Omit<ObjectKey, 'version'>; label?: string }) {
  return (
    <a className="button-link" href={objectHash(objectKey)} title={`${label} of ${objectKey.kind} ${objectKey.name}`}>
      {label}
    </a>
  );
}

/** Opens an object's details (a row click in a table without a panel of its own). */
export function openObject(objectKey: Omit<ObjectKey, 'version'>): void {
  window.location.hash = objectHash(objectKey);
}
