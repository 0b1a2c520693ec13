import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROTATION_POLICY, currentKey, isInvalidKeyRange, keysForRange, rotationPlan } from './rotation.js';
import type { KeyWindow, RotationPolicy } from './rotation.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const d = (days: number) => T0 + days * DAY;
const POLICY: RotationPolicy = { lifetimeMs: 30 * DAY, overlapMs: 10 * DAY };
const w = (fromDays: number, toDays: number): KeyWindow => ({ validFromMs: d(fromDays), validToMs: d(toDays) });

describe('rotationPlan', () => {
  it.each<[string, KeyWindow[], number, KeyWindow[]]>([
    ['no keys: a current key now and its successor', [], d(0), [w(0, 30), w(20, 50)]],
    ['no keys, now within a second: the current key opens at the whole second', [], d(0) + 1234, [
      { validFromMs: d(0) + 1000, validToMs: d(30) + 1000 },
      { validFromMs: d(20) + 1000, validToMs: d(50) + 1000 },
    ]],
    ['a current key alone: its successor, ahead of time', [w(0, 30)], d(1), [w(20, 50)]],
    ['a current key and its successor: nothing', [w(0, 30), w(20, 50)], d(5), []],
    ['the successor has become current: the next one', [w(0, 30), w(20, 50)], d(20), [w(40, 70)]],
    ['on the last moment of the only key, past its handover: a new key now and its successor', [w(0, 30)], d(30), [w(30, 60), w(50, 80)]],
    ['past the handover without a successor: one opens now, then its successor', [w(0, 30)], d(25), [w(25, 55), w(45, 75)]],
    ['every key expired: start again now', [w(0, 30), w(20, 50)], d(100), [w(100, 130), w(120, 150)]],
    ['a future key that can take over: a current key only', [w(15, 45)], d(0), [w(0, 30)]],
    ['a future key that opens too late: a current key and a successor', [w(25, 55)], d(0), [w(0, 30), w(20, 50)]],
    ['the successor opens exactly at the handover: nothing', [w(0, 30), w(20, 50)], d(19), []],
    ['a successor that opens after the handover does not count', [w(0, 30), w(21, 51)], d(1), [w(20, 50)]],
  ])('%s', (_name, existing, now, expected) => {
    expect(rotationPlan(existing, now, POLICY)).toEqual(expected);
  });

  it('without overlap, the successor opens when the current key closes', () => {
    expect(rotationPlan([], d(0), { lifetimeMs: 30 * DAY, overlapMs: 0 })).toEqual([w(0, 30), w(30, 60)]);
  });

  it.each<[string, RotationPolicy]>([
    ['overlap = lifetime', { lifetimeMs: DAY, overlapMs: DAY }],
    ['negative overlap', { lifetimeMs: DAY, overlapMs: -1 }],
    ['zero lifetime', { lifetimeMs: 0, overlapMs: 0 }],
    ['infinite lifetime', { lifetimeMs: Number.POSITIVE_INFINITY, overlapMs: 0 }],
  ])('rejects a policy with %s', (_name, policy) => {
    expect(() => rotationPlan([], d(0), policy)).toThrow(RangeError);
  });

  it('the default policy is 30-day keys overlapping by 10 days', () => {
    expect(DEFAULT_ROTATION_POLICY).toEqual(POLICY);
  });

  it('always leaves a key valid now, a successor for it, and nothing more to do', () => {
    const window = fc.tuple(fc.integer({ min: -200, max: 200 }), fc.integer({ min: 1, max: 100 })).map(([from, len]) => w(from, from + len));
    fc.assert(
      fc.property(
        fc.array(window, { maxLength: 6 }),
        fc.integer({ min: -100 * DAY, max: 100 * DAY }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 59 }),
        (existing, offset, lifetimeDays, overlapDays) => {
          const policy = { lifetimeMs: lifetimeDays * DAY, overlapMs: Math.min(overlapDays, lifetimeDays - 1) * DAY };
          const now = T0 + offset;
          const planned = rotationPlan(existing, now, policy);
          const all = [...existing, ...planned];
          for (const p of planned) {
            expect(p.validToMs - p.validFromMs).toBe(policy.lifetimeMs);
            expect(p.validFromMs).toBeGreaterThan(now - 1000);
          }
          const valid = all.filter((k) => k.validFromMs <= now && now <= k.validToMs);
          expect(valid.length).toBeGreaterThan(0);
          const longest = valid.reduce((a, b) => (b.validToMs > a.validToMs ? b : a));
          expect(all.some((k) => k.validToMs > longest.validToMs && k.validFromMs <= longest.validToMs - policy.overlapMs)).toBe(true);
          expect(rotationPlan(all, now, policy)).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

const A = { fingerprint: 'a', ...w(0, 30) };
const B = { fingerprint: 'b', ...w(20, 50) };
const C = { fingerprint: 'c', ...w(40, 70) };
const KEYS = [A, C, B];

describe('currentKey', () => {
  it.each<[string, number, string | undefined]>([
    ['before any key', d(-1), undefined],
    ['at the first key\'s start', d(0), 'a'],
    ['inside one key', d(10), 'a'],
    ['in an overlap: the newer key', d(25), 'b'],
    ['when the next key opens', d(20), 'b'],
    ['at the last key\'s end', d(70), 'c'],
    ['after every key', d(70) + 1, undefined],
  ])('%s', (_name, at, expected) => {
    expect(currentKey(KEYS, at)?.fingerprint).toBe(expected);
  });

  it('breaks ties in a stable way', () => {
    const twin = { ...B, fingerprint: 'a-twin' };
    expect(currentKey([B, twin], d(25))?.fingerprint).toBe('a-twin');
    expect(currentKey([twin, B], d(25))?.fingerprint).toBe('a-twin');
  });
});

describe('keysForRange', () => {
  const now = d(25);
  it.each<[string, number | undefined, number | undefined, string[]]>([
    ['no range: the current key only', undefined, undefined, ['b']],
    ['a range inside one key', d(5), d(10), ['a']],
    ['a range across all keys, newest first', d(10), d(45), ['c', 'b', 'a']],
    ['a range ending in the future (validate-logs asks for end + 2 h)', d(24), d(25) + 2 * 3_600_000, ['b', 'a']],
    ['a range entirely in the future, over a published key', d(55), d(65), ['c']],
    ['a range entirely in the future, beyond every key', d(100), d(200), []],
    ['a range entirely before every key', d(-20), d(-10), []],
    ['a range that starts where a key ends', d(30), d(35), ['b', 'a']],
    ['a range that ends where a key starts', d(35), d(40), ['c', 'b']],
    ['a single instant on a boundary', d(50), d(50), ['c', 'b']],
    ['start only: up to now', d(5), undefined, ['b', 'a']],
    ['end only: from now', undefined, d(45), ['c', 'b', 'a']],
  ])('%s', (_name, start, end, expected) => {
    expect(keysForRange(KEYS, start, end, now).map((k) => k.fingerprint)).toEqual(expected);
  });

  it('no range with no key valid now: nothing', () => {
    expect(keysForRange(KEYS, undefined, undefined, d(100))).toEqual([]);
  });

  it.each<[string, number | undefined, number | undefined]>([
    ['start after end', d(10), d(5)],
    ['start only, in the future', d(30), undefined],
    ['end only, in the past', undefined, d(10)],
  ])('rejects %s (InvalidTimeRangeException)', (_name, start, end) => {
    expect(isInvalidKeyRange(start, end, now)).toBe(true);
    expect(() => keysForRange(KEYS, start, end, now)).toThrow(RangeError);
  });

  it('accepts an empty range and no range', () => {
    expect(isInvalidKeyRange(d(10), d(10), now)).toBe(false);
    expect(isInvalidKeyRange(undefined, undefined, now)).toBe(false);
  });
});
