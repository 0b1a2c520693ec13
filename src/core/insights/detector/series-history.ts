/**
 * One series' history and its baseline (docs/insights.md, "The statistical rule").
 *
 * Memory: the baseline never needs single minutes from past hours, only summaries of them, so
 * the history is a ring of hourly summaries over the window (median, MAD and sum of the hour's
 * minutes, computed once when the hour is complete) plus the current hour's 60 minutes. For
 * the 28-day default that is 672 hours × 20 bytes ≈ 13 KB per series, fixed at construction and
 * independent of how many minutes are added; keeping the 40,320 minutes themselves would be
 * 160–320 KB and a median over them each minute.
 *
 * Comparable hours (seasonality): audit traffic follows people and schedules, so the hour a
 * minute falls in is compared with the same hour of the week when the history covers ≥ 2 weeks
 * (weekday vs weekend, business hours), else the same hour of the day when it covers ≥ 1 day,
 * else all recent hours. Each comparable hour brings its neighbours (±1 h), which smooths a
 * schedule that drifts by some minutes and traffic that ramps within an hour. The last
 * RECENT_HOURS complete hours are always included, so the baseline leans towards the current
 * level (a level shift is partly adapted to within hours; fully once the seasonal hours see it).
 */
import type { Baseline, DetectorSettings } from './types.js';

const HOUR = 60;
const DAY_HOURS = 24;
const WEEK_HOURS = 168;
/** Complete hours always compared with, whatever the seasonality. */
const RECENT_HOURS = 3;
/** Consistency constant: MAD × 1.4826 estimates a normal standard deviation. */
const MAD_TO_SD = 1.4826;
/** The spread is never below one call per minute (counts are integers). */
const ABSOLUTE_SPREAD_FLOOR = 1;

/** The median of the first `n` values of `a`, sorting them in place. */
function medianInPlace(a: Float64Array, n: number): number {
  if (n === 0) return 0;
  const view = a.subarray(0, n).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? view[mid]! : (view[mid - 1]! + view[mid]!) / 2;
}

/** Median and MAD of the first `n` values of `a` (reordered). */
function medianAndMad(a: Float64Array, n: number): { median: number; mad: number } {
  const median = medianInPlace(a, n);
  for (let i = 0; i < n; i++) a[i] = Math.abs(a[i]! - median);
  return { median, mad: medianInPlace(a, n) };
}

// Scratch space shared by all histories (single-threaded, never held across calls).
const scratchMinutes = new Float64Array(HOUR);
let scratchA = new Float64Array(64);
let scratchB = new Float64Array(64);
let scratchC = new Float64Array(64);

function ensureScratch(n: number): void {
  if (scratchA.length >= n) return;
  const size = Math.max(n, scratchA.length * 2);
  scratchA = new Float64Array(size);
  scratchB = new Float64Array(size);
  scratchC = new Float64Array(size);
}

export class SeriesHistory {
  private readonly windowMinutes: number;
  private readonly warmupMinutes: number;
  private readonly windowHours: number;
  private readonly firstMinute: number;
  private readonly firstHour: number;
  /** Ring of complete hours: slot = hour mod windowHours; tags say which hour a slot holds. */
  private readonly tags: Int32Array;
  private readonly medians: Float32Array;
  private readonly mads: Float32Array;
  private readonly sums: Float64Array;
  /** The hour being filled and its minutes (those before firstMinute are unknown). */
  private currentHour: number;
  private readonly minutes = new Float64Array(HOUR);
  private currentSum = 0;
  private lastAdded = -Infinity;
  /** Sum and known minutes over the complete hours in the ring (for the average). */
  private ringSum = 0;
  private ringKnown = 0;
  /** center and spread depend only on the hour asked about (the complete hours before it). */
  private cachedHour = -1;
  private cachedCenter = 0;
  private cachedSpread = 0;

  constructor(settings: DetectorSettings, firstMinute: number) {
    this.windowMinutes = settings.baselineMinutes;
    this.warmupMinutes = settings.warmupMinutes;
    this.windowHours = Math.max(1, Math.ceil(settings.baselineMinutes / HOUR));
    this.firstMinute = firstMinute;
    this.firstHour = Math.floor(firstMinute / HOUR);
    this.currentHour = this.firstHour;
    this.tags = new Int32Array(this.windowHours).fill(-1);
    this.medians = new Float32Array(this.windowHours);
    this.mads = new Float32Array(this.windowHours);
    this.sums = new Float64Array(this.windowHours);
  }

  /** Records `value` for `minute`; minutes only increase (a repeated minute adds to its value). */
  add(minute: number, value: number): void {
    if (minute < this.firstMinute) return;
    if (minute < this.lastAdded) throw new RangeError(`minute ${minute} is before the last one added (${this.lastAdded})`);
    this.advanceTo(Math.floor(minute / HOUR));
    this.minutes[minute - this.currentHour * HOUR]! += value;
    this.currentSum += value;
    this.lastAdded = minute;
  }

