/**
 * PutLogEvents' limits (CloudWatch Logs API reference): at most 10,000 events and 1,048,576
 * bytes per call, counting each event's UTF-8 message plus 26 bytes; events in chronological
 * order within a call, spanning at most 24 hours; one event at most 256 KiB with its overhead.
 * CloudTrail does not send larger events to CloudWatch Logs; neither does OpenTrail.
 */
import type { ForwardedEvent } from './log-destination.js';

export const MAX_EVENTS_PER_CALL = 10_000;
export const MAX_BYTES_PER_CALL = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;
export const MAX_EVENT_BYTES = 256 * 1024;
const MAX_SPAN_MS = 24 * 3600 * 1000;

export function eventBytes(event: ForwardedEvent): number {
  return Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
}

/** The events too large for CloudWatch Logs, and the rest in calls within every limit. */
export function putLogEventsBatches(events: readonly ForwardedEvent[]): { batches: ForwardedEvent[][]; tooLarge: ForwardedEvent[] } {
  const tooLarge: ForwardedEvent[] = [];
  const sized: { event: ForwardedEvent; bytes: number }[] = [];
  for (const event of events) {
    const bytes = eventBytes(event);
    if (bytes > MAX_EVENT_BYTES) tooLarge.push(event);
    else sized.push({ event, bytes });
  }
  // Stable: records of one second keep their log order.
  sized.sort((a, b) => a.event.timestamp - b.event.timestamp);
  const batches: ForwardedEvent[][] = [];
  let current: ForwardedEvent[] = [];
  let bytes = 0;
  for (const item of sized) {
    const full =
      current.length === MAX_EVENTS_PER_CALL || bytes + item.bytes > MAX_BYTES_PER_CALL || (current.length > 0 && item.event.timestamp - current[0]!.timestamp > MAX_SPAN_MS);
    if (full) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item.event);
    bytes += item.bytes;
  }
  if (current.length > 0) batches.push(current);
  return { batches, tooLarge };
}
