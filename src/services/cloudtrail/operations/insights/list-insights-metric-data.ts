/**
 * ListInsightsMetricData: the series the Insights detector counts for one API (calls for
 * ApiCallRateInsight, errors for ApiErrorRateInsight, optionally of one ErrorCode), summed into
 * epoch-aligned periods (core/insights/metric-periods.ts), ascending. With TrailName the series
 * is of the trail's account and home region; without, of the caller's account in the request's
 * region. Timestamps are epoch seconds, like every date in CloudTrail's JSON responses.
 *
 * Paging: a NextToken holds the start of the next period and the end of the range the first
 * page fixed (so a default EndTime of "now" does not move between pages).
 */
import { clientError } from '../../../../api/errors.js';
import type { ServiceError } from '../../../../api/errors.js';
import { INSIGHT_TYPES } from '../../../../core/insights/insight-types.js';
import { sumIntoPeriods } from '../../../../core/insights/metric-periods.js';
import { decodePageToken, encodePageToken, queryFingerprint } from '../../../../core/next-token.js';
import type { ListInsightsMetricDataResponse } from '../../model.gen.js';
import type { OperationSpec } from '../operation-spec.js';
import { findTrail, trailResource } from '../trails/find-trail.js';

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_MS = 90 * DAY_MS;
const MAX_RESULTS = 21_600;

function invalid(message: string): ServiceError {
  return clientError('InvalidParameterException', message);
}

function validTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;
}

export const listInsightsMetricData: OperationSpec<'ListInsightsMetricData'> = {
  authorizationResource: (input, context) => (input.TrailName === undefined ? '*' : trailResource(input.TrailName, context)),
  async handle(input, context): Promise<ListInsightsMetricDataResponse> {
    if (!(INSIGHT_TYPES as readonly string[]).includes(input.InsightType)) {
      throw invalid(`Invalid InsightType: ${String(input.InsightType)}. Valid types are ${INSIGHT_TYPES.join(', ')}.`);
    }
    if (input.ErrorCode !== undefined && input.InsightType !== 'ApiErrorRateInsight') throw invalid('ErrorCode can be given only with ApiErrorRateInsight.');
    if (input.EventSource.length === 0 || input.EventName.length === 0) throw invalid('EventSource and EventName must not be empty.');
    const dataType = input.DataType ?? 'FillWithZeros';
    if (dataType !== 'FillWithZeros' && dataType !== 'NonZeroData') throw invalid(`Invalid DataType: ${String(dataType)}. Valid types are FillWithZeros, NonZeroData.`);
    const period = input.Period ?? 3600;
    if (!Number.isInteger(period) || period < 60 || period > 3600 || period % 60 !== 0) throw invalid('Period must be a multiple of 60 seconds between 60 and 3600.');
    const limit = input.MaxResults ?? MAX_RESULTS;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) throw invalid(`MaxResults must be between 1 and ${MAX_RESULTS}.`);

    const endGiven = input.EndTime === undefined ? context.nowMs : input.EndTime * 1000;
    const startMs = input.StartTime === undefined ? endGiven - DEFAULT_RANGE_MS : input.StartTime * 1000;
    if (!validTime(startMs) || !validTime(endGiven)) throw invalid('StartTime and EndTime must be valid times.');
    if (startMs >= endGiven) throw invalid('StartTime must be before EndTime.');

    const trail = input.TrailName === undefined ? undefined : await findTrail(input.TrailName, context);
    const fingerprint = queryFingerprint([input.TrailName, input.EventSource, input.EventName, input.InsightType, input.ErrorCode, input.StartTime, input.EndTime, period, dataType]);
    let fromMs = Math.floor(startMs);
    let endMs = Math.floor(endGiven);
    if (input.NextToken !== undefined) {
      const token = decodePageToken(input.NextToken);
      if (token === undefined || token.fingerprint !== fingerprint || token.timeMs < fromMs) throw invalid('Invalid NextToken: it is malformed or was issued for other parameters.');
      fromMs = token.timeMs;
      endMs = token.maxSeq;
    }

    const minutes = await context.services.insights.minuteValues({
      accountId: trail?.accountId ?? context.caller.accountId,
      region: trail?.homeRegion ?? context.region,
      eventSource: input.EventSource,
      eventName: input.EventName,
      insightType: input.InsightType,
      ...(input.ErrorCode !== undefined && { errorCode: input.ErrorCode }),
      startMs: fromMs,
      endMs,
    });
    const periods = sumIntoPeriods(minutes, { startMs: fromMs, endMs, periodMs: period * 1000, fillWithZeros: dataType === 'FillWithZeros' });
    const page = periods.slice(0, limit);
    const next = periods[limit];
    return {
      ...(trail !== undefined && { TrailARN: trail.trailArn }),
      EventSource: input.EventSource,
      EventName: input.EventName,
      InsightType: input.InsightType,
      ...(input.ErrorCode !== undefined && { ErrorCode: input.ErrorCode }),
      Timestamps: page.map((p) => p.startMs / 1000),
      Values: page.map((p) => p.value),
      ...(next !== undefined && { NextToken: encodePageToken({ fingerprint, timeMs: next.startMs, seq: 0, maxSeq: endMs }) }),
    };
  },
};
