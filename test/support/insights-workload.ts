/**
 * A deterministic workload for the insights detector (docs/insights.md): per-minute counts of
 * one API for N days, with known injected anomalies, and an evaluation that runs the detector's
 * core over them minute by minute as the insights worker does (baseline, step, add).
 */
import { SeriesHistory } from '../../src/core/insights/detector/series-history.js';
import { stepIncident } from '../../src/core/insights/detector/incident.js';
import type { DetectorSettings, IncidentState } from '../../src/core/insights/detector/types.js';

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** A Poisson draw: Knuth's product method for small rates, a rounded normal for large ones. */
export function poisson(rand: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rand)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rand();
  while (p > limit) {
    k++;
    p *= rand();
  }
  return k;
}

export type WorkloadKind = 'steady' | 'seasonalSteady' | 'bursts' | 'errorStorms' | 'slowRamps';
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['bursts', 'errorStorms', 'slowRamps', 'seasonalSteady', 'steady'];

export interface WorkloadSpec {
  kind: WorkloadKind;
  days: number;
  seed: number;
  /** Number of series (default 6). */
  series?: number;
  /** No anomaly is injected before this many minutes (the detector's warm-up); default 7 days. */
  quietMinutes?: number;
  /** false: no daily or weekly seasonality on any series (a short baseline cannot learn it). */
  seasonal?: boolean;
  /** Epoch minute of values[0]; default Monday 2026-01-05 00:00 UTC. */
  firstMinute?: number;
}

export interface InjectedAnomaly {
  /** Epoch minutes, inclusive. */
  startMinute: number;
  endMinute: number;
}

export interface WorkloadSeries {
  id: string;
  /** Epoch minute of values[0] (the first minute the partition was observed). */
  firstMinute: number;
  values: Uint32Array;
  anomalies: InjectedAnomaly[];
}

const DAY = 1440;
export const MONDAY_2026_01_05 = Date.UTC(2026, 0, 5) / 60_000;

/**
 * Human-driven traffic relative to its mean level: nights at 0.3, weekday business hours
 * (smoothly from ~8:00 to ~18:00 UTC) up to 1.5, weekends at most 0.5.
 */
export function seasonalFactor(minuteOfWeek: number): number {
  const day = Math.floor(minuteOfWeek / DAY) % 7;
  const hourOfDay = (minuteOfWeek % DAY) / 60;
  const bump = (1 / (1 + Math.exp(-(hourOfDay - 8) * 1.5))) * (1 / (1 + Math.exp((hourOfDay - 18) * 1.5)));
  return day >= 5 ? 0.3 + 0.2 * bump : 0.3 + 1.2 * bump;
}

interface SeriesPlan {
  id: string;
  rate: number;
  seasonal: boolean;
  /** Extra rate at minute index i (relative to values[0]) given the normal rate there. */
  anomalies: { start: number; end: number; extra: (i: number, normal: number) => number }[];
}

/** Anomaly starts: one every 2–4 days after the quiet period, at a random time of day. */
function anomalyStarts(rand: () => number, minutes: number, quiet: number, longest: number): number[] {
  const starts: number[] = [];
  let at = quiet + Math.floor(rand() * DAY);
  while (at + longest + 60 < minutes) {
    starts.push(at);
    at += 2 * DAY + Math.floor(rand() * 2 * DAY);
  }
  return starts;
}

function plan(spec: WorkloadSpec, rand: () => number, index: number, minutes: number, quiet: number): SeriesPlan {
  const pick = <T>(list: readonly T[]): T => list[index % list.length]!;
  const id = `${spec.kind}-${index}`;
  switch (spec.kind) {
    case 'steady':
      return { id, rate: pick([0.2, 1, 5, 50, 0.5, 10, 2, 100]), seasonal: false, anomalies: [] };
    case 'seasonalSteady':
      return { id, rate: pick([0.5, 5, 50, 2, 20, 100]), seasonal: true, anomalies: [] };
    case 'bursts': {
      // A script deleting or changing things: 10–50× the normal rate (and at least +10/min) for 5–30 minutes.
      const anomalies = anomalyStarts(rand, minutes, quiet, 30).map((start) => {
        const factor = 10 + rand() * 40;
        const duration = 5 + Math.floor(rand() * 26);
        return { start, end: start + duration - 1, extra: (_i: number, normal: number) => Math.max(normal * (factor - 1), 10) };
      });
      return { id, rate: pick([0.2, 2, 20, 50, 1, 5]), seasonal: index % 2 === 1, anomalies };
    }
    case 'errorStorms': {
      // Errors at ~0 (0.02–0.1/min) go to a storm of 10–100/min for 5–60 minutes.
      const anomalies = anomalyStarts(rand, minutes, quiet, 60).map((start) => {
        const storm = 10 + rand() * 90;
        const duration = 5 + Math.floor(rand() * 56);
        return { start, end: start + duration - 1, extra: () => storm };
      });
      return { id, rate: pick([0.02, 0.05, 0.1, 0.03]), seasonal: index % 2 === 1, anomalies };
    }
    case 'slowRamps': {
      // The rate grows linearly over 2–6 hours to 4–6× its normal level, holds 30–60 minutes, then drops back.
      const anomalies = anomalyStarts(rand, minutes, quiet, 7 * 60).map((start) => {
        const ramp = 120 + Math.floor(rand() * 241);
        const hold = 30 + Math.floor(rand() * 31);
        const peak = 4 + rand() * 2;
        return { start, end: start + ramp + hold - 1, extra: (i: number, normal: number) => normal * (peak - 1) * Math.min(1, (i - start + 1) / ramp) };
      });
      return { id, rate: pick([5, 20, 50, 10]), seasonal: index % 2 === 0, anomalies };
    }
  }
}

