/**
 * Real CloudTrail records from real accounts, imported into the history with `opentrail events
 * import` and read back through LookupEvents: byte for byte, by every attribute.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitRecords } from '../../src/core/log-file-records.js';
import { lookupKeysOf } from '../../src/core/lookup-keys.js';
import type { CloudTrailRecord } from '../../src/core/record.js';
import { cloudTrailClient } from '../support/clients.js';
import { samplesAvailable, sampleFiles, sampleText } from '../support/samples.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasSamples = samplesAvailable();
let server: ServerProcess;
let records: { raw: string; record: CloudTrailRecord }[] = [];

beforeAll(async () => {
  if (!hasSamples) return;
  server = await startServer({ args: ['--retention-days', '36500'] });
  // The samples come from many accounts and years: import them all, into one account, kept.
  const result = spawnSync(process.execPath, [BIN, 'events', 'import', '--allow-account-mismatch', '--account-id', server.accountId, '--data-dir', server.dataDir, ...sampleFiles()], {
    encoding: 'utf8',
    env: { ...process.env, OPENTRAIL_RETENTION_DAYS: '36500' },
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  records = sampleFiles().flatMap((file) => splitRecords(sampleText(file)).map((raw) => ({ raw, record: JSON.parse(raw) as CloudTrailRecord })));
});

afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!hasSamples)('real CloudTrail records in the event history', () => {
  it('returns every sampled record byte for byte by EventId', async () => {
    // Every 7th record: a spread over all files, sources and versions.
    for (const { raw, record } of records.filter((_, i) => i % 7 === 0)) {
      const client = cloudTrailClient(server, { region: record.awsRegion ?? "us-east-1" });
      const { Events } = await client.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: record.eventID }] }),
      );
      client.destroy();
      // Data events are kept for trails but are not part of the event history.
      if (!lookupKeysOf(record).inEventHistory) {
        expect(Events, record.eventID).toEqual([]);
        continue;
      }
      expect(Events, record.eventID).toHaveLength(1);
      expect(Events![0]!.CloudTrailEvent).toBe(raw);
      const keys = lookupKeysOf(record);
      expect(Events![0]).toMatchObject({ EventId: record.eventID, EventName: record.eventName, EventSource: record.eventSource });
      expect(Events![0]!.EventTime!.getTime()).toBe(keys.eventTimeMs);
    }
  });

  it('finds records by resource type, resource name, user, access key and read-only flag', async () => {
    const withResource = records.find((r) => lookupKeysOf(r.record).inEventHistory && r.record.resources?.some((res) => res.type && res.ARN) && r.record.userIdentity?.accessKeyId);
    expect(withResource).toBeDefined();
    const { record } = withResource!;
    const resource = record.resources!.find((res) => res.type && res.ARN)!;
    const keys = lookupKeysOf(record);
    const client = cloudTrailClient(server, { region: record.awsRegion ?? "us-east-1" });
    const cases: [LookupAttributeKey, string][] = [
      ['ResourceType', resource.type!],
      ['ResourceName', resource.ARN!],
      ['AccessKeyId', keys.accessKeyId!],
      ['EventSource', record.eventSource!],
      ['EventName', record.eventName!],
      ...(keys.username !== null ? ([['Username', keys.username]] as [LookupAttributeKey, string][]) : []),
      ...(keys.readOnly !== null ? ([['ReadOnly', keys.readOnly]] as [LookupAttributeKey, string][]) : []),
    ];
    for (const [key, value] of cases) {
      const found: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }], ...(NextToken && { NextToken }) }),
        );
        found.push(...page.Events!.map((e) => e.EventId!));
        NextToken = page.NextToken;
      } while (NextToken && !found.includes(record.eventID));
      expect(found, `${key}=${value}`).toContain(record.eventID);
    }
    // All of them at once (ANDed) still finds it.
    const all = await client.send(
      new LookupEventsCommand({ LookupAttributes: cases.map(([AttributeKey, AttributeValue]) => ({ AttributeKey, AttributeValue })) }),
    );
    expect(all.Events!.map((e) => e.EventId)).toContain(record.eventID);
    client.destroy();
  });
});
