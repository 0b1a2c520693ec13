import { describe, expect, it } from 'vitest';
import { coverage, logDayPrefixes, mustBeListed } from './unlisted-logs.js';
import type { VerifiedDigest } from './types.js';

const digest = (startMs: number, endMs: number) => ({ startMs, endMs }) as VerifiedDigest;
const M = 60_000;

describe('coverage and mustBeListed', () => {
  it('merges touching digests and holes, and keeps logging gaps apart', () => {
    const a = digest(0, 10 * M);
    const b = digest(10 * M, 20 * M);
    const c = digest(40 * M, 50 * M);
    const d = digest(60 * M, 70 * M);
    // c and d: d's predecessor was deleted, the walk fell back to c.
    expect(coverage([d, b, a, c], [{ newer: d, older: c, reported: 1 }])).toEqual([
      [0, 20 * M],
      [40 * M, 70 * M],
    ]);
  });

  it('wants a file only when its whole key minute lies in the coverage', () => {
    const covered: [number, number][] = [[10 * M + 30_000, 20 * M + 30_000]];
    expect(mustBeListed(11 * M, covered)).toBe(true);
    expect(mustBeListed(19 * M, covered)).toBe(true);
    expect(mustBeListed(10 * M, covered)).toBe(false); // may have been delivered before the first digest began
    expect(mustBeListed(20 * M, covered)).toBe(false); // may have been delivered after the newest digest ended
  });
});

describe('logDayPrefixes', () => {
  it('lists each UTC day the range touches', () => {
    const target = { prefix: 'audit', accountId: '111122223333', sourceRegion: 'eu-west-1', homeRegion: 'us-east-1', trailName: 't' };
    expect(logDayPrefixes(target, Date.UTC(2026, 1, 27, 23), Date.UTC(2026, 2, 1, 0, 5))).toEqual([
      'audit/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/02/27/',
      'audit/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/02/28/',
      'audit/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/03/01/',
    ]);
  });
});
