/**
 * Insights end to end, in process and on an injected clock (no real waiting): a trail with
 * insight selectors, steady CloudTrail calls for two hours (the warm-up of a six-hour
 * baseline), then a burst of RemoveTags. The detector raises a Start and an End; LookupEvents
 * with EventCategory insight, ListInsightsData and ListInsightsMetricData serve them, and the
 * trail's delivery writes them to CloudTrail-Insight/ beside its log files.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectorSettings } from '../../src/core/insights/detector/settings.js';
import type { CloudTrailRecord } from '../../src/core/record.js';
import { openObjectStore } from '../../src/objects/open-object-store.js';
import { deliverTrail } from '../../src/workers/delivery/deliver-trail.js';
import { InsightsDetector } from '../../src/workers/insights/insights-detector.js';
import { startInProcessPipeline } from '../support/in-process-pipeline.js';
import type { InProcessPipeline } from '../support/in-process-pipeline.js';

const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 2, 8, 0, 0);
const BUCKET = 'insights-bucket';

let p: InProcessPipeline;
let trailArn: string;

async function cloudtrail(operation: string, input: object): Promise<Record<string, unknown>> {
  const response = await p.send({ service: 'cloudtrail', target: `${TARGET}.${operation}`, body: JSON.stringify(input), credentials: p.admin });
  const body = JSON.parse(response.body || '{}') as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`${operation}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

beforeAll(async () => {
  p = await startInProcessPipeline(T0);
  mkdirSync(join(p.dataDir, 'buckets', BUCKET), { recursive: true });
  trailArn = (await cloudtrail('CreateTrail', { Name: 'audit', S3BucketName: BUCKET, IsMultiRegionTrail: true })).TrailARN as string;
  await cloudtrail('StartLogging', { Name: 'audit' });
  await cloudtrail('PutInsightSelectors', { TrailName: 'audit', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }] });
});

afterAll(async () => {
  await p?.close();
});

describe('Insights through the API, the detector and delivery', () => {
  let burstStart = 0;

  it('detects a burst of writes after a steady warm-up', async () => {
    const detector = await InsightsDetector.open({
      events: p.stores.events,
      insights: p.stores.insights,
      trails: p.stores.trails,
      clock: p.clock,
      settings: detectorSettings(360),
      latenessMs: 30_000,
      batchEvents: 1000,
    });
    const minutes = 150;
    burstStart = 130;
    for (let m = 0; m < minutes; m++) {
      const calls = m >= burstStart && m < burstStart + 6 ? 25 : 0;
      for (let i = 0; i < 3 + calls; i++) {
        p.clock.set(T0 + m * MINUTE + 1_000 + i * 1_500);
        // Steady: tags added and read; the burst: tags removed, many times a minute.
        if (i < 3) await cloudtrail(i === 2 ? 'ListTags' : 'AddTags', i === 2 ? { ResourceIdList: [trailArn] } : { ResourceId: trailArn, TagsList: [{ Key: `k${i}`, Value: String(m) }] });
        else await cloudtrail('RemoveTags', { ResourceId: trailArn, TagsList: [{ Key: 'k0' }] });
      }
      p.clock.set(T0 + (m + 1) * MINUTE + 31_000);
      await detector.pass();
    }
    const lookup = await cloudtrail('LookupEvents', { EventCategory: 'insight' });
    const events = (lookup.Events as { EventName: string; EventSource: string; CloudTrailEvent: string }[]).reverse();
    expect(events.map((e) => [e.EventName, e.EventSource])).toEqual([
      ['RemoveTags', 'cloudtrail.amazonaws.com'],
      ['RemoveTags', 'cloudtrail.amazonaws.com'],
    ]);
    const [start, end] = events.map((e) => JSON.parse(e.CloudTrailEvent) as CloudTrailRecord);
    expect((start!.insightDetails as { state: string }).state).toBe('Start');
    expect((end!.insightDetails as { state: string }).state).toBe('End');
    expect(Date.parse(start!.eventTime)).toBe(T0 + burstStart * MINUTE);
    // The history without EventCategory does not show them.
    const history = await cloudtrail('LookupEvents', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'RemoveTags' }], MaxResults: 50 });
    expect((history.Events as { CloudTrailEvent: string }[]).every((e) => !e.CloudTrailEvent.includes('AwsCloudTrailInsight'))).toBe(true);
  });

  it('serves them through ListInsightsData and the counts through ListInsightsMetricData', async () => {
    const data = await cloudtrail('ListInsightsData', { InsightSource: trailArn, DataType: 'InsightsEvents' });
    expect((data.Events as { EventName: string }[]).map((e) => e.EventName)).toEqual(['RemoveTags', 'RemoveTags']);
    const metric = await cloudtrail('ListInsightsMetricData', {
      EventSource: 'cloudtrail.amazonaws.com',
      EventName: 'RemoveTags',
      InsightType: 'ApiCallRateInsight',
      StartTime: (T0 + (burstStart - 2) * MINUTE) / 1000,
      EndTime: (T0 + (burstStart + 8) * MINUTE) / 1000,
      Period: 60,
      DataType: 'NonZeroData',
    });
    expect(metric.Values).toEqual([25, 25, 25, 25, 25, 25]);
  });

  it('delivers them to the trail under CloudTrail-Insight/, apart from the log files', async () => {
    const trail = (await p.stores.trails.get(trailArn))!;
    const objects = openObjectStore('file:', { dataDir: p.dataDir, secretBox: p.stores.secretBox });
    const deps = { events: p.stores.events, trails: p.stores.trails, cursors: p.stores.cursors, ledger: p.stores.ledger, organizations: p.stores.identity.store, objects, clock: p.clock, maxBatchEvents: 10_000, maxFileBytes: 8 * 1024 * 1024 };
    await deliverTrail(trail, deps, () => undefined);
    const root = join(p.dataDir, 'buckets', BUCKET, 'AWSLogs', p.accountId);
    expect(readdirSync(root).sort()).toEqual(['CloudTrail', 'CloudTrail-Insight']);
    const insightFiles = readdirSync(join(root, 'CloudTrail-Insight'), { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    const records = insightFiles.flatMap((f) => (JSON.parse(gunzipSync(readFileSync(join(f.parentPath, f.name))).toString('utf8')) as { Records: CloudTrailRecord[] }).Records);
    expect(records.map((r) => (r.insightDetails as { state: string }).state).sort()).toEqual(['End', 'Start']);
    expect(insightFiles.every((f) => /^\d{12}_CloudTrail-Insight_us-east-1_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/.test(f.name))).toBe(true);
  });
});
