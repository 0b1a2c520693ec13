import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../store/event-store.js';
import type { Trail } from '../store/trail-store.js';
import { batchEnd, planFiles } from './delivery-plan.js';

const trail: Trail = {
  trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t',
  accountId: '111122223333',
  homeRegion: 'us-east-1',
  name: 't',
  config: { S3BucketName: 'b', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: false },
  tags: [],
  isLogging: true,
  status: {},
  createdAt: 0,
};

function entry(seq: number, deliverToTrails: boolean): LogEntry {
  const json = JSON.stringify({ eventVersion: '1.11', eventTime: '2026-11-24T10:00:00Z', eventSource: 'cloudtrail.amazonaws.com', eventName: 'X', awsRegion: 'us-east-1', eventID: `e-${seq}`, managementEvent: true, eventCategory: 'Management', readOnly: true });
  return { seq, accountId: '111122223333', region: 'us-east-1', timeMs: Date.UTC(2026, 10, 24, 10), json, deliverToTrails };
}

describe('history-only events (imported without --deliver-to-trails)', () => {
  it('go in no log file', () => {
    const files = planFiles(trail, [entry(1, false), entry(2, true), entry(3, false)], { firstSeq: 1, lastSeq: 3 }, Date.UTC(2026, 10, 24, 10, 1));
    expect(files).toHaveLength(1);
    expect(files[0]!.eventCount).toBe(1);
  });

  it('take no room in a batch, which still reaches past them', () => {
    const entries = [entry(1, true), ...Array.from({ length: 100 }, (_, i) => entry(i + 2, false)), entry(102, true)];
    const oneFileOfTwo = entries[0]!.json.length + entries[101]!.json.length + 2;
    expect(batchEnd(entries, oneFileOfTwo)).toBe(102);
    expect(batchEnd(entries.slice(1, 101), 10)).toBe(101);
  });
});

describe('an organization trail', () => {
  const MEMBER = '444455556666';
  const LATE = '777788889999';
  const orgTrail: Trail = { ...trail, config: { ...trail.config, IsOrganizationTrail: true } };
  const joined = Date.UTC(2026, 10, 24, 10, 0, 30);
  const organization = { organizationId: 'o-abcdefghij', joinedAt: new Map([[trail.accountId, Number.NEGATIVE_INFINITY], [MEMBER, 0], [LATE, joined + 400]]) };
  const of = (seq: number, accountId: string, timeMs: number): LogEntry => ({ ...entry(seq, true), accountId, timeMs });

  it("delivers one file per account and region under AWSLogs/<org-id>/<account-id>/, from each account's joining second", () => {
    const entries = [of(1, MEMBER, joined), of(2, trail.accountId, joined), of(3, LATE, joined - 1000), of(4, LATE, joined), of(5, '999988887777', joined)];
    const files = planFiles(orgTrail, entries, { firstSeq: 1, lastSeq: 5 }, Date.UTC(2026, 10, 24, 10, 1), organization);
    expect(files.map((f) => [f.accountId, f.eventCount])).toEqual([
      [trail.accountId, 1],
      [MEMBER, 1],
      // Joined during the second of seq 4 (records keep their time to the second); seq 3 is before.
      [LATE, 1],
    ]);
    for (const file of files) expect(file.key).toMatch(new RegExp(`^AWSLogs/o-abcdefghij/${file.accountId}/CloudTrail/us-east-1/2026/11/24/${file.accountId}_CloudTrail_us-east-1_20261124T1001Z_`));
  });

  it('is a pure function of its input: the same batch gives the same keys and bytes', () => {
    const entries = [of(1, MEMBER, joined), of(2, trail.accountId, joined)];
    const once = planFiles(orgTrail, entries, { firstSeq: 1, lastSeq: 2 }, Date.UTC(2026, 10, 24, 10, 1), organization);
    const again = planFiles(orgTrail, entries, { firstSeq: 1, lastSeq: 2 }, Date.UTC(2026, 10, 24, 10, 1), organization);
    expect(again.map((f) => [f.key, f.file.sha256])).toEqual(once.map((f) => [f.key, f.file.sha256]));
  });

  it('an ordinary trail delivers only its own account', () => {
    const files = planFiles(trail, [of(1, MEMBER, joined), of(2, trail.accountId, joined)], { firstSeq: 1, lastSeq: 2 }, Date.UTC(2026, 10, 24, 10, 1));
    expect(files.map((f) => f.accountId)).toEqual([trail.accountId]);
    expect(files[0]!.key.startsWith(`AWSLogs/${trail.accountId}/CloudTrail/`)).toBe(true);
  });
});
