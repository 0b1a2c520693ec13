/**
 * PutInsightSelectors, GetInsightSelectors, ListInsightsData and ListInsightsMetricData.
 * The selectors through the real AWS SDK (and the AWS CLI, when installed) against a real
 * server; the two List operations through the in-process pipeline, whose stores the test can
 * fill with the detector's counts and with Insights records.
 */
import {
  CreateTrailCommand,
  GetInsightSelectorsCommand,
  GetTrailCommand,
  LookupEventsCommand,
  PutEventSelectorsCommand,
  PutInsightSelectorsCommand,
} from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupKeysOf } from '../../src/core/lookup-keys.js';
import type { CloudTrailRecord } from '../../src/core/record.js';
import { cloudTrailClient } from '../support/clients.js';
import type { InProcessPipeline } from '../support/in-process-pipeline.js';
import { startInProcessPipeline } from '../support/in-process-pipeline.js';
import { awsCliAvailable } from '../support/peers.js';
import { serverProfileEnv } from '../support/profile-env.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const BUCKET = 'insights-bucket';
const BOTH = [
  { InsightType: 'ApiCallRateInsight' as const, EventCategories: ['Management' as const] },
  { InsightType: 'ApiErrorRateInsight' as const, EventCategories: ['Management' as const] },
];

