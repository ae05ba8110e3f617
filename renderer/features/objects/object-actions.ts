/**
 * The details panel's action buttons and their confirmations, as data. Pure: each confirmation
 * names the object and the context, so a click on the wrong tab cannot go unnoticed.
 */
import type { ObjectAction, ObjectActionId, ObjectDetails } from '../../../shared/models/objects';

export interface ActionButton {
  id: ObjectActionId;
  label: string;
  disabled: boolean;
  /** Why it is greyed out (RBAC, state), shown as its tooltip and beside it. */
  reason?: string;
  danger?: boolean;
}

const LABELS: Record<ObjectActionId, string> = {
  edit: 'Edit YAML',
  scale: 'Scale',
  restart: 'Restart rollout',
  suspend: 'Suspend',
  resume: 'Resume',
  cordon: 'Cordon',
  uncordon: 'Uncordon',
  delete: 'Delete',
};

export function actionButtons(details: ObjectDetails): ActionButton[] {
  return details.actions.map((a) => ({ id: a.id, label: LABELS[a.id], disabled: !a.allowed, ...(a.reason ? { reason: a.reason } : {}), ...(a.id === 'delete' ? { danger: true } : {}) }));
}

export function objectTitle(details: Pick<ObjectDetails, 'key'>): string {
  const { kind, namespace, name } = details.key;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** The confirmation of an action: title, what it does, the button that does it. */
export function confirmation(id: Exclude<ObjectActionId, 'edit'>, details: ObjectDetails, replicas?: number): { title: string; body: string; confirm: string; action: ObjectAction } {
  const what = objectTitle(details);
  const where = `in context ${details.key.context}`;
  switch (id) {
    case 'delete':
      return { title: `Delete ${what}?`, body: `This deletes ${what} ${where}.${details.deleteWarning ? ` ${details.deleteWarning}` : ''}`, confirm: 'Delete', action: { type: 'delete' } };
    case 'scale': {
      const n = replicas ?? details.replicas ?? 1;
      return { title: `Scale ${what}?`, body: `This sets ${what} ${where} to ${n} replica${n === 1 ? '' : 's'} (now ${details.replicas ?? '?'}).`, confirm: 'Scale', action: { type: 'scale', replicas: n } };
    }
    case 'restart':
      return { title: `Restart ${what}?`, body: `This replaces every pod of ${what} ${where}, as a rolling update.`, confirm: 'Restart', action: { type: 'restart' } };
    case 'suspend':
      return { title: `Suspend ${what}?`, body: `This suspends ${what} ${where}: its running pods are stopped until it is resumed.`, confirm: 'Suspend', action: { type: 'suspend', suspend: true } };
    case 'resume':
      return { title: `Resume ${what}?`, body: `This resumes ${what} ${where}: its pods are created again.`, confirm: 'Resume', action: { type: 'suspend', suspend: false } };
    case 'cordon':
      return { title: `Cordon ${what}?`, body: `No new pods will be scheduled on ${what} ${where}; running pods stay.`, confirm: 'Cordon', action: { type: 'cordon', cordon: true } };
    case 'uncordon':
      return { title: `Uncordon ${what}?`, body: `New pods may be scheduled on ${what} ${where} again.`, confirm: 'Uncordon', action: { type: 'cordon', cordon: false } };
  }
}
