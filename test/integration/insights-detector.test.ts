/**
 * The Insights detector over a real SQLite event log, driven by an injected clock (no real
 * waiting): steady traffic raises nothing, a burst of DeleteTrail calls, an error storm and a
 * burst of GetObject data events each raise one Start and one End, found in the event history
 * with EventCategory insight; a detector reopened mid-incident (a restart) ends it once, and
 * passes killed between appending their records and storing their judgement append nothing twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectorSettings } from '../../src/core/insights/detector/settings.js';
import type { InsightSelector } from '../../src/core/insights/insight-types.js';
import { prepareEvent } from '../../src/core/prepare-event.js';
import type { CloudTrailRecord } from '../../src/core/record.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import type { SqliteDatabase } from '../../src/store/sqlite/database.js';
import { SqliteEventStore } from '../../src/store/sqlite/event-store.js';
import { SqliteInsightStore } from '../../src/store/sqlite/insight-store.js';
import type { Trail } from '../../src/store/trail-store.js';
import { InsightsDetector } from '../../src/workers/insights/insights-detector.js';
import type { InsightsDeps } from '../../src/workers/insights/insights-detector.js';
import { ManualClock } from '../support/manual-clock.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 2, 0, 0, 0);
const SELECTORS: InsightSelector[] = [
  { InsightType: 'ApiCallRateInsight', EventCategories: ['Management', 'Data'] },
  { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management'] },
];

const trail = {
  trailArn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/insights`,
  accountId: ACCOUNT,
  homeRegion: REGION,
  name: 'insights',
  config: { S3BucketName: 'b', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: true, LogFileValidationEnabled: false },
  insightSelectors: SELECTORS,
  tags: [],
  isLogging: true,
  status: {},
  createdAt: T0,
} satisfies Trail;

let n = 0;
function call(timeMs: number, eventSource: string, eventName: string, options: { readOnly?: boolean; errorCode?: string; user?: string; data?: boolean } = {}): CloudTrailRecord {
  n += 1;
  return {
    eventVersion: '1.11',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/${options.user ?? 'alice'}`, accountId: ACCOUNT, userName: options.user ?? 'alice' },
    eventTime: new Date(timeMs).toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource,
    eventName,
    awsRegion: REGION,
    sourceIPAddress: '192.0.2.1',
    userAgent: options.user === 'mallory' ? 'evil-script/1.0' : 'aws-cli/2.15',
    requestParameters: null,
    responseElements: null,
    ...(options.errorCode !== undefined && { errorCode: options.errorCode, errorMessage: 'no' }),
    eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    readOnly: options.readOnly ?? false,
    eventType: 'AwsApiCall',
    managementEvent: options.data !== true,
    recipientAccountId: ACCOUNT,
    eventCategory: options.data === true ? 'Data' : 'Management',
    ...(options.data === true && { resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::reports/q3.csv' }] }),
  };
}

let dir: string;
let db: SqliteDatabase;
let events: SqliteEventStore;
let insights: SqliteInsightStore;
const clock = new ManualClock(T0);
let deps: InsightsDeps;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opentrail-insights-'));
  db = openSqliteDatabase(join(dir, 'opentrail.db'));
  events = new SqliteEventStore(db, { maxPendingEvents: 100_000 });
  insights = new SqliteInsightStore(db);
  deps = {
    events,
    insights,
    trails: { list: async (accountId) => Promise.resolve(accountId === ACCOUNT ? [trail] : []) },
    clock,
    // Six hours of baseline: warm after 90 minutes, as a small deployment would run it.
    settings: detectorSettings(360),
    latenessMs: 30_000,
    batchEvents: 500,
  };
});

afterAll(async () => {
  await events.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One minute of traffic: steady reads and writes, plus whatever the minute adds. */
