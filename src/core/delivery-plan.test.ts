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
