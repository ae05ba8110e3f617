import type { AppError } from '../../shared/errors';

/** An error as the user should see it: what happened, what to do, and its code for reports. */
export function ErrorNotice({ error, onRetry }: { error: AppError; onRetry?: () => void }) {
  return (
    <div className="error-notice" role="alert">
      <p className="error-message">{error.message}</p>
      {error.fix && <p className="error-fix">{error.fix}</p>}
      <p className="error-code">
        <code>{error.code}</code>
        {onRetry && (
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        )}
      </p>
    </div>
  );
}
