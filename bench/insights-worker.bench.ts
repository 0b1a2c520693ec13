/**
 * The Insights detector as the server runs it: counting events read from a SQLite event log
 * (read, parse, classify, count, store the counts with the cursor), beside what just reading
 * and parsing the same events costs in the same run, and the judging of the minutes that follow.
 */
import { join } from 'node:path';
import { detectorSettings } from '../src/core/insights/detector/settings.js';
import { prepareEvent } from '../src/core/prepare-event.js';
import type { CloudTrailRecord } from '../src/core/record.js';
import { openSqliteDatabase } from '../src/store/sqlite/database.js';
import { SqliteEventStore } from '../src/store/sqlite/event-store.js';
import { SqliteInsightStore } from '../src/store/sqlite/insight-store.js';
import { InsightsDetector } from '../src/workers/insights/insights-detector.js';
import { ManualClock } from '../test/support/manual-clock.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const T0 = Date.UTC(2026, 10, 1);

function record(i: number, apis: number, minutes: number): CloudTrailRecord {
  const api = i % apis;
  return {
    eventVersion: '1.11',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/u${i % 7}`, accountId: ACCOUNT, userName: `u${i % 7}` },
    eventTime: new Date(T0 + (i % minutes) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: `svc${api % 10}.amazonaws.com`,
    eventName: `Call${api}`,
    awsRegion: REGION,
    sourceIPAddress: '192.0.2.1',
    userAgent: 'aws-cli/2.15',
    requestParameters: { name: `resource-${i}` },
    responseElements: null,
    ...(i % 13 === 0 && { errorCode: 'AccessDenied', errorMessage: 'denied' }),
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readOnly: i % 3 === 0,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
}

export async function insightsWorkerBench(options: { dataDir: string; events: number; apis: number }): Promise<string> {
  const minutes = 24 * 60;
  const db = openSqliteDatabase(join(options.dataDir, 'opentrail.db'));
  const events = new SqliteEventStore(db, { maxPendingEvents: 1_000_000 });
  try {
    for (let i = 0; i < options.events; i += 5000) {
      await events.append(Array.from({ length: Math.min(5000, options.events - i) }, (_, j) => prepareEvent(ACCOUNT, REGION, record(i + j, options.apis, minutes))));
    }
    // Baseline: read the same events from the log and parse each, nothing else.
    let start = performance.now();
    let parsed = 0;
    for (let after = 0; ; ) {
      const batch = await events.readAfter(after, 5000);
      if (batch.length === 0) break;
      for (const e of batch) if ((JSON.parse(e.json) as CloudTrailRecord).eventName !== undefined) parsed += 1;
      after = batch[batch.length - 1]!.seq;
    }
    const readSeconds = (performance.now() - start) / 1000;

    const clock = new ManualClock(T0 + minutes * 60_000 + 60_000);
    const detector = await InsightsDetector.open({
      events,
      insights: new SqliteInsightStore(db),
      trails: { list: async () => Promise.resolve([]) },
      clock,
      settings: detectorSettings(),
      latenessMs: 30_000,
      batchEvents: 5000,
    });
    start = performance.now();
    await detector.pass();
    const passSeconds = (performance.now() - start) / 1000;
    const rows = [
      ['read + JSON.parse only (baseline)', parsed, readSeconds],
      ['detector pass: count, store, judge a day of minutes', options.events, passSeconds],
    ] as const;
    return [
      `### Insights detector on SQLite (${options.events.toLocaleString('en-US')} events, ${options.apis} APIs, one day of minutes)`,
      '',
      '| work | events | seconds | events/s |',
      '|---|---|---|---|',
      ...rows.map(([work, n, s]) => `| ${work} | ${n.toLocaleString('en-US')} | ${s.toFixed(2)} | ${Math.round(n / s).toLocaleString('en-US')} |`),
      '',
      `series tracked: ${detector.seriesCount}; history bytes per series (both insight types): ${Math.round(detector.historyBytes() / detector.seriesCount).toLocaleString('en-US')}`,
    ].join('\n');
  } finally {
    await events.close();
    db.close();
  }
}
