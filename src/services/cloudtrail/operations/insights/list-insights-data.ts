/**
 * ListInsightsData: the Insights events of a trail (InsightSource, its ARN), newest first, in
 * LookupEvents' Event shape and paging. They are the Insights records of the trail's account in
 * its home region that the trail's insight selectors ask for: the record's
 * `insightDetails.insightType` on its category, which is `insightDetails.eventCategory`
 * ('Management' | 'Data', what the detector writes) or Management when the record has none.
 * A trail without insight selectors has no Insights events.
 */
import { ServiceError, clientError } from '../../../../api/errors.js';
import type { OperationContext } from '../../../../api/operation-context.js';
import { trailAsksForInsight } from '../../../../core/insights/insight-record.js';
import type { LookupAttributeKey } from '../../../../core/lookup-keys.js';
import { decodePageToken, encodePageToken, queryFingerprint } from '../../../../core/next-token.js';
import type { CloudTrailRecord } from '../../../../core/record.js';
import type { LookupAttribute, LookupPosition, LookupQuery, StoredEvent } from '../../../../store/event-store.js';
import type { Trail } from '../../../../store/trail-store.js';
import type { Event, ListInsightsDataRequest, ListInsightsDataResponse } from '../../model.gen.js';
import { eventOf } from '../event-shape.js';
import type { OperationSpec } from '../operation-spec.js';
import { findTrail } from '../trails/find-trail.js';

const DAY_MS = 86_400_000;
const DIMENSION_KEYS: readonly LookupAttributeKey[] = ['EventId', 'EventName', 'EventSource'];
/** Records read from the log per round while filtering by the trail's insight selectors. */
const BATCH = 200;

function invalid(message: string): ServiceError {
  return clientError('InvalidParameterException', message);
}

async function sourceTrail(source: string, context: OperationContext): Promise<Trail> {
  if (!source.startsWith('arn:')) throw invalid(`InsightSource must be a trail ARN: ${source}`);
  try {
    return await findTrail(source, context);
  } catch (error) {
    if (error instanceof ServiceError && (error.code === 'TrailNotFoundException' || error.code === 'CloudTrailARNInvalidException')) {
      throw invalid(`InsightSource ${source} is not a trail of account ${context.caller.accountId}.`);
    }
    throw error;
  }
}

function dimensions(input: ListInsightsDataRequest): LookupAttribute[] {
  if (input.Dimensions === undefined) return [];
  const entries = Object.entries(input.Dimensions);
  if (entries.length !== 1) throw invalid('Dimensions must have exactly one of EventId, EventName, EventSource.');
  const [key, value] = entries[0]!;
  if (!(DIMENSION_KEYS as readonly string[]).includes(key)) throw invalid(`Invalid dimension: ${key}. Valid dimensions are ${DIMENSION_KEYS.join(', ')}.`);
  if (value.length < 1 || value.length > 2000) throw invalid('A dimension value must be 1 to 2000 characters long.');
  return [{ key: key as LookupAttributeKey, value }];
}

function timeRange(input: ListInsightsDataRequest, context: OperationContext): { startMs: number; endMs: number } {
  const oldest = context.nowMs - context.services.retentionDays * DAY_MS;
  const startMs = input.StartTime === undefined ? oldest : input.StartTime * 1000;
  const endMs = input.EndTime === undefined ? context.nowMs : input.EndTime * 1000;
  if (![startMs, endMs].every((t) => Number.isFinite(t) && Math.abs(t) <= 8.64e15)) throw invalid('StartTime and EndTime must be valid times.');
  if (startMs > endMs) throw invalid('StartTime must be before EndTime.');
  return { startMs: Math.max(Math.floor(startMs), oldest), endMs: Math.floor(endMs) };
}

function selectedEvent(row: StoredEvent, trail: Trail): Event | undefined {
  const record = JSON.parse(row.json) as CloudTrailRecord;
  return trailAsksForInsight(trail.insightSelectors, record) ? eventOf(record, row.json) : undefined;
}

export const listInsightsData: OperationSpec<'ListInsightsData'> = {
  authorizationResource: (input) => (typeof input.InsightSource === 'string' && input.InsightSource.startsWith('arn:') ? input.InsightSource : '*'),
  async handle(input, context): Promise<ListInsightsDataResponse> {
    if (input.DataType !== 'InsightsEvents') throw invalid(`Invalid DataType: ${String(input.DataType)}. The only DataType is InsightsEvents.`);
    const limit = input.MaxResults ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw invalid('MaxResults must be between 1 and 50.');
    const trail = await sourceTrail(input.InsightSource, context);
    const attributes = dimensions(input);
    const range = timeRange(input, context);
    const fingerprint = queryFingerprint([input.InsightSource, input.Dimensions ?? {}, input.StartTime, input.EndTime]);

    let maxSeq: number;
    let after: LookupPosition | undefined;
    if (input.NextToken !== undefined) {
      const token = decodePageToken(input.NextToken);
      if (token === undefined || token.fingerprint !== fingerprint) throw invalid('Invalid NextToken: it is malformed or was issued for other parameters.');
      maxSeq = token.maxSeq;
      after = { timeMs: token.timeMs, seq: token.seq };
    } else {
      maxSeq = await context.services.events.lastSeq();
    }
    if ((trail.insightSelectors ?? []).length === 0) return { Events: [] };

    // One more than a page, to know whether there is a next one; filtering means reading on.
    const found: { event: Event; position: LookupPosition }[] = [];
    for (;;) {
      const query: LookupQuery = { accountId: trail.accountId, region: trail.homeRegion, attributes, ...range, insights: true, maxSeq, ...(after && { after }), limit: BATCH };
      const rows = await context.services.events.lookup(query);
      for (const row of rows) {
        const event = selectedEvent(row, trail);
        if (event !== undefined) found.push({ event, position: { timeMs: row.timeMs, seq: row.seq } });
        if (found.length > limit) break;
      }
      const last = rows[rows.length - 1];
      if (found.length > limit || rows.length < BATCH || last === undefined) break;
      after = { timeMs: last.timeMs, seq: last.seq };
    }
    const page = found.slice(0, limit);
    const end = page[page.length - 1];
    const more = found.length > limit && end !== undefined;
    return {
      Events: page.map((f) => f.event),
      ...(more && { NextToken: encodePageToken({ fingerprint, ...end.position, maxSeq }) }),
    };
  },
};
