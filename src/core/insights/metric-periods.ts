/**
 * ListInsightsMetricData's series as a pure function: per-minute values summed into periods
 * aligned to the epoch (a period starts at floor(t / period) * period), ascending. With
 * `fillWithZeros` every period whose start lies in [floor(startMs / period) * period, endMs)
 * is given, 0 where nothing was counted; otherwise only periods with a non-zero sum.
 */

export interface PeriodValue {
  /** Epoch ms of the period's start. */
  startMs: number;
  value: number;
}

export interface PeriodQuery {
  /** Epoch ms; start inclusive, end exclusive. */
  startMs: number;
  endMs: number;
  periodMs: number;
  fillWithZeros: boolean;
}

export function periodStart(timeMs: number, periodMs: number): number {
  return Math.floor(timeMs / periodMs) * periodMs;
}

/** `minutes` ascending (as InsightMetricReader.minuteValues gives them); those outside the range are ignored. */
export function sumIntoPeriods(minutes: readonly { minuteMs: number; value: number }[], query: PeriodQuery): PeriodValue[] {
  const { startMs, endMs, periodMs } = query;
  const sums = new Map<number, number>();
  for (const { minuteMs, value } of minutes) {
    if (minuteMs < startMs || minuteMs >= endMs) continue;
    const start = periodStart(minuteMs, periodMs);
    sums.set(start, (sums.get(start) ?? 0) + value);
  }
  if (!query.fillWithZeros) {
    return [...sums.entries()]
      .filter(([, value]) => value !== 0)
      .sort(([a], [b]) => a - b)
      .map(([start, value]) => ({ startMs: start, value }));
  }
  const periods: PeriodValue[] = [];
  for (let start = periodStart(startMs, periodMs); start < endMs; start += periodMs) {
    periods.push({ startMs: start, value: sums.get(start) ?? 0 });
  }
  return periods;
}