describe('insight selectors through the AWS SDK', () => {
  let server: ServerProcess;
  let client: CloudTrailClient;
  let west: CloudTrailClient;
  let trailArn: string;

  beforeAll(async () => {
    server = await startServer();
    client = cloudTrailClient(server);
    west = cloudTrailClient(server, { region: 'us-west-2' });
    const made = spawnSync(process.execPath, [BIN, 'buckets', 'create', BUCKET, '--data-dir', server.dataDir], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`buckets create failed: ${made.stderr}`);
    const created = await client.send(new CreateTrailCommand({ Name: 'watched', S3BucketName: BUCKET, IsMultiRegionTrail: true }));
    trailArn = created.TrailARN!;
  });

  afterAll(async () => {
    client?.destroy();
    west?.destroy();
    await server?.stop();
  });

  it('Get before any Put: InsightNotEnabledException', async () => {
    await expect(client.send(new GetInsightSelectorsCommand({ TrailName: 'watched' }))).rejects.toMatchObject({
      name: 'InsightNotEnabledException',
      message: 'Trail watched does not have Insights enabled.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('Put both types, Get them back, GetTrail reports HasInsightSelectors; Put [] turns Insights off', async () => {
    const put = await client.send(new PutInsightSelectorsCommand({ TrailName: 'watched', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }] }));
    expect(put).toMatchObject({ TrailARN: trailArn, InsightSelectors: BOTH });
    expect(await client.send(new GetInsightSelectorsCommand({ TrailName: 'watched' }))).toMatchObject({ TrailARN: trailArn, InsightSelectors: BOTH });
    expect((await client.send(new GetTrailCommand({ Name: 'watched' }))).Trail).toMatchObject({ HasInsightSelectors: true });

    // Replace, not append.
    await client.send(new PutInsightSelectorsCommand({ TrailName: trailArn, InsightSelectors: [{ InsightType: 'ApiErrorRateInsight' }] }));
    expect((await client.send(new GetInsightSelectorsCommand({ TrailName: 'watched' }))).InsightSelectors).toEqual([BOTH[1]]);

    const off = await client.send(new PutInsightSelectorsCommand({ TrailName: 'watched', InsightSelectors: [] }));
    expect(off.InsightSelectors).toEqual([]);
    expect((await client.send(new GetTrailCommand({ Name: 'watched' }))).Trail).toMatchObject({ HasInsightSelectors: false });
    await expect(client.send(new GetInsightSelectorsCommand({ TrailName: 'watched' }))).rejects.toMatchObject({ name: 'InsightNotEnabledException' });
  });

  it('refuses call-rate insights on a trail that logs only read management events', async () => {
    await client.send(new CreateTrailCommand({ Name: 'reads-only', S3BucketName: BUCKET }));
    await client.send(new PutEventSelectorsCommand({ TrailName: 'reads-only', EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }));
    await expect(client.send(new PutInsightSelectorsCommand({ TrailName: 'reads-only', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] }))).rejects.toMatchObject({
      name: 'InvalidInsightSelectorsException',
    });
    await expect(client.send(new PutInsightSelectorsCommand({ TrailName: 'reads-only', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] }))).rejects.toThrow(/write management events/);
    // Error-rate insights need reads or writes: allowed.
    await client.send(new PutInsightSelectorsCommand({ TrailName: 'reads-only', InsightSelectors: [{ InsightType: 'ApiErrorRateInsight' }] }));
  });

  it('refuses an unknown insight type, the same type twice and event data stores', async () => {
    await expect(
      client.send(new PutInsightSelectorsCommand({ TrailName: 'watched', InsightSelectors: [{ InsightType: 'ApiLatencyInsight' as never }] })),
    ).rejects.toMatchObject({ name: 'InvalidInsightSelectorsException' });
    await expect(
      client.send(new PutInsightSelectorsCommand({ TrailName: 'watched', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiCallRateInsight' }] })),
    ).rejects.toMatchObject({ name: 'InvalidInsightSelectorsException' });
    await expect(
      client.send(new PutInsightSelectorsCommand({ EventDataStore: 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/x', InsightSelectors: [] })),
    ).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
    await expect(client.send(new GetInsightSelectorsCommand({ TrailName: 'no-such-trail' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
  });

  it('a multi-region trail is changed only from its home region', async () => {
    await expect(west.send(new PutInsightSelectorsCommand({ TrailName: trailArn, InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] }))).rejects.toMatchObject({
      name: 'InvalidHomeRegionException',
    });
    // Reading is fine from anywhere the trail is seen.
    await client.send(new PutInsightSelectorsCommand({ TrailName: 'watched', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] }));
    expect((await west.send(new GetInsightSelectorsCommand({ TrailName: trailArn }))).InsightSelectors).toEqual([BOTH[0]]);
  });

  it('PutInsightSelectors is recorded as a management write event', async () => {
    const found = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutInsightSelectors' }] }));
    expect(found.Events!.length).toBeGreaterThan(0);
    const event = found.Events![0]!;
    expect(event).toMatchObject({ EventSource: 'cloudtrail.amazonaws.com', ReadOnly: 'false' });
    const record = JSON.parse(event.CloudTrailEvent!) as Record<string, unknown>;
    expect(record).toMatchObject({ eventCategory: 'Management', requestParameters: { trailName: 'watched' } });
  });

  const hasAwsCli = awsCliAvailable();
  it.skipIf(!hasAwsCli)('the AWS CLI puts and gets insight selectors (skipped when `aws` is not installed)', () => {
    const aws = (...args: string[]) =>
      spawnSync('aws', ['--profile', 'opentrail', '--region', 'us-east-1', '--endpoint-url', server.url, '--output', 'json', 'cloudtrail', ...args], {
        encoding: 'utf8',
        env: serverProfileEnv(server.dataDir),
        timeout: 60_000,
      });
    const put = aws('put-insight-selectors', '--trail-name', 'watched', '--insight-selectors', '[{"InsightType":"ApiErrorRateInsight"},{"InsightType":"ApiCallRateInsight"}]');
    expect(put.stderr).toBe('');
    expect(JSON.parse(put.stdout)).toMatchObject({ TrailARN: trailArn });
    const got = aws('get-insight-selectors', '--trail-name', 'watched');
    expect(got.stderr).toBe('');
    expect(JSON.parse(got.stdout)).toEqual({ TrailARN: trailArn, InsightSelectors: [BOTH[1], BOTH[0]] });
  });
});

describe('ListInsightsData and ListInsightsMetricData through the pipeline', () => {
  const PREFIX = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.';
  let p: InProcessPipeline;
  let trailArn: string;
  const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);
  const H = 3_600_000;
  const M = 60_000;

  async function call(operation: string, input: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await p.send({ service: 'cloudtrail', target: PREFIX + operation, body: JSON.stringify(input), credentials: p.admin });
    return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
  }

  function insightRecord(timeMs: number, insightType: string, eventName: string, extra: Record<string, unknown> = {}): CloudTrailRecord {
    return {
      eventVersion: '1.08',
      eventTime: new Date(timeMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      awsRegion: 'us-east-1',
      eventID: randomUUID(),
      eventType: 'AwsCloudTrailInsight',
      recipientAccountId: p.accountId,
      sharedEventID: randomUUID(),
      insightDetails: {
        state: 'Start',
        eventSource: 'ec2.amazonaws.com',
        eventName,
        insightType,
        insightContext: { statistics: { baseline: { average: 0.1 }, insight: { average: 5 }, baselineDuration: 10080 } },
        ...extra,
      },
      eventCategory: 'Insight',
    };
  }

  beforeAll(async () => {
    p = await startInProcessPipeline(NOW);
    mkdirSync(join(p.dataDir, 'buckets', BUCKET), { recursive: true });
    const created = await call('CreateTrail', { Name: 'listed', S3BucketName: BUCKET });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    trailArn = created.body.TrailARN as string;
    expect((await call('PutInsightSelectors', { TrailName: 'listed', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] })).status).toBe(200);

    const records = [
      insightRecord(NOW - 3 * H, 'ApiCallRateInsight', 'RunInstances'),
      insightRecord(NOW - 2 * H, 'ApiCallRateInsight', 'TerminateInstances'),
      insightRecord(NOW - 1 * H, 'ApiCallRateInsight', 'RunInstances'),
      // Not asked for by the trail's selectors: another type, and the Data category.
      insightRecord(NOW - 30 * M, 'ApiErrorRateInsight', 'RunInstances'),
      insightRecord(NOW - 20 * M, 'ApiCallRateInsight', 'RunInstances', { eventCategory: 'Data' }),
    ];
    await p.stores.events.append(records.map((r) => ({ accountId: p.accountId, region: 'us-east-1', json: JSON.stringify(r), keys: lookupKeysOf(r) })));

    const minutes: { minuteMs: number; calls: number; errors: Record<string, number> }[] = [
      { minuteMs: NOW - 3 * H + 5 * M, calls: 4, errors: { AccessDenied: 1 } },
      { minuteMs: NOW - 3 * H + 6 * M, calls: 2, errors: {} },
      { minuteMs: NOW - 1 * H, calls: 7, errors: { AccessDenied: 2, Throttling: 3 } },
    ];
    await p.stores.insights.commitCounts({
      lastSeq: 0,
      partitions: [{ accountId: p.accountId, region: 'us-east-1', firstMinute: Math.floor((NOW - 3 * H) / M) }],
      counts: minutes.map((c) => ({ accountId: p.accountId, region: 'us-east-1', category: 'Management' as const, eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', ...c })),
    });
  });

  afterAll(async () => {
    await p?.close();
  });

  it('lists the trail\'s Insights events newest first, in LookupEvents\' shape, with paging', async () => {
    const first = await call('ListInsightsData', { InsightSource: trailArn, DataType: 'InsightsEvents', MaxResults: 2 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const events = first.body.Events as { EventName: string; EventSource: string; EventTime: number; CloudTrailEvent: string }[];
    expect(events.map((e) => [e.EventName, e.EventTime])).toEqual([
      ['RunInstances', (NOW - H) / 1000],
      ['TerminateInstances', (NOW - 2 * H) / 1000],
    ]);
    expect(events[0]).toMatchObject({ EventSource: 'ec2.amazonaws.com' });
    expect(JSON.parse(events[0]!.CloudTrailEvent)).toMatchObject({ eventType: 'AwsCloudTrailInsight' });
    expect(typeof first.body.NextToken).toBe('string');

    const second = await call('ListInsightsData', { InsightSource: trailArn, DataType: 'InsightsEvents', MaxResults: 2, NextToken: first.body.NextToken });
    expect((second.body.Events as { EventTime: number }[]).map((e) => e.EventTime)).toEqual([(NOW - 3 * H) / 1000]);
    expect(second.body.NextToken).toBeUndefined();

    const byName = await call('ListInsightsData', { InsightSource: trailArn, DataType: 'InsightsEvents', Dimensions: { EventName: 'TerminateInstances' } });
    expect((byName.body.Events as unknown[]).length).toBe(1);
  });

  it('refuses an unknown source and bad parameters with InvalidParameterException', async () => {
    for (const input of [
      { InsightSource: `arn:aws:cloudtrail:us-east-1:${p.accountId}:trail/nope`, DataType: 'InsightsEvents' },
      { InsightSource: 'listed', DataType: 'InsightsEvents' },
      { InsightSource: trailArn, DataType: 'InsightsEvents', MaxResults: 51 },
      { InsightSource: trailArn, DataType: 'InsightsEvents', NextToken: 'bogus' },
    ]) {
      const answer = await call('ListInsightsData', input);
      expect(answer.status, JSON.stringify(input)).toBe(400);
      expect(answer.body.__type).toContain('InvalidParameterException');
    }
  });

  it('sums the detector\'s minutes into periods, zero-filled by default', async () => {
    const base = { EventSource: 'ec2.amazonaws.com', EventName: 'RunInstances', StartTime: (NOW - 4 * H) / 1000, EndTime: NOW / 1000 };
    const calls = await call('ListInsightsMetricData', { ...base, InsightType: 'ApiCallRateInsight', TrailName: 'listed' });
    expect(calls.status, JSON.stringify(calls.body)).toBe(200);
    expect(calls.body).toMatchObject({ TrailARN: trailArn, InsightType: 'ApiCallRateInsight', EventName: 'RunInstances' });
    expect(calls.body.Timestamps).toEqual([4, 3, 2, 1].map((h) => (NOW - h * H) / 1000));
    expect(calls.body.Values).toEqual([0, 6, 0, 7]);

    const errors = await call('ListInsightsMetricData', { ...base, InsightType: 'ApiErrorRateInsight', DataType: 'NonZeroData' });
    expect(errors.body).toMatchObject({ Timestamps: [(NOW - 3 * H) / 1000, (NOW - H) / 1000], Values: [1, 5] });
    const throttled = await call('ListInsightsMetricData', { ...base, InsightType: 'ApiErrorRateInsight', ErrorCode: 'Throttling', DataType: 'NonZeroData' });
    expect(throttled.body).toMatchObject({ ErrorCode: 'Throttling', Values: [3] });

    // Minute periods, two a page.
    const minuteBase = { ...base, InsightType: 'ApiCallRateInsight', StartTime: (NOW - 3 * H + 4 * M) / 1000, EndTime: (NOW - 3 * H + 8 * M) / 1000, Period: 60, MaxResults: 2 };
    const page1 = await call('ListInsightsMetricData', minuteBase);
    expect(page1.body.Values).toEqual([0, 4]);
    const page2 = await call('ListInsightsMetricData', { ...minuteBase, NextToken: page1.body.NextToken });
    expect(page2.body.Values).toEqual([2, 0]);
    expect(page2.body.NextToken).toBeUndefined();
  });

  it('defaults to the last 90 days in hours, and refuses bad periods and ranges', async () => {
    const whole = await call('ListInsightsMetricData', { EventSource: 'ec2.amazonaws.com', EventName: 'RunInstances', InsightType: 'ApiCallRateInsight' });
    expect(whole.status).toBe(200);
    expect((whole.body.Timestamps as number[]).length).toBe(90 * 24);
    expect((whole.body.Values as number[]).reduce((a, b) => a + b, 0)).toBe(13);

    for (const extra of [{ Period: 90 }, { Period: 30 }, { Period: 7200 }, { StartTime: NOW / 1000, EndTime: NOW / 1000 - 60 }, { MaxResults: 0 }, { ErrorCode: 'AccessDenied' }]) {
      const answer = await call('ListInsightsMetricData', { EventSource: 'ec2.amazonaws.com', EventName: 'RunInstances', InsightType: 'ApiCallRateInsight', ...extra });
      expect(answer.status, JSON.stringify(extra)).toBe(400);
      expect(answer.body.__type).toContain('InvalidParameterException');
    }
  });
});
