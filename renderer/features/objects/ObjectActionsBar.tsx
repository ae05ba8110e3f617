import { useState } from 'react';
import type { ObjectActionId, ObjectDetails } from '../../../shared/models/objects';
import type { AppError } from '../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asAppError, useClient } from '../../rpc/client';
import { actionButtons, confirmation } from './object-actions';

/**
 * The object's actions. Each opens a confirmation naming the object and the context; what RBAC
 * denies is greyed out with the reason. A failure is shown in the dialog, where the user acted.
 */
export function ObjectActionsBar({ details, onDone, onEdit }: { details: ObjectDetails; onDone(message: string): void; onEdit(): void }) {
  const client = useClient();
  const [open, setOpen] = useState<Exclude<ObjectActionId, 'edit'>>();
  const [replicas, setReplicas] = useState(details.replicas ?? 1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const buttons = actionButtons(details);
  const dialog = open ? confirmation(open, details, replicas) : undefined;
  const close = () => {
    setOpen(undefined);
    setError(undefined);
  };
  const run = async () => {
    if (!dialog) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await client.call('objects.act', { key: details.key, action: dialog.action });
      close();
      onDone(result.message);
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="toolbar object-actions" role="toolbar" aria-label="Actions">
      {buttons.map((b) => (
        <span key={b.id} className="action">
          <button
            type="button"
            className={b.danger ? 'danger' : undefined}
            disabled={b.disabled}
            title={b.reason}
            aria-describedby={b.reason ? `reason-${b.id}` : undefined}
            onClick={() => {
              if (b.id === 'edit') return onEdit();
              setReplicas(details.replicas ?? 1);
              setOpen(b.id);
            }}
          >
            {b.label}
          </button>
          {b.reason && (
            <span id={`reason-${b.id}`} className="visually-hidden">
              {b.reason}
            </span>
          )}
        </span>
      ))}
      <Dialog
        title={dialog?.title ?? ''}
        open={Boolean(dialog)}
        onClose={close}
        actions={
          <>
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="button" className={open === 'delete' ? 'danger' : 'primary'} disabled={busy} onClick={() => void run()}>
              {busy ? 'Working…' : dialog?.confirm}
            </button>
          </>
        }
      >
        {open === 'scale' && (
          <label>
            Replicas{' '}
            <input type="number" min={0} max={100000} value={replicas} onChange={(e) => setReplicas(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
          </label>
        )}
        <p>{dialog?.body}</p>
        {error && <ErrorNotice error={error} />}
      </Dialog>
    </div>
  );
}
