import { AppError, toAppError } from '../../../shared/errors';

function statusOf(error: AppError): number | undefined {
  const status = (error.details as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** 410 Gone: the resourceVersion (or continue token) is too old; the cache must be rebuilt. */
export function isGone(error: unknown): boolean {
  return error instanceof AppError && statusOf(error) === 410;
}

/** Seconds the server asked us to wait (429 Retry-After), if any. */
export function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof AppError) || statusOf(error) !== 429) return undefined;
  const seconds = (error.details as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export function isForbidden(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'FORBIDDEN' || error.code === 'UNAUTHORIZED');
}

/** The collection's path answered 404: the server does not serve this kind (CRD not installed). */
export function isNotServed(error: unknown): boolean {
  return error instanceof AppError && error.code === 'NOT_FOUND';
}

/** A `Status` object received inside a watch stream as an ERROR event. */
export function watchErrorEvent(status: { code?: number; message?: string; reason?: string }, context: string, path: string): AppError {
  const code = status.code ?? 500;
  return new AppError(code === 410 ? 'KUBE_API_ERROR' : code === 403 ? 'FORBIDDEN' : 'KUBE_API_ERROR', `${context}: ${status.message ?? `watch error ${code}`}`, {
    details: { status: code, reason: status.reason, path },
  });
}

export { toAppError };