async function minuteOfTraffic(minute: number, extra: (t: number) => CloudTrailRecord[] = () => []): Promise<void> {
  const t = T0 + minute * MINUTE;
  const records = [
    ...Array.from({ length: 4 }, (_, i) => call(t + i * 10_000, 'iam.amazonaws.com', 'CreateUser')),
    ...Array.from({ length: 6 }, (_, i) => call(t + i * 9_000, 'iam.amazonaws.com', 'GetUser', { readOnly: true })),
    ...(minute % 7 === 0 ? [call(t + 5_000, 'cloudtrail.amazonaws.com', 'DeleteTrail')] : []),
    ...(minute % 11 === 0 ? [call(t + 7_000, 'ec2.amazonaws.com', 'RunInstances', { errorCode: 'Client.UnauthorizedOperation' })] : []),
    ...Array.from({ length: 2 }, (_, i) => call(t + i * 20_000, 's3.amazonaws.com', 'GetObject', { readOnly: true, data: true })),
    ...extra(t),
  ];
  await events.append(records.map((r) => prepareEvent(ACCOUNT, REGION, r)));
}

async function insightRecords(): Promise<CloudTrailRecord[]> {
  const stored = await events.lookup({ accountId: ACCOUNT, region: REGION, attributes: [], startMs: 0, endMs: T0 + 10 * 24 * 60 * MINUTE, insights: true, limit: 50 });
  return stored.map((e) => JSON.parse(e.json) as CloudTrailRecord).reverse();
}

function summary(records: CloudTrailRecord[]): string[] {
  return records.map((r) => {
    const d = r.insightDetails as { state: string; eventName: string; insightType: string };
    return `${d.state} ${d.eventName} ${d.insightType}`;
  });
}

