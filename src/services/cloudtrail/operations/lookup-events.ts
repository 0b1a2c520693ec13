/**
 * LookupEvents: the event history of the caller's account in the request's region, newest
 * first. Beyond CloudTrail, several LookupAttributes may be given and are ANDed, and there is
 * no 2-requests-per-second cap.
 */
import type { LookupAttributeKey } from '../../../core/lookup-keys.js';
import { LOOKUP_ATTRIBUTE_KEYS } from '../../../core/lookup-keys.js';
import { decodePageToken, encodePageToken, queryFingerprint } from '../../../core/next-token.js';
import type { LookupAttribute, LookupQuery } from '../../../store/event-store.js';
import { clientError } from '../../../api/errors.js';
import type { LookupEventsRequest, LookupEventsResponse } from '../model.gen.js';
import type { OperationSpec } from './operation-spec.js';
import { toEvent } from './event-shape.js';

const DAY_MS = 86_400_000;
/** More than CloudTrail's one attribute; bounded so a query stays an index walk plus filters. */
export const MAX_LOOKUP_ATTRIBUTES = 8;
const INSIGHT_KEYS: readonly LookupAttributeKey[] = ['EventId', 'EventName', 'EventSource'];

function isLookupKey(key: unknown): key is LookupAttributeKey {
  return typeof key === 'string' && (LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key);
}

/** CloudTrail counts `_`, space, `,` and newline twice against the 2000-character limit. */
function weightedLength(value: string): number {
  let length = 0;
  for (const ch of value) length += ch === '_' || ch === ' ' || ch === ',' || ch === '\n' ? 2 : 1;
  return length;
}

function lookupAttributes(input: LookupEventsRequest, insights: boolean): LookupAttribute[] {
  const given = input.LookupAttributes ?? [];
  if (given.length > MAX_LOOKUP_ATTRIBUTES) {
    throw clientError('InvalidLookupAttributesException', `At most ${MAX_LOOKUP_ATTRIBUTES} lookup attributes can be given.`);
  }
  return given.map(({ AttributeKey: key, AttributeValue: value }) => {
    if (!isLookupKey(key)) {
      throw clientError(
        'InvalidLookupAttributesException',
        `Invalid attribute key: ${String(key)}. Valid keys are ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}.`,
      );
    }
    if (insights && !INSIGHT_KEYS.includes(key)) {
      throw clientError('InvalidLookupAttributesException', `${key} cannot be used with EventCategory insight.`);
    }
    if (value.length === 0 || weightedLength(value) > 2000) {
      throw clientError('InvalidLookupAttributesException', 'Attribute value must be 1 to 2000 characters long.');
    }
    return { key, value };
  });
}

function maxResults(input: LookupEventsRequest): number {
  const value = input.MaxResults ?? 50;
  if (!Number.isInteger(value) || value < 1 || value > 50) {
    throw clientError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
  }
  return value;
}

function timeRange(input: LookupEventsRequest, nowMs: number, retentionDays: number): { startMs: number; endMs: number } {
  const oldest = nowMs - retentionDays * DAY_MS;
  const startMs = input.StartTime === undefined ? oldest : input.StartTime * 1000;
  const endMs = input.EndTime === undefined ? nowMs : input.EndTime * 1000;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || Math.abs(startMs) > 8.64e15 || Math.abs(endMs) > 8.64e15) {
    throw clientError('InvalidTimeRangeException', 'StartTime and EndTime must be valid times.');
  }
  if (startMs > endMs) throw clientError('InvalidTimeRangeException', 'StartTime must be before EndTime.');
  // Only the retention window is searchable; events older than it may already be purged.
  return { startMs: Math.max(Math.floor(startMs), oldest), endMs: Math.floor(endMs) };
}

/** Which events of the caller's history a LookupEvents input asks for, paging aside. */
export type HistoryFilter = Pick<LookupQuery, 'attributes' | 'startMs' | 'endMs' | 'insights'>;

/**
 * The filter of a LookupEvents input (attributes, time range within the retention window,
 * category), checked with LookupEvents' errors. Also what the console's download, live tail and
 * GetEventVolume filter by, so they match exactly what LookupEvents would answer.
 */
export function historyFilterOf(input: LookupEventsRequest, nowMs: number, retentionDays: number): HistoryFilter {
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight') {
    throw clientError('InvalidEventCategoryException', 'EventCategory must be insight.');
  }
  const insights = input.EventCategory === 'insight';
  return { attributes: lookupAttributes(input, insights), ...timeRange(input, nowMs, retentionDays), insights };
}

export const lookupEvents: OperationSpec<'LookupEvents'> = {
  async handle(input, context): Promise<LookupEventsResponse> {
    const filter = historyFilterOf(input, context.nowMs, context.services.retentionDays);
    const limit = maxResults(input);
    const fingerprint = queryFingerprint([input.LookupAttributes ?? [], input.StartTime, input.EndTime, input.EventCategory]);
    const events = context.services.events;

    let maxSeq: number;
    let after: LookupQuery['after'];
    if (input.NextToken !== undefined) {
      const token = decodePageToken(input.NextToken);
      if (token === undefined || token.fingerprint !== fingerprint) {
        throw clientError('InvalidNextTokenException', 'Invalid NextToken: it is malformed or was issued for other parameters.');
      }
      maxSeq = token.maxSeq;
      after = { timeMs: token.timeMs, seq: token.seq };
    } else {
      maxSeq = await events.lastSeq();
    }

    const query: LookupQuery = {
      accountId: context.caller.accountId,
      region: context.region,
      ...filter,
      maxSeq,
      ...(after && { after }),
      limit: limit + 1,
    };
    const rows = await events.lookup(query);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const more = rows.length > limit && last !== undefined;
    return {
      Events: page.map((row) => toEvent(row.json)),
      ...(more && { NextToken: encodePageToken({ fingerprint, timeMs: last.timeMs, seq: last.seq, maxSeq }) }),
    };
  },
};
