/**
 * The CIS patterns on the shared real CloudTrail records, against the same controls written
 * as plain TypeScript predicates over the parsed record: every record must get the same answer.
 */
import { describe, expect, it } from 'vitest';
import { sampleFiles, samplesAvailable, sampleText } from '../../../test/support/samples.js';
import { matchLogEvent, parseFilterPattern, prepareLogEvent } from '../filter-pattern/index.js';
import { CIS_CONTROLS } from './cis-pack.js';

const available = samplesAvailable();

type CtRecord = Record<string, unknown> & { userIdentity?: Record<string, unknown>; additionalEventData?: Record<string, unknown>; responseElements?: Record<string, unknown> | null };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Comparisons in patterns need the field to be a string: `!=` on an absent field is false. */
const predicates: Record<string, (r: CtRecord) => boolean> = {
  '4.1': (r) => {
    const code = str(r.errorCode);
    const ip = str(r.sourceIPAddress);
    const name = str(r.eventName);
    return code !== undefined && (code.endsWith('UnauthorizedOperation') || code.startsWith('AccessDenied')) && ip !== undefined && ip !== 'delivery.logs.amazonaws.com' && name !== undefined && name !== 'HeadBucket';
  },
  '4.2': (r) => {
    const mfa = str(r.additionalEventData?.MFAUsed);
    return r.eventName === 'ConsoleLogin' && mfa !== undefined && mfa !== 'Yes' && r.userIdentity?.type === 'IAMUser' && r.responseElements?.ConsoleLogin === 'Success';
  },
  '4.3': (r) => {
    const type = str(r.eventType);
    return r.userIdentity?.type === 'Root' && !Object.hasOwn(r.userIdentity, 'invokedBy') && type !== undefined && type !== 'AwsServiceEvent';
  },
  '4.5': (r) => ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'].includes(str(r.eventName) ?? ''),
  '4.6': (r) => r.eventName === 'ConsoleLogin' && r.errorMessage === 'Failed authentication',
  '4.7': (r) => r.eventSource === 'kms.amazonaws.com' && ['DisableKey', 'ScheduleKeyDeletion'].includes(str(r.eventName) ?? ''),
  '4.8': (r) =>
    r.eventSource === 's3.amazonaws.com' &&
    /^(Put|Delete)Bucket(Policy|Cors|Lifecycle|Replication)$|^PutBucketAcl$/.test(str(r.eventName) ?? ''),
};

describe.skipIf(!available)('the CIS pack on the real CloudTrail samples', () => {
  const records = available
    ? sampleFiles().flatMap((file) => (JSON.parse(sampleText(file)) as { Records: CtRecord[] }).Records)
    : [];
  const messages = records.map((r) => JSON.stringify(r));

  it.each(Object.keys(predicates))('%s agrees with its predicate on every record', (id) => {
    const control = CIS_CONTROLS.find((c) => c.id === id);
    const predicate = predicates[id];
    if (control === undefined || predicate === undefined) throw new Error(id);
    const pattern = parseFilterPattern(control.pattern);
    const disagree = records.filter((r, i) => predicate(r) !== (matchLogEvent(pattern, messages[i] ?? '') !== undefined));
    expect(disagree.map((r) => r.eventID)).toEqual([]);
  });

  it('finds what the samples hold (unauthorized calls, trail changes)', () => {
    const count = (id: string) => {
      const pattern = parseFilterPattern(CIS_CONTROLS.find((c) => c.id === id)?.pattern ?? '');
      return messages.filter((m) => matchLogEvent(pattern, m) !== undefined).length;
    };
    expect(count('4.1')).toBeGreaterThan(100);
    expect(count('4.5')).toBeGreaterThan(0);
  });

  it('all 15 patterns on one prepared record read its JSON once and agree with unprepared matching', () => {
    const patterns = CIS_CONTROLS.map((c) => parseFilterPattern(c.pattern));
    for (const message of messages.slice(0, 500)) {
      const prepared = prepareLogEvent(message);
      for (const p of patterns) expect(matchLogEvent(p, prepared) !== undefined).toBe(matchLogEvent(p, message) !== undefined);
    }
  });
});