describe('the Insights detector on SQLite', () => {
  let detector: InsightsDetector;
  let minute = 0;

  async function run(until: number, extra?: (minute: number, t: number) => CloudTrailRecord[]): Promise<void> {
    for (; minute < until; minute++) {
      await minuteOfTraffic(minute, extra === undefined ? undefined : (t) => extra(minute, t));
      clock.set(T0 + (minute + 1) * MINUTE + 31_000);
      await detector.pass();
    }
  }

  it('raises nothing while the baseline warms up or on steady traffic', async () => {
    detector = await InsightsDetector.open(deps);
    await run(240);
    expect(await insightRecords()).toEqual([]);
  });

  it('starts an insight within minutes of a burst of DeleteTrail calls, and ends it once the burst is over', async () => {
    const burstStart = minute;
    await run(burstStart + 10, (_m, t) => Array.from({ length: 30 }, (_, i) => call(t + i * 1_000, 'cloudtrail.amazonaws.com', 'DeleteTrail', { user: 'mallory' })));
    const started = await insightRecords();
    expect(summary(started)).toEqual(['Start DeleteTrail ApiCallRateInsight']);
    const start = started[0]!;
    expect(Date.parse(start.eventTime)).toBe(T0 + burstStart * MINUTE);
    const details = start.insightDetails as { insightContext: { statistics: { baseline: { average: number }; insight: { average: number } }; attributions: { attribute: string; insight: { value: string }[] }[] } };
    expect(details.insightContext.statistics.insight.average).toBeGreaterThan(20 * details.insightContext.statistics.baseline.average);
    const users = details.insightContext.attributions.find((a) => a.attribute === 'userIdentityArn')!;
    expect(users.insight[0]!.value).toBe(`arn:aws:iam::${ACCOUNT}:user/mallory`);

    // A restart in the middle of the incident: the detector is reopened from what is stored.
    detector = await InsightsDetector.open(deps);
    await run(minute + 30);
    const records = await insightRecords();
    expect(summary(records)).toEqual(['Start DeleteTrail ApiCallRateInsight', 'End DeleteTrail ApiCallRateInsight']);
    expect(records[1]!.sharedEventID).toBe(records[0]!.sharedEventID);
    const end = records[1]!.insightDetails as { insightContext: { statistics: { insightDuration: number } } };
    expect(end.insightContext.statistics.insightDuration).toBeGreaterThanOrEqual(9);
    expect(end.insightContext.statistics.insightDuration).toBeLessThanOrEqual(11);
  });

  it('raises an error-rate insight on an error storm', async () => {
    await run(minute + 8, (_m, t) => Array.from({ length: 25 }, (_, i) => call(t + i * 2_000, 'iam.amazonaws.com', 'CreateUser', { errorCode: 'AccessDenied', user: 'mallory' })));
    await run(minute + 30);
    const storm = summary(await insightRecords()).filter((s) => s.includes('ApiErrorRateInsight'));
    expect(storm).toEqual(['Start CreateUser ApiErrorRateInsight', 'End CreateUser ApiErrorRateInsight']);
  });

  it('watches data events too when the selectors ask for them (an exfiltration-like burst of GetObject)', async () => {
    await run(minute + 6, (_m, t) => Array.from({ length: 40 }, (_, i) => call(t + i * 1_000, 's3.amazonaws.com', 'GetObject', { readOnly: true, data: true, user: 'mallory' })));
    await run(minute + 20);
    const records = (await insightRecords()).filter((r) => (r.insightDetails as { eventName: string }).eventName === 'GetObject');
    expect(summary(records)).toEqual(['Start GetObject ApiCallRateInsight', 'End GetObject ApiCallRateInsight']);
    expect(records[0]!.insightDetails).toMatchObject({ eventSource: 's3.amazonaws.com', eventCategory: 'Data' });
    const users = (records[0]!.insightDetails as { insightContext: { attributions: { attribute: string; insight: { value: string }[] }[] } }).insightContext.attributions.find((a) => a.attribute === 'userIdentityArn')!;
    expect(users.insight[0]!.value).toBe(`arn:aws:iam::${ACCOUNT}:user/mallory`);
  });

  it('appends nothing twice when a crash comes between appending the records and storing the judgement', async () => {
    // Every pass of the burst dies at its last step, as a process killed there would; each
    // next minute a new detector opens from what is stored and judges those minutes again.
    const crashing: InsightsDeps = {
      ...deps,
      insights: {
        minuteValues: async (query) => insights.minuteValues(query),
        position: async () => insights.position(),
        partitions: async () => insights.partitions(),
        commitCounts: async (batch) => insights.commitCounts(batch),
        minutesFrom: async (fromMs) => insights.minutesFrom(fromMs),
        incidents: async () => insights.incidents(),
        purgeBefore: async (cutoffMs) => insights.purgeBefore(cutoffMs),
        commitEvaluation: async () => Promise.reject(new Error('killed before the judgement was stored')),
      },
    };
    for (const end = minute + 6; minute < end; minute++) {
      await minuteOfTraffic(minute, (t) => Array.from({ length: 30 }, (_, i) => call(t + i * 1_000, 'cloudtrail.amazonaws.com', 'StopLogging', { user: 'mallory' })));
      clock.set(T0 + (minute + 1) * MINUTE + 31_000);
      await expect((await InsightsDetector.open(crashing)).pass()).rejects.toThrow('killed');
    }
    detector = await InsightsDetector.open(deps);
    await run(minute + 20);
    const records = (await insightRecords()).filter((r) => (r.insightDetails as { eventName: string }).eventName === 'StopLogging');
    expect(summary(records)).toEqual(['Start StopLogging ApiCallRateInsight', 'End StopLogging ApiCallRateInsight']);
  });

  it('keeps per-minute counts for ListInsightsMetricData', async () => {
    const values = await insights.minuteValues({
      accountId: ACCOUNT,
      region: REGION,
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      insightType: 'ApiCallRateInsight',
      startMs: T0,
      endMs: T0 + 5 * MINUTE,
    });
    expect(values).toEqual([0, 1, 2, 3, 4].map((m) => ({ minuteMs: T0 + m * MINUTE, value: 4 })));
  });
});