/** The workload's series: deterministic for a spec. */
export function generateWorkload(spec: WorkloadSpec): WorkloadSeries[] {
  const minutes = spec.days * DAY;
  const quiet = spec.quietMinutes ?? 7 * DAY;
  const firstMinute = spec.firstMinute ?? MONDAY_2026_01_05;
  const out: WorkloadSeries[] = [];
  for (let s = 0; s < (spec.series ?? 6); s++) {
    const rand = mulberry32(spec.seed * 7919 + s * 104_729 + spec.kind.length);
    const p = plan(spec, rand, s, minutes, quiet);
    const values = new Uint32Array(minutes);
    // Real traffic is over-dispersed: each hour's level wanders by ~10 % (log-normal).
    let hourFactor = 1;
    for (let i = 0; i < minutes; i++) {
      if (i % 60 === 0) hourFactor = Math.exp(0.1 * gaussian(rand));
      const minuteOfWeek = (firstMinute + i - MONDAY_2026_01_05 + 70 * 7 * DAY) % (7 * DAY);
      const normal = p.rate * hourFactor * (p.seasonal && spec.seasonal !== false ? seasonalFactor(minuteOfWeek) : 1);
      let lambda = normal;
      for (const a of p.anomalies) if (i >= a.start && i <= a.end) lambda += a.extra(i, normal);
      values[i] = poisson(rand, lambda);
    }
    out.push({ id: p.id, firstMinute, values, anomalies: p.anomalies.map((a) => ({ startMinute: firstMinute + a.start, endMinute: firstMinute + a.end })) });
  }
  return out;
}

export interface Detection {
  startMinute: number;
  endMinute?: number;
}

export interface Evaluation {
  series: number;
  anomalies: number;
  starts: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  meanDelay: number;
  maxDelay: number;
  /** Per series, the Starts (and Ends) decided. */
  detections: Map<string, Detection[]>;
}

/** Runs the core over one series as the worker will: baseline, step, add, minute by minute. */
export function detect(series: WorkloadSeries, settings: DetectorSettings): Detection[] {
  const history = new SeriesHistory(settings, series.firstMinute);
  const found: Detection[] = [];
  let state: IncidentState | undefined;
  const { values, firstMinute } = series;
  for (let i = 0; i < values.length; i++) {
    const minute = firstMinute + i;
    const value = values[i]!;
    const step = stepIncident(settings, state, minute, value, history.baseline(minute));
    if (step.transition === 'Start') found.push({ startMinute: minute });
    else if (step.transition === 'End') {
      const last = found[found.length - 1];
      if (last !== undefined) last.endMinute = minute;
    }
    state = step.state?.ended ? undefined : step.state;
    if (value !== 0) history.add(minute, value);
  }
  return found;
}

/**
 * True positive: an injected anomaly with a Start during [start, end + grace]; a Start matching
 * no anomaly is a false positive; an anomaly without one is a false negative. Delay = the first
 * matching Start − the injected start.
 */
export function evaluateDetections(series: readonly WorkloadSeries[], settings: DetectorSettings, graceMinutes = 30): Evaluation {
  let anomalies = 0;
  let starts = 0;
  let tp = 0;
  let fp = 0;
  const delays: number[] = [];
  const detections = new Map<string, Detection[]>();
  for (const s of series) {
    const found = detect(s, settings);
    detections.set(s.id, found);
    anomalies += s.anomalies.length;
    starts += found.length;
    for (const d of found) if (!s.anomalies.some((a) => d.startMinute >= a.startMinute && d.startMinute <= a.endMinute + graceMinutes)) fp++;
    for (const a of s.anomalies) {
      const first = found.find((d) => d.startMinute >= a.startMinute && d.startMinute <= a.endMinute + graceMinutes);
      if (first === undefined) continue;
      tp++;
      delays.push(first.startMinute - a.startMinute);
    }
  }
  const matchedStarts = starts - fp;
  return {
    series: series.length,
    anomalies,
    starts,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: anomalies - tp,
    precision: starts === 0 ? 1 : matchedStarts / starts,
    recall: anomalies === 0 ? 1 : tp / anomalies,
    meanDelay: delays.length === 0 ? 0 : delays.reduce((a, b) => a + b, 0) / delays.length,
    maxDelay: delays.length === 0 ? 0 : Math.max(...delays),
    detections,
  };
}
