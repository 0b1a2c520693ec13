import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditRecord, isAuditEventFailure, isAuditRecordText, validateAuditEvent } from './audit-event.js';

const ACCOUNT = '111122223333';
const valid = {
  version: '1.0',
  userIdentity: { type: 'CustomUser', principalId: 'alice', details: { k: 'v' } },
  eventSource: 'app.example.com',
  eventName: 'DoThing',
  eventTime: '2026-11-24T01:02:03Z',
  UID: 'uid-1',
};

function check(data: unknown, checksum?: string) {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return validateAuditEvent(text, checksum, ACCOUNT);
}

describe('validateAuditEvent', () => {
  it('accepts a valid event, with or without a matching checksum', () => {
    const text = JSON.stringify(valid);
    const checksum = createHash('sha256').update(text).digest('base64');
    for (const result of [check(valid), check(valid, checksum)]) {
      expect(isAuditEventFailure(result)).toBe(false);
      expect(result).toMatchObject({ eventTimeMs: Date.UTC(2026, 10, 24, 1, 2, 3) });
    }
  });

  it.each([
    ['not JSON', '{', 'InvalidData'],
    ['an array', '[]', 'InvalidData'],
    ['a missing eventName', { ...valid, eventName: undefined }, 'FieldNotFound'],
    ['a missing principalId', { ...valid, userIdentity: { type: 'X' } }, 'FieldNotFound'],
    ['an unknown field', { ...valid, extra: 1 }, 'InvalidData'],
    ['a number for eventName', { ...valid, eventName: 5 }, 'InvalidData'],
    ['a string for requestParameters', { ...valid, requestParameters: 'x' }, 'InvalidData'],
    ['a date that is not ISO 8601', { ...valid, eventTime: 'yesterday' }, 'InvalidData'],
    ['an over-long eventName', { ...valid, eventName: 'x'.repeat(1025) }, 'FieldTooLong'],
    ['another recipient', { ...valid, recipientAccountId: '999988887777' }, 'InvalidRecipient'],
    ['an AWS event source', { ...valid, eventSource: 's3.amazonaws.com' }, 'InvalidEventSource'],
    ['more than 256 KiB', { ...valid, additionalEventData: { pad: 'x'.repeat(300_000) } }, 'FieldTooLong'],
  ])('refuses %s', (_name, data, code) => {
    expect(check(data)).toMatchObject({ errorCode: code });
  });

  it('refuses an eventData with a duplicate key, at the top or nested, however it is escaped', () => {
    const text = JSON.stringify(valid);
    for (const dup of [
      text.replace('"eventSource":"app.example.com"', '"eventSource":"app.example.com","eventSource":"other.example.com"'),
      text.replace('"eventName"', '"eventSource":"shadow.example.com","eventName"'),
      text.replace('"k":"v"', '"k":"v","\\u006b":"w"'),
    ]) {
      expect(JSON.parse(dup)).toBeTypeOf('object');
      const result = check(dup);
      expect(result).toMatchObject({ errorCode: 'InvalidData' });
      expect((result as { errorMessage: string }).errorMessage).toMatch(/has the key "(eventSource|k)" more than once/);
    }
  });

  it('accepts eventData nested 64 levels deep and refuses 65', () => {
    // valid is level 1; additionalEventData adds n + 1 more.
    const nested = (n: number) => JSON.stringify({ ...valid, additionalEventData: JSON.parse('{"a":'.repeat(n) + '{}' + '}'.repeat(n)) as object });
    expect(isAuditEventFailure(check(nested(62)))).toBe(false);
    expect(check(nested(63))).toMatchObject({ errorCode: 'InvalidData', errorMessage: 'eventData nests objects and arrays more than 64 levels deep.' });
    expect(check('['.repeat(100_000) + ']'.repeat(100_000))).toMatchObject({ errorCode: 'InvalidData' });
  });

  it('refuses a wrong checksum', () => {
    expect(check(valid, 'AAAA')).toMatchObject({ errorCode: 'InvalidChecksum' });
  });
});

describe('auditRecord', () => {
  it("wraps the caller's exact eventData and indexes it", () => {
    const text = JSON.stringify(valid, null, 2).replace('"1.0"', '"1.0"  ');
    const { json, keys } = auditRecord(
      { eventId: 'e-1', eventTimeMs: Date.UTC(2026, 10, 24), region: 'eu-west-1', accountId: ACCOUNT, channelArn: 'arn:c', ingestionTime: '2026-11-24T00:00:01.000Z' },
      text,
      valid,
    );
    expect(json.endsWith(`,"eventData":${text}}`)).toBe(true);
    expect(JSON.parse(json)).toEqual({
      eventVersion: '1.11',
      eventCategory: 'ActivityAuditLog',
      eventType: 'ActivityLog',
      eventID: 'e-1',
      eventTime: '2026-11-24T00:00:00Z',
      awsRegion: 'eu-west-1',
      recipientAccountId: ACCOUNT,
      metadata: { ingestionTime: '2026-11-24T00:00:01.000Z', channelARN: 'arn:c' },
      eventData: valid,
    });
    expect(keys).toMatchObject({ eventId: 'e-1', eventName: 'DoThing', eventSource: 'app.example.com', username: 'alice', readOnly: null, accessKeyId: null });
    expect(isAuditRecordText(json)).toBe(true);
  });

  it('is told from other records by its first bytes', () => {
    expect(isAuditRecordText(JSON.stringify({ eventVersion: '1.11', eventCategory: 'Management', eventType: 'AwsApiCall' }))).toBe(false);
    expect(isAuditRecordText(JSON.stringify({ eventVersion: '1.08', userIdentity: { eventCategory: 'ActivityAuditLog' } }))).toBe(false);
  });
});
