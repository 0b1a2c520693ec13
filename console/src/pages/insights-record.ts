// What the Insights page reads of an Insights event's record (insightDetails).
import { parseRecord } from '../format';
import type { CloudTrailEventSummary } from '../types';

export interface InsightSummary {
  eventId: string;
  /** The Start and End records of one insight share it. */
  sharedEventId: string;
  time: number;
  state: string;
  eventSource: string;
  eventName: string;
  insightType: string;
  errorCode?: string;
  baseline?: number;
  insight?: number;
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function average(statistics: Record<string, unknown>, key: string): number | undefined {
  const value = object(statistics[key]).average;
  return typeof value === 'number' ? value : undefined;
}

export function insightOf(event: CloudTrailEventSummary): InsightSummary {
  const record = parseRecord(event.CloudTrailEvent) ?? {};
  const details = object(record.insightDetails);
  const statistics = object(object(details.insightContext).statistics);
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const errorCode = text(details.errorCode);
  return {
    eventId: event.EventId ?? '',
    sharedEventId: text(record.sharedEventID),
    time: event.EventTime ?? 0,
    state: text(details.state),
    eventSource: text(details.eventSource),
    eventName: text(details.eventName),
    insightType: text(details.insightType),
    ...(errorCode !== '' ? { errorCode } : {}),
    ...(average(statistics, 'baseline') !== undefined ? { baseline: average(statistics, 'baseline') } : {}),
    ...(average(statistics, 'insight') !== undefined ? { insight: average(statistics, 'insight') } : {}),
  };
}
