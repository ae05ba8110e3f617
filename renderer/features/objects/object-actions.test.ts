import { describe, expect, it } from 'vitest';
import type { ObjectDetails } from '../../../shared/models/objects';
import { actionButtons, confirmation } from './object-actions';

const details = (over: Partial<ObjectDetails> = {}): ObjectDetails => ({
  key: { context: 'kind-dev', group: '', version: 'v1', kind: 'PersistentVolumeClaim', namespace: 'ml', name: 'data' },
  plural: 'persistentvolumeclaims',
  uid: 'u1',
  yaml: '',
  managedFieldsShown: false,
  conditions: [],
  events: [],
  owners: [],
  children: [],
  pods: [],
  actions: [
    { id: 'edit', allowed: true },
    { id: 'delete', allowed: false, reason: 'RBAC does not let you delete persistentvolumeclaims here.' },
  ],
  ...over,
});

describe('object actions', () => {
  it('greys out what RBAC denies, with the reason, and marks delete as dangerous', () => {
    expect(actionButtons(details())).toEqual([
      { id: 'edit', label: 'Edit YAML', disabled: false },
      { id: 'delete', label: 'Delete', disabled: true, reason: 'RBAC does not let you delete persistentvolumeclaims here.', danger: true },
    ]);
  });

  it('a PVC delete names the object and the context and says the data goes', () => {
    const c = confirmation('delete', details({ deleteWarning: 'The data in this volume goes with it.' }));
    expect(c.title).toBe('Delete PersistentVolumeClaim ml/data?');
    expect(c.body).toBe('This deletes PersistentVolumeClaim ml/data in context kind-dev. The data in this volume goes with it.');
    expect(c.action).toEqual({ type: 'delete' });
  });

  it('scale says the new and the current count; suspend and cordon map to their actions', () => {
    const d = details({ key: { context: 'c', group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'it', name: 'web' }, replicas: 2 });
    expect(confirmation('scale', d, 1)).toMatchObject({ body: 'This sets Deployment it/web in context c to 1 replica (now 2).', action: { type: 'scale', replicas: 1 } });
    expect(confirmation('resume', d).action).toEqual({ type: 'suspend', suspend: false });
    expect(confirmation('uncordon', d).action).toEqual({ type: 'cordon', cordon: false });
  });
});
