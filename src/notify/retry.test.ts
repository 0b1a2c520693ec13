import { describe, expect, it } from 'vitest';
import { NotificationError } from './notification.js';
import { withRetries } from './retry.js';

const fast = { attempts: 4, firstDelayMs: 1 };

describe('withRetries', () => {
  it('tries again until an attempt succeeds', async () => {
    const seen: number[] = [];
    const result = await withRetries(async (n) => {
      seen.push(n);
      if (n < 3) throw new NotificationError(`busy ${n}`, { retryable: true });
      return 'ok';
    }, fast);
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives up after the policy’s attempts with the last error', async () => {
    let calls = 0;
    const error = await withRetries(async () => Promise.reject(new Error(`down ${++calls}`)), fast).catch((e: unknown) => e);
    expect((error as Error).message).toBe('down 4');
    expect(calls).toBe(4);
  });

  it('stops at once on an error that is not retryable', async () => {
    let calls = 0;
    const error = await withRetries(async () => {
      calls++;
      return Promise.reject(new NotificationError('refused', { retryable: false }));
    }, fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationError);
    expect((error as NotificationError).message).toBe('refused');
    expect(calls).toBe(1);
  });
});
