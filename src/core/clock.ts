/**
 * Time is injected everywhere it matters (signature skew, retention, batching) so tests can
 * control it. Epoch milliseconds keep arithmetic simple; formatting lives with the formats.
 */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
