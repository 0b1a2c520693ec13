import { describe, expect, it } from 'vitest';
import { checkRecords } from './import-records.js';
import { isIsoDateTime } from './time-format.js';
import type { ImportRules } from './import-records.js';

const ACCOUNT = '111122223333';
const rules: ImportRules = { accountId: ACCOUNT, allowAccountMismatch: false, oldestMs: Date.UTC(2026, 0, 1), deliverToTrails: false };

function raw(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ eventVersion: '1.09', eventTime: '2026-11-24T10:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'GetUser', awsRegion: 'eu-west-1', eventID: 'id-1', recipientAccountId: ACCOUNT, ...fields });
}

describe('checkRecords', () => {
  it('prepares valid records byte for byte, idempotent and, by default, for the history only', () => {
    const text = raw().replace('"GetUser"', '"GetUser" ');
    const { events, problems } = checkRecords([text], rules);
    expect(problems).toEqual([]);
    expect(events).toMatchObject([{ accountId: ACCOUNT, region: 'eu-west-1', json: text, idempotent: true, deliverToTrails: false }]);
    expect(checkRecords([text], { ...rules, deliverToTrails: true, region: 'us-east-1' }).events).toMatchObject([{ region: 'us-east-1', deliverToTrails: true }]);
  });

  it('prepares nothing when any record has a problem, and names each by index', () => {
    const result = checkRecords([raw(), 'null', raw({ eventID: '' }), raw({ eventTime: '2026-11-24 10:00:00' }), raw({ awsRegion: undefined }), raw({ eventTime: 5 })], rules);
    expect(result.events).toEqual([]);
    expect(result.invalid).toBe(5);
    expect(result.problems.map((p) => [p.first, p.message])).toEqual([
      [1, 'is null, not a record object'],
      [2, 'eventID is "", not a string'],
      [3, 'eventTime "2026-11-24 10:00:00" is not a valid ISO 8601 date-time (such as 2026-01-31T12:00:00Z)'],
      [4, 'has no awsRegion (give --region to file such records under one)'],
      [5, 'eventTime is a number, not a valid ISO 8601 date-time (such as 2026-01-31T12:00:00Z)'],
    ]);
  });

  it('takes records without awsRegion under --region', () => {
    expect(checkRecords([raw({ awsRegion: undefined })], { ...rules, region: 'us-east-1' }).problems).toEqual([]);
  });

  it("refuses another account's records unless allowed, in one range for consecutive ones", () => {
    const other = raw({ recipientAccountId: '999988887777' });
    const refused = checkRecords([other, other, other, raw(), other], rules);
    expect(refused.problems.map((p) => [p.first, p.last])).toEqual([
      [0, 2],
      [4, 4],
    ]);
    expect(refused.problems[0]!.message).toBe('recipientAccountId "999988887777" is not account 111122223333 (--allow-account-mismatch imports it anyway)');
    expect(checkRecords([other, raw({ recipientAccountId: undefined })], { ...rules, allowAccountMismatch: true }).events).toHaveLength(2);
  });

  it('counts and leaves out records older than the retention window', () => {
    const result = checkRecords([raw({ eventTime: '2025-12-31T23:59:59Z' }), raw({ eventID: 'id-2' })], rules);
    expect(result).toMatchObject({ tooOld: 1, problems: [] });
    expect(result.events.map((e) => e.keys.eventId)).toEqual(['id-2']);
  });
});

describe('isIsoDateTime', () => {
  it.each(['2026-11-24T10:00:00Z', '2026-11-24T10:00:00.123Z', '2026-11-24T10:00:00+02:00', '2024-02-29T23:59:59Z'])('takes %s', (value) => {
    expect(isIsoDateTime(value)).toBe(true);
  });

  it.each(['2026-11-24T10:00:00', '2026-11-24 10:00:00Z', '2026-02-30T10:00:00Z', '2025-02-29T10:00:00Z', '2026-11-24T24:00:00Z', '2026-11-24T10:60:00Z', 'Tue, 24 Nov 2026 10:00:00 GMT', ''])(
    'refuses %j',
    (value) => {
      expect(isIsoDateTime(value)).toBe(false);
    },
  );
});
