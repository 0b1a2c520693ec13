/** The retention worker's pass: history, expired sessions, and hosted log events past their group's retention. */
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { ManualClock } from '../../test/support/manual-clock.js';
import { EXPIRED_SESSION_GRACE_MS, startRetentionWorker } from './retention.js';

const DAY = 86_400_000;

it('purges the history before the window, sessions past the grace, and log events by their groups, all at the clock time', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 15));
  const calls: string[] = [];
  const events = { purgeBefore: async (cutoff: number) => (calls.push(`history<${cutoff}`), 3) };
  const identity = { deleteSessionsExpiredBefore: async (cutoff: number) => (calls.push(`sessions<${cutoff}`), 0) };
  const logs = { purgeExpired: async (now: number) => (calls.push(`logs@${now}`), 7) };
  const worker = startRetentionWorker(events as never, 90, clock, pino({ level: 'silent' }), 3_600_000, identity, logs);
  worker.stop();
  // The pass it starts with, on the next turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  expect(calls).toHaveLength(3);
  calls.length = 0;
  expect(await worker.runOnce()).toBe(3);
  const now = clock.now();
  expect(calls).toEqual([`history<${now - 90 * DAY}`, `sessions<${now - EXPIRED_SESSION_GRACE_MS}`, `logs@${now}`]);
});
