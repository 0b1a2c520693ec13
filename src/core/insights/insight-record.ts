/**
 * The Insights records the detector writes: a Start when an incident is confirmed and an End
 * when it is over, linked by sharedEventID, as CloudTrail delivers them (eventType
 * AwsCloudTrailInsight, eventCategory Insight, insightDetails). IDs are derived from the
 * incident, so the same incident always yields the same records: a detector that redoes a pass
 * after a crash appends nothing twice (the event log skips a known eventID).
 */
import { nameBasedGuid } from '../ids.js';
import { isoSeconds } from '../time-format.js';
import { EVENT_VERSION } from '../record.js';
import type { CloudTrailRecord } from '../record.js';
import type { InsightSelector, SeriesKey } from './insight-types.js';

/** One attribute's top values, in the incident and in the baseline (calls per minute). */
export interface Attribution {
  attribute: 'userIdentityArn' | 'userAgent' | 'errorCode';
  insight: { value: string; average: number }[];
  baseline: { value: string; average: number }[];
}

export interface InsightRecordInput extends SeriesKey {
  state: 'Start' | 'End';
  /** The incident's first anomalous minute (epoch minute): its identity. */
  startMinute: number;
  /** Start: the incident's start; End: the end of its last anomalous minute (epoch ms). */
  eventTimeMs: number;
  baselineAverage: number;
  insightAverage: number;
  /** Minutes. */
  baselineDuration: number;
  insightDuration: number;
  attributions: Attribution[];
}

function incidentName(i: InsightRecordInput): string {
  return ['insight', i.accountId, i.region, i.category, i.eventSource, i.eventName, i.insightType, i.startMinute].join('\n');
}

/** Keeps a rate readable: CloudTrail reports averages as plain decimals. */
function rate(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function insightRecord(i: InsightRecordInput): CloudTrailRecord {
  const shared = nameBasedGuid(incidentName(i));
  return {
    eventVersion: EVENT_VERSION,
    eventTime: isoSeconds(i.eventTimeMs),
    awsRegion: i.region,
    eventID: nameBasedGuid(`${incidentName(i)}\n${i.state}`),
    eventType: 'AwsCloudTrailInsight',
    recipientAccountId: i.accountId,
    sharedEventID: shared,
    insightDetails: {
      state: i.state,
      eventSource: i.eventSource,
      eventName: i.eventName,
      insightType: i.insightType,
      // Not in CloudTrail's records (which only ever had management Insights until data ones came):
      // says which events the incident is about, so trails select by their insight selectors.
      eventCategory: i.category,
      insightContext: {
        statistics: {
          baseline: { average: rate(i.baselineAverage) },
          insight: { average: rate(i.insightAverage) },
          ...(i.state === 'End' && { insightDuration: i.insightDuration }),
          baselineDuration: i.baselineDuration,
        },
        attributions: i.attributions.map((a) => ({
          attribute: a.attribute,
          insight: a.insight.map((v) => ({ value: v.value, average: rate(v.average) })),
          baseline: a.baseline.map((v) => ({ value: v.value, average: rate(v.average) })),
        })),
      },
    },
    eventCategory: 'Insight',
  };
}

/**
 * Whether insight selectors ask for this Insights record: its type, and its category
 * (insightDetails.eventCategory, Management when absent, as on CloudTrail's own records).
 */
export function trailAsksForInsight(selectors: readonly InsightSelector[] | undefined, record: CloudTrailRecord): boolean {
  const details = (record.insightDetails ?? {}) as { insightType?: unknown; eventCategory?: unknown };
  const category = details.eventCategory === 'Data' ? 'Data' : 'Management';
  return (selectors ?? []).some((s) => s.InsightType === details.insightType && s.EventCategories.includes(category));
}
