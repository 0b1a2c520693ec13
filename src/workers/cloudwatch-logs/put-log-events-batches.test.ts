import { describe, expect, it } from 'vitest';
import type { ForwardedEvent } from './log-destination.js';
import { EVENT_OVERHEAD_BYTES, MAX_BYTES_PER_CALL, MAX_EVENT_BYTES, MAX_EVENTS_PER_CALL, putLogEventsBatches } from './put-log-events-batches.js';

const ev = (i: number, bytes = 10, timestamp = 1_000 + i): ForwardedEvent => ({ timestamp, message: 'x'.repeat(bytes), eventId: `e${i}` });

describe('putLogEventsBatches', () => {
  it('keeps each call within 10,000 events', () => {
    const { batches } = putLogEventsBatches(Array.from({ length: 25_001 }, (_, i) => ev(i)));
    expect(batches.map((b) => b.length)).toEqual([MAX_EVENTS_PER_CALL, MAX_EVENTS_PER_CALL, 5_001]);
  });

  it('keeps each call within 1 MiB counting 26 bytes per event', () => {
    const size = 100_000 - EVENT_OVERHEAD_BYTES;
    const { batches } = putLogEventsBatches(Array.from({ length: 25 }, (_, i) => ev(i, size)));
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    for (const batch of batches) expect(batch.reduce((n, e) => n + e.message.length + EVENT_OVERHEAD_BYTES, 0)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
  });

  it('sorts by timestamp, stable within one, and cuts calls spanning more than 24 hours', () => {
    const hour = 3_600_000;
    const { batches } = putLogEventsBatches([ev(1, 10, 5), ev(2, 10, 1), ev(3, 10, 1), ev(4, 10, 25 * hour)]);
    expect(batches.map((b) => b.map((e) => e.eventId))).toEqual([['e2', 'e3', 'e1'], ['e4']]);
  });

  it('leaves out events over 256 KiB (CloudTrail does not send them either)', () => {
    const { batches, tooLarge } = putLogEventsBatches([ev(1), ev(2, MAX_EVENT_BYTES), ev(3)]);
    expect(tooLarge.map((e) => e.eventId)).toEqual(['e2']);
    expect(batches.flat().map((e) => e.eventId)).toEqual(['e1', 'e3']);
  });

  it('makes no call for no events', () => {
    expect(putLogEventsBatches([])).toEqual({ batches: [], tooLarge: [] });
  });
});
