/**
 * A data directory that already holds an Insights event pair (Start and End), made the way
 * test/integration/insights-end-to-end.test.ts makes one: the real pipeline and detector in
 * process on a manual clock (no real waiting), steady calls for two hours of the last four,
 * then a burst of RemoveTags. A real `opentrail serve` is then started on the directory.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { detectorSettings } from '../../src/core/insights/detector/settings.js';
import { InsightsDetector } from '../../src/workers/insights/insights-detector.js';
import { startInProcessPipeline } from '../support/in-process-pipeline.js';

const TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';
const MINUTE = 60_000;

export interface SeededDataDir {
  dataDir: string;
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export async function seedInsights(): Promise<SeededDataDir> {
  const t0 = Math.floor((Date.now() - 4 * 3600_000) / MINUTE) * MINUTE;
  const p = await startInProcessPipeline(t0);
  const cloudtrail = async (operation: string, input: object): Promise<Record<string, unknown>> => {
    const response = await p.send({ service: 'cloudtrail', target: `${TARGET}.${operation}`, body: JSON.stringify(input), credentials: p.admin });
    const body = JSON.parse(response.body || '{}') as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`${operation}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  };
  mkdirSync(join(p.dataDir, 'buckets', 'insights-bucket'), { recursive: true });
  const trailArn = (await cloudtrail('CreateTrail', { Name: 'insights-trail', S3BucketName: 'insights-bucket', IsMultiRegionTrail: true })).TrailARN as string;
  await cloudtrail('StartLogging', { Name: 'insights-trail' });
  await cloudtrail('PutInsightSelectors', { TrailName: 'insights-trail', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }] });
  const detector = await InsightsDetector.open({
    events: p.stores.events,
    insights: p.stores.insights,
    trails: p.stores.trails,
    clock: p.clock,
    settings: detectorSettings(360),
    latenessMs: 30_000,
    batchEvents: 1000,
  });
  const burstStart = 130;
  for (let m = 0; m < 150; m++) {
    const calls = m >= burstStart && m < burstStart + 6 ? 25 : 0;
    for (let i = 0; i < 3 + calls; i++) {
      p.clock.set(t0 + m * MINUTE + 1_000 + i * 1_500);
      if (i < 3) await cloudtrail(i === 2 ? 'ListTags' : 'AddTags', i === 2 ? { ResourceIdList: [trailArn] } : { ResourceId: trailArn, TagsList: [{ Key: `k${i}`, Value: String(m) }] });
      else await cloudtrail('RemoveTags', { ResourceId: trailArn, TagsList: [{ Key: 'k0' }] });
    }
    p.clock.set(t0 + (m + 1) * MINUTE + 31_000);
    await detector.pass();
  }
  const insights = (await cloudtrail('LookupEvents', { EventCategory: 'insight' })).Events as unknown[];
  if (insights.length !== 2) throw new Error(`the seed made ${insights.length} Insights events, not 2`);
  // The stores close; the directory stays for the server.
  await p.stores.close();
  return { dataDir: p.dataDir, accountId: p.accountId, ...p.admin };
}
