import type { DoctorCheck } from '../../../../shared/models/doctor';
import { StatusBadge } from '../../../components/StatusBadge';
import { checkTone } from '../create/create-form';

/** Doctor and preflight checks: status, what was found, and the one-line fix for problems. */
export function ChecksList({ checks, label }: { checks: DoctorCheck[]; label: string }) {
  return (
    <ul className="checks" aria-label={label}>
      {checks.map((c) => (
        <li key={c.id} data-check={c.id} data-status={c.status}>
          <StatusBadge tone={checkTone(c.status)}>{c.status}</StatusBadge>
          <div>
            <div className="check-title">{c.title}</div>
            <div className="cell-detail">{c.detail}</div>
            {c.fix && (c.status === 'fail' || c.status === 'warn') && (
              <div className="check-fix">
                Fix: <code>{c.fix}</code>
              </div>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
