import { describe, expect, it } from 'vitest';
import { samplesAvailable, sampleFiles, sampleText } from '../../test/support/samples.js';
import { lookupKeysOf } from './lookup-keys.js';
import type { CloudTrailRecord } from './record.js';

const base: CloudTrailRecord = {
  eventVersion: '1.09',
  eventTime: '2026-11-24T10:00:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'PutObject',
  awsRegion: 'us-east-1',
  eventID: '6f1c1d0e-0000-4000-8000-000000000001',
};

describe('lookupKeysOf: which records the event history shows', () => {
  it.each([
    ['a data event (eventCategory Data)', { eventCategory: 'Data', managementEvent: false }, false],
    ['a network activity event', { eventCategory: 'NetworkActivity', managementEvent: false }, false],
    ['an older data event without eventCategory (managementEvent false)', { managementEvent: false }, false],
    ['managementEvent "false" as a string', { managementEvent: 'false' }, false],
    ['a management event', { eventCategory: 'Management', managementEvent: true }, true],
    ['a record older than managementEvent and eventCategory (1.05)', {}, true],
    ['an Insights event', { eventCategory: 'Insight', eventType: 'AwsCloudTrailInsight' }, true],
    ['a custom event from a channel (ActivityAuditLog)', { eventCategory: 'ActivityAuditLog', eventType: 'ActivityLog', eventData: {} }, true],
  ])('%s: inEventHistory %s', (_name, fields, expected) => {
    expect(lookupKeysOf({ ...base, ...fields }).inEventHistory).toBe(expected);
  });
});

describe.skipIf(!samplesAvailable())('lookupKeysOf on the real samples', () => {
  it('leaves out exactly the data events (the 9 S3 GetObject/ListObjects of the OTRF file)', () => {
    const out = sampleFiles()
      .flatMap((file) => (JSON.parse(sampleText(file)) as { Records: CloudTrailRecord[] }).Records)
      .filter((record) => !lookupKeysOf(record).inEventHistory);
    expect(out).toHaveLength(9);
    expect(new Set(out.map((r) => `${r.eventSource} ${r.eventCategory} ${String(r.managementEvent)}`))).toEqual(new Set(['s3.amazonaws.com Data false']));
  });
});
