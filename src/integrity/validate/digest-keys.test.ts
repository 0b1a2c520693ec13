import { describe, expect, it } from 'vitest';
import { digestKey } from '../../core/log-file.js';
import { digestKeyPattern, digestListPrefix, displayTime, keyDate, keyDateMs, parseTimeArgument, parseTrailArn } from './digest-keys.js';

describe('digest keys', () => {
  const target = { accountId: '111122223333', sourceRegion: 'eu-west-1', homeRegion: 'us-east-1', trailName: 'my.trail', prefix: 'p/q' };
  const endTimeMs = Date.UTC(2015, 7, 17, 15, 1, 31);
  const key = digestKey({ ...target, region: target.sourceRegion, endTimeMs });

  it('match the trail, region and prefix exactly, and carry their end time', () => {
    const pattern = digestKeyPattern(target);
    expect(pattern.test(key)).toBe(true);
    expect(pattern.test(key.replace('my.trail', 'myxtrail'))).toBe(false);
    expect(pattern.test(key.replace('p/q/', ''))).toBe(false);
    expect(pattern.test(key.replace('_us-east-1_', '_us-east-2_'))).toBe(false);
    expect(keyDate(endTimeMs + 999)).toBe('20150817T150131Z');
    expect(keyDateMs(key)).toBe(endTimeMs);
  });

  it("of an organization trail lie under the organization's folder, the member's own", () => {
    const orgTarget = { ...target, organizationId: 'o-abcdefghij' };
    const orgKey = digestKey({ ...orgTarget, region: target.sourceRegion, endTimeMs });
    expect(digestListPrefix(orgTarget)).toBe('p/q/AWSLogs/o-abcdefghij/111122223333/CloudTrail-Digest/eu-west-1');
    expect(orgKey.startsWith(digestListPrefix(orgTarget))).toBe(true);
    expect(digestKeyPattern(orgTarget).test(orgKey)).toBe(true);
    expect(digestKeyPattern(orgTarget).test(key)).toBe(false);
    expect(digestKeyPattern(target).test(orgKey)).toBe(false);
  });

  it('come from the trail ARN as the CLI reads it', () => {
    expect(parseTrailArn('arn:aws:cloudtrail:us-east-2:111122223333:trail/org/name')).toEqual({ homeRegion: 'us-east-2', accountId: '111122223333', trailName: 'name' });
    expect(() => parseTrailArn('arn:aws:cloudtrail:us-east-2:1111:trail/x')).toThrow('Invalid trail ARN provided');
  });
});

describe('time arguments', () => {
  it.each([
    ['2015-01-08T05:21:42Z', Date.UTC(2015, 0, 8, 5, 21, 42)],
    ['2015-01-08T05:21:42', Date.UTC(2015, 0, 8, 5, 21, 42)],
    ['2015-01-08 05:21', Date.UTC(2015, 0, 8, 5, 21)],
    ['2015-01-08', Date.UTC(2015, 0, 8)],
    ['2015-01-08T05:21:42.250Z', Date.UTC(2015, 0, 8, 5, 21, 42, 250)],
    ['2015-01-08T07:21:42+02:00', Date.UTC(2015, 0, 8, 5, 21, 42)],
    ['2015-01-08T07:21:42+0200', Date.UTC(2015, 0, 8, 5, 21, 42)],
  ])('%s', (text, ms) => {
    expect(parseTimeArgument(text)).toBe(ms);
  });

  it('refuses anything else, and prints to the second', () => {
    expect(() => parseTimeArgument('yesterday')).toThrow('Unable to parse date value: yesterday');
    expect(() => parseTimeArgument('2015-02-30')).toThrow();
    expect(displayTime(Date.UTC(2015, 0, 8, 5, 21, 42, 999))).toBe('2015-01-08T05:21:42Z');
  });
});

