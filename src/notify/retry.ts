/**
 * How notifications are retried (webhook and SNS alike): attempts with exponential backoff,
 * through p-retry. A NotificationError that is not retryable (the receiver refused the request)
 * ends the retries at once.
 */
import pRetry, { AbortError } from 'p-retry';
import { NotificationError } from './notification.js';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** Wait before the second attempt; it doubles after each. */
  firstDelayMs: number;
}

/** 5 attempts, waiting 1 s, 2 s, 4 s and 8 s between them. */
export const NOTIFICATION_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 1_000 };

/** Runs `attempt(n)` (n from 1) until it resolves; rejects with the last attempt's error. */
export async function withRetries<T>(attempt: (attemptNumber: number) => Promise<T>, policy: RetryPolicy = NOTIFICATION_RETRY): Promise<T> {
  return pRetry(
    async (attemptNumber) => {
      try {
        return await attempt(attemptNumber);
      } catch (error) {
        if (error instanceof NotificationError && !error.retryable) throw new AbortError(error);
        throw error;
      }
    },
    { retries: Math.max(0, policy.attempts - 1), minTimeout: policy.firstDelayMs, factor: 2, maxTimeout: Number.POSITIVE_INFINITY, randomize: false },
  );
}
