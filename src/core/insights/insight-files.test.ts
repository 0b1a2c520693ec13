/** Insights records in delivery: their own files under CloudTrail-Insight/, for trails whose insight selectors ask for them. */
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../store/event-store.js';
import type { Trail } from '../../store/trail-store.js';
import { planFiles, planInsightFiles } from '../delivery-plan.js';
import { insightRecord } from './insight-record.js';
import type { InsightRecordInput } from './insight-record.js';

const ACCOUNT = '111122223333';
const DELIVERY = Date.UTC(2026, 10, 24, 10, 5);

const trail: Trail = {
  trailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`,
  accountId: ACCOUNT,
  homeRegion: 'us-east-1',
  name: 't',
  config: { S3BucketName: 'b', S3KeyPrefix: 'audit', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: false },
  insightSelectors: [{ InsightType: 'ApiCallRateInsight', EventCategories: ['Management'] }],
  tags: [],
  isLogging: true,
  status: {},
  createdAt: 0,
};

function incident(overrides: Partial<InsightRecordInput> = {}): InsightRecordInput {
  return {
    accountId: ACCOUNT,
    region: 'us-east-1',
    category: 'Management',
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'DeleteTrail',
    insightType: 'ApiCallRateInsight',
    state: 'Start',
    startMinute: Math.floor(Date.UTC(2026, 10, 24, 10, 0) / 60_000),
    eventTimeMs: Date.UTC(2026, 10, 24, 10, 0),
    baselineAverage: 0.25,
    insightAverage: 30,
    baselineDuration: 10080,
    insightDuration: 3,
    attributions: [],
    ...overrides,
  };
}

function entry(seq: number, input: InsightRecordInput, region = input.region): LogEntry {
  return { seq, accountId: input.accountId, region, timeMs: input.eventTimeMs, json: JSON.stringify(insightRecord(input)), deliverToTrails: true };
}

describe('Insights records', () => {
  it('have CloudTrail shape: a Start and an End linked by sharedEventID, the same ids every time', () => {
    const start = insightRecord(incident());
    const end = insightRecord(incident({ state: 'End', eventTimeMs: Date.UTC(2026, 10, 24, 10, 3) }));
    expect(start).toMatchObject({ eventType: 'AwsCloudTrailInsight', eventCategory: 'Insight', recipientAccountId: ACCOUNT, eventTime: '2026-11-24T10:00:00Z' });
    expect(start.insightDetails).toMatchObject({ state: 'Start', eventSource: 'cloudtrail.amazonaws.com', eventName: 'DeleteTrail', insightType: 'ApiCallRateInsight' });
    expect((start.insightDetails as { insightContext: { statistics: object } }).insightContext.statistics).toEqual({ baseline: { average: 0.25 }, insight: { average: 30 }, baselineDuration: 10080 });
    expect((end.insightDetails as { insightContext: { statistics: object } }).insightContext.statistics).toMatchObject({ insightDuration: 3 });
    expect(end.sharedEventID).toBe(start.sharedEventID);
    expect(end.eventID).not.toBe(start.eventID);
    expect(insightRecord(incident()).eventID).toBe(start.eventID);
  });

  it('go to CloudTrail-Insight/ files, never to log files', () => {
    const entries = [entry(1, incident()), entry(2, incident({ state: 'End' }))];
    expect(planFiles(trail, entries, { firstSeq: 1, lastSeq: 2 }, DELIVERY)).toEqual([]);
    const files = planInsightFiles(trail, entries, { firstSeq: 1, lastSeq: 2 }, DELIVERY);
    expect(files).toHaveLength(1);
    expect(files[0]!.key).toMatch(/^audit\/AWSLogs\/111122223333\/CloudTrail-Insight\/us-east-1\/2026\/11\/24\/111122223333_CloudTrail-Insight_us-east-1_20261124T1005Z_[A-Za-z0-9]{16}\.json\.gz$/);
    expect(files[0]!.eventCount).toBe(2);
    expect(JSON.parse(files[0]!.file.json.toString('utf8'))).toEqual({ Records: entries.map((e) => JSON.parse(e.json) as unknown) });
  });

  it('go only to trails whose insight selectors ask for their type and category, in regions they log', () => {
    const range = { firstSeq: 1, lastSeq: 3 };
    const entries = [entry(1, incident({ insightType: 'ApiErrorRateInsight' })), entry(2, incident({ category: 'Data' })), entry(3, incident({ region: 'eu-west-1' }))];
    expect(planInsightFiles(trail, entries, range, DELIVERY)).toEqual([]);
    expect(planInsightFiles({ ...trail, insightSelectors: [] }, [entry(1, incident())], range, DELIVERY)).toEqual([]);
    const everything: Trail = {
      ...trail,
      config: { ...trail.config, IsMultiRegionTrail: true },
      insightSelectors: [
        { InsightType: 'ApiCallRateInsight', EventCategories: ['Management', 'Data'] },
        { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management'] },
      ],
    };
    expect(planInsightFiles(everything, entries, range, DELIVERY).map((f) => [f.region, f.eventCount])).toEqual([
      ['eu-west-1', 1],
      ['us-east-1', 2],
    ]);
    expect(planInsightFiles(everything, [entry(1, incident({ accountId: '444455556666' }))], range, DELIVERY)).toEqual([]);
  });
});
