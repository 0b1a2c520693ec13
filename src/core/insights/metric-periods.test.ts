import { describe, expect, it } from 'vitest';
import { periodStart, sumIntoPeriods } from './metric-periods.js';

const H = 3_600_000;
const M = 60_000;

describe('sumIntoPeriods', () => {
  const minutes = [
    { minuteMs: 10 * H + 5 * M, value: 2 },
    { minuteMs: 10 * H + 59 * M, value: 3 },
    { minuteMs: 12 * H, value: 7 },
  ];

  it('sums minutes into epoch-aligned periods and fills the gaps with zeros', () => {
    expect(sumIntoPeriods(minutes, { startMs: 10 * H, endMs: 13 * H, periodMs: H, fillWithZeros: true })).toEqual([
      { startMs: 10 * H, value: 5 },
      { startMs: 11 * H, value: 0 },
      { startMs: 12 * H, value: 7 },
    ]);
  });

  it('NonZeroData leaves the empty periods out', () => {
    expect(sumIntoPeriods(minutes, { startMs: 10 * H, endMs: 13 * H, periodMs: H, fillWithZeros: false })).toEqual([
      { startMs: 10 * H, value: 5 },
      { startMs: 12 * H, value: 7 },
    ]);
  });

  it('aligns the first period down to the epoch and stops before the end', () => {
    const got = sumIntoPeriods(minutes, { startMs: 10 * H + 30 * M, endMs: 12 * H, periodMs: H, fillWithZeros: true });
    expect(got).toEqual([
      { startMs: 10 * H, value: 3 },
      { startMs: 11 * H, value: 0 },
    ]);
  });

  it('minute periods give one value a minute', () => {
    const got = sumIntoPeriods(minutes, { startMs: 10 * H + 4 * M, endMs: 10 * H + 7 * M, periodMs: M, fillWithZeros: true });
    expect(got.map((p) => p.value)).toEqual([0, 2, 0]);
  });

  it('an empty range gives nothing', () => {
    expect(sumIntoPeriods(minutes, { startMs: H, endMs: H, periodMs: H, fillWithZeros: true })).toEqual([]);
  });

  it('periodStart floors to a multiple of the period', () => {
    expect(periodStart(10 * H + 5 * M, 5 * M * 3)).toBe(10 * H);
    expect(periodStart(10 * H + 16 * M, 15 * M)).toBe(10 * H + 15 * M);
  });
});
