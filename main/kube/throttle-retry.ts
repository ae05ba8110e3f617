import { AppError } from '../../shared/errors';
import { delay } from '../delay';

const MAX_ATTEMPTS = 6;
/** A server asking for longer is capped: the user sees progress, not a frozen apply. */
const MAX_RETRY_AFTER_S = 30;

/**
 * Runs `call`, retrying throttled answers (429, API priority and fairness) after their
 * Retry-After (1 s when absent), at most six attempts. Other errors are thrown at once.
 * `onRetry` is told each wait, so long operations can say why they pause.
 */
export async function withThrottleRetry<T>(call: () => Promise<T>, signal?: AbortSignal, onRetry?: (seconds: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const details = (error as AppError).details as { status?: number; retryAfterSeconds?: number } | undefined;
      if (!(error instanceof AppError) || details?.status !== 429 || attempt >= MAX_ATTEMPTS) throw error;
      const seconds = Math.min(MAX_RETRY_AFTER_S, Math.max(0, details.retryAfterSeconds ?? 1));
      onRetry?.(seconds);
      await delay(seconds * 1000, signal);
    }
  }
}
