import { describe, expect, it } from 'vitest';
import { SeriesHistory } from './series-history.js';
import { detectorSettings } from './settings.js';

const T0 = 29_000_000 * 60 - ((29_000_000 * 60) % 10_080); // an epoch minute on a week boundary

describe('detectorSettings', () => {
  it('derives the warm-up from the baseline: 7 days for 28, at least an hour', () => {
    expect(detectorSettings().warmupMinutes).toBe(10_080);
    expect(detectorSettings(360).warmupMinutes).toBe(90);
    expect(detectorSettings(120).warmupMinutes).toBe(60);
    expect(detectorSettings(40_320, { warmupMinutes: 5 }).warmupMinutes).toBe(5);
  });
});

describe('SeriesHistory', () => {
  it('has no baseline during the warm-up (cold start), then one over the history before the minute', () => {
    const settings = detectorSettings(1440); // warm-up 360 minutes
    const h = new SeriesHistory(settings, T0);
    for (let m = T0; m < T0 + 360; m++) {
      expect(h.baseline(m)).toBeUndefined();
      h.add(m, 10);
    }
    const b = h.baseline(T0 + 360)!;
    expect(b.center).toBe(10);
    expect(b.average).toBe(10);
    expect(b.coveredMinutes).toBe(360);
    expect(b.spread).toBeGreaterThanOrEqual(Math.sqrt(11) - 1e-9);
  });

  it('counts minutes never added as zeros', () => {
    const settings = detectorSettings(1440, { warmupMinutes: 120 });
    const h = new SeriesHistory(settings, T0);
    // 10 calls every other minute for 4 hours: half the minutes are zeros.
    for (let m = T0; m < T0 + 240; m += 2) h.add(m, 10);
    const b = h.baseline(T0 + 240)!;
    expect(b.average).toBeCloseTo(5, 9);
    expect(b.center).toBe(5); // median of 30 zeros and 30 tens
    // A long silence: the hours in between are zeros, the average falls.
    const later = h.baseline(T0 + 1440 + 60)!;
    expect(later.center).toBe(0);
    expect(later.average).toBeLessThan(1);
    expect(later.coveredMinutes).toBe(1440);
  });

  it('uses no history before firstMinute and none outside the window', () => {
    const settings = detectorSettings(600, { warmupMinutes: 60 });
    const h = new SeriesHistory(settings, T0 + 30);
    h.add(T0 + 10, 1000); // before firstMinute: ignored
    for (let m = T0 + 30; m < T0 + 120; m++) h.add(m, 4);
    expect(h.baseline(T0 + 120)!.average).toBe(4);
    for (let m = T0 + 120; m < T0 + 2000; m++) h.add(m, 2);
    const b = h.baseline(T0 + 2000)!;
    expect(b.center).toBe(2);
    expect(b.average).toBeCloseTo(2, 1);
    expect(b.coveredMinutes).toBe(600);
  });

  it('keeps bounded memory: independent of the minutes added, and small for the 28-day default', () => {
    const settings = detectorSettings();
    const h = new SeriesHistory(settings, T0);
    const before = h.memoryBytes();
    for (let m = T0; m < T0 + 20_000; m++) h.add(m, m % 7);
    expect(h.memoryBytes()).toBe(before);
    expect(before).toBeLessThan(16 * 1024); // vs 40,320 minutes × 8 bytes = 315 KB kept raw
    // Growing the baseline grows only the hourly ring: 60× less than the minutes.
    expect(new SeriesHistory(detectorSettings(4 * 40_320), T0).memoryBytes()).toBeLessThan(4 * before);
  });

  it('compares with the same hour of the week once it has two weeks of history', () => {
    const settings = detectorSettings(40_320, { warmupMinutes: 1440 });
    const h = new SeriesHistory(settings, T0);
    // Every day 100/min from 08:00 to 11:00, else 5/min; on Mondays only 20/min then.
    const rate = (m: number) => {
      const inWeek = (m - T0) % 10_080;
      const hourOfDay = Math.floor((inWeek % 1440) / 60);
      if (hourOfDay < 8 || hourOfDay >= 11) return 5;
      return inWeek < 1440 ? 20 : 100;
    };
    for (let m = T0; m < T0 + 14 * 1440 + 9 * 60; m++) h.add(m, rate(m));
    // Monday 09:00 of week 3: same hour-of-week (20, with 5s around) — not the other days' 100.
    const monday = h.baseline(T0 + 14 * 1440 + 9 * 60 + 1)!;
    expect(monday.center).toBe(20);
    // With less than two weeks (day 8, Tuesday 09:00), the same hour of the day: 100s dominate.
    const h2 = new SeriesHistory(settings, T0);
    for (let m = T0; m < T0 + 8 * 1440 + 9 * 60; m++) h2.add(m, rate(m));
    const tuesday = h2.baseline(T0 + 8 * 1440 + 9 * 60 + 1)!;
    expect(tuesday.center).toBe(100);
    // With less than a day, all recent hours: mostly 5s.
    const h3 = new SeriesHistory(detectorSettings(40_320, { warmupMinutes: 60 }), T0);
    for (let m = T0; m < T0 + 10 * 60; m++) h3.add(m, rate(m));
    expect(h3.baseline(T0 + 10 * 60)!.center).toBe(5);
  });
});
