/**
 * GetEventVolume {LookupAttributes?, StartTime?, EndTime?, EventCategory?} → {Period, Buckets:
 * [{StartTime, Count}]}: how many events of the caller's history in the request's region match a
 * LookupEvents filter, per period. The filter is LookupEvents' own (same attributes, same
 * errors, same retention window), counted in the store rather than read, so a chart over a
 * million events is one indexed count. Periods with no events are left out.
 */
import { clientError } from '../../api/errors.js';
import type { LookupEventsRequest } from '../cloudtrail/model.gen.js';
import { historyFilterOf } from '../cloudtrail/operations/lookup-events.js';
import type { OpenTrailOperation } from './operation.js';

/** Whole minutes to days: the smallest that gives at most MAX_BUCKETS periods over the range. */
const PERIODS_SECONDS = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400] as const;
const MAX_BUCKETS = 120;

export function periodFor(rangeMs: number): number {
  return PERIODS_SECONDS.find((p) => rangeMs / (p * 1000) <= MAX_BUCKETS) ?? 7 * 86_400;
}

/** The raw input checked against LookupEvents' member types (this protocol has no generated model). */
function lookupInput(input: Record<string, unknown>): LookupEventsRequest {
  const { LookupAttributes: attributes, StartTime: start, EndTime: end, EventCategory: category } = input;
  for (const [name, value] of [['StartTime', start], ['EndTime', end]] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw clientError('ValidationException', `${name} must be a time in epoch seconds.`);
    }
  }
  if (category !== undefined && typeof category !== 'string') throw clientError('ValidationException', 'EventCategory must be a string.');
  if (attributes !== undefined) {
    const wellFormed =
      Array.isArray(attributes) &&
      attributes.every((a: unknown) => {
        const attribute = a as Record<string, unknown> | null;
        return typeof attribute === 'object' && attribute !== null && typeof attribute.AttributeKey === 'string' && typeof attribute.AttributeValue === 'string';
      });
    if (!wellFormed) throw clientError('ValidationException', 'LookupAttributes must be a list of {AttributeKey, AttributeValue} strings.');
  }
  return input;
}

export const getEventVolume: OpenTrailOperation = {
  authorizationResource: () => '*',
  async handle(input, context) {
    const filter = historyFilterOf(lookupInput(input), context.nowMs, context.services.retentionDays);
    const periodSeconds = periodFor(filter.endMs - filter.startMs);
    const buckets = await context.services.events.volume(
      { accountId: context.caller.accountId, region: context.region, ...filter, maxSeq: await context.services.events.lastSeq() },
      periodSeconds * 1000,
    );
    return { Period: periodSeconds, Buckets: buckets.map((b) => ({ StartTime: Math.floor(b.startMs / 1000), Count: b.count })) };
  },
};