  /**
   * What `minute` is compared with: history strictly before it, within the window; undefined
   * during the warm-up. Asking about a minute of a later hour completes the hours before it
   * (their minutes not added are zeros), so minutes must not be added before it afterwards.
   */
  baseline(minute: number): Baseline | undefined {
    const since = minute - this.firstMinute;
    if (since < this.warmupMinutes) return undefined;
    const hour = Math.floor(minute / HOUR);
    this.advanceTo(hour);
    const coveredMinutes = Math.min(this.windowMinutes, since);
    // Average: complete hours of the ring plus the current hour's minutes before `minute`.
    const currentKnown = Math.max(0, minute - Math.max(this.currentHour * HOUR, this.firstMinute));
    const known = this.ringKnown + currentKnown;
    const average = known > 0 ? (this.ringSum + this.currentSum) / known : 0;
    if (this.cachedHour !== hour && !this.summarize(hour)) {
      // No complete hour yet (the warm-up is shorter than the first partial hour): the minutes so far.
      const n = minute - Math.max(this.currentHour * HOUR, this.firstMinute);
      const from = Math.max(0, this.firstMinute - this.currentHour * HOUR);
      for (let i = 0; i < n; i++) scratchMinutes[i] = this.minutes[from + i]!;
      const { median, mad } = medianAndMad(scratchMinutes, n);
      return { center: median, spread: Math.max(mad * MAD_TO_SD, Math.sqrt(average + 1), ABSOLUTE_SPREAD_FLOOR), average, coveredMinutes };
    }
    return { center: this.cachedCenter, spread: this.cachedSpread, average, coveredMinutes };
  }

  /** Bytes this history holds (its typed arrays and fields). */
  memoryBytes(): number {
    return this.tags.byteLength + this.medians.byteLength + this.mads.byteLength + this.sums.byteLength + this.minutes.byteLength + 16 * 8;
  }

  /** Computes and caches center and spread for minutes of `hour`; false when no complete hour is known. */
  private summarize(hour: number): boolean {
    const historyHours = hour - this.firstHour;
    const oldest = hour - this.windowHours;
    const period = historyHours >= 2 * WEEK_HOURS && this.windowHours >= 2 * WEEK_HOURS ? WEEK_HOURS : historyHours >= DAY_HOURS + 1 && this.windowHours >= DAY_HOURS + 1 ? DAY_HOURS : 0;
    ensureScratch(period === 0 ? DAY_HOURS + RECENT_HOURS : 3 * Math.ceil(this.windowHours / period) + RECENT_HOURS);
    let n = 0;
    const take = (h: number): void => {
      if (h < oldest || h >= hour) return;
      const slot = h % this.windowHours;
      if (this.tags[slot] !== h) return;
      scratchA[n] = this.medians[slot]!;
      scratchB[n] = this.mads[slot]!;
      scratchC[n] = this.sums[slot]! / (h === this.firstHour ? HOUR - (this.firstMinute - this.firstHour * HOUR) : HOUR);
      n++;
    };
    if (period === 0) {
      for (let h = hour - 1; h >= Math.max(oldest, hour - DAY_HOURS); h--) take(h);
    } else {
      for (let k = 1; hour - k * period + 1 >= oldest; k++) for (let d = -1; d <= 1; d++) take(hour - k * period + d);
      for (let r = 1; r <= RECENT_HOURS; r++) take(hour - r);
    }
    if (n === 0) return false;
    const { median: center, mad: madOfMedians } = medianAndMad(scratchA, n);
    const medianMad = medianInPlace(scratchB, n);
    // The typical hourly mean rate, for the Poisson floor (robust too: a median of means).
    const meanRate = medianInPlace(scratchC, n);
    // center: the median of the comparable hours' medians — robust to a past anomaly (an
    // incident that filled an hour moves one of 6–15 values, not the centre).
    // spread: a minute's value is its hour's level plus noise within the hour, so the two robust
    // spreads add as variances: the typical within-hour MAD and the MAD of the hourly medians
    // (hour-to-hour drift, seasonal misfit between neighbouring hours). Taking only their max
    // let ordinary ~10 % hour-to-hour drift fire on busy series in the generator. Then floors:
    // Poisson (a count's noise is ~√rate even when the hours' medians are flat, e.g. all 0 for
    // rare calls) and an absolute 1 call per minute.
    this.cachedHour = hour;
    this.cachedCenter = center;
    this.cachedSpread = Math.max(Math.hypot(medianMad * MAD_TO_SD, madOfMedians * MAD_TO_SD), Math.sqrt(meanRate + 1), ABSOLUTE_SPREAD_FLOOR);
    return true;
  }

  /** Completes the hours before `hour` (minutes never added are zeros). */
  private advanceTo(hour: number): void {
    if (hour <= this.currentHour) return;
    // Hours that would leave the window anyway need not be written one by one.
    if (hour - this.currentHour > this.windowHours + 1) {
      this.closeHour();
      this.currentHour = hour - this.windowHours - 1;
      this.resetCurrent();
    }
    while (this.currentHour < hour) {
      this.closeHour();
      this.currentHour++;
      this.resetCurrent();
    }
  }

  private resetCurrent(): void {
    this.minutes.fill(0);
    this.currentSum = 0;
  }

  private closeHour(): void {
    const h = this.currentHour;
    const from = h === this.firstHour ? this.firstMinute - h * HOUR : 0;
    const n = HOUR - from;
    for (let i = 0; i < n; i++) scratchMinutes[i] = this.minutes[from + i]!;
    const { median, mad } = medianAndMad(scratchMinutes, n);
    const slot = h % this.windowHours;
    if (this.tags[slot] !== -1) {
      this.ringSum -= this.sums[slot]!;
      this.ringKnown -= this.tags[slot] === this.firstHour ? HOUR - (this.firstMinute - this.firstHour * HOUR) : HOUR;
    }
    this.tags[slot] = h;
    this.medians[slot] = median;
    this.mads[slot] = mad;
    this.sums[slot] = this.currentSum;
    this.ringSum += this.currentSum;
    this.ringKnown += n;
    this.cachedHour = -1;
  }
}
