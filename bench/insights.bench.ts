/**
 * The insights detector's core (docs/insights.md) on the generated workload
 * (test/support/insights-workload.ts): precision, recall and detection delay per workload kind
 * for the default 28-day baseline (and a 6-hour one on non-seasonal traffic), then the core's
 * cost — minutes judged per second (baseline + step + add) and memory per tracked series —
 * beside baselines measured in the same run: only iterating the values, and a naive baseline
 * that keeps all 40,320 minutes of a series and takes their median each minute.
 */
import { SeriesHistory } from '../src/core/insights/detector/series-history.js';
import { detectorSettings } from '../src/core/insights/detector/settings.js';
import type { DetectorSettings } from '../src/core/insights/detector/types.js';
import { detect, evaluateDetections, generateWorkload, type WorkloadKind, type WorkloadSeries } from '../test/support/insights-workload.js';
import { table } from './support/stats.js';

const KINDS: readonly [WorkloadKind, string][] = [
  ['bursts', 'bursts (10–50× for 5–30 min)'],
  ['errorStorms', 'error storms (~0 → 10–100/min)'],
  ['slowRamps', 'slow ramps (→ 4–6× over 2–6 h)'],
  ['seasonalSteady', 'seasonal steady (none injected)'],
  ['steady', 'steady (none injected)'],
];

function qualityTable(settings: DetectorSettings, days: number, series: number, seed: number, seasonal: boolean, kinds: readonly [WorkloadKind, string][]): string {
  const rows = kinds.map(([kind, label]) => {
    const e = evaluateDetections(generateWorkload({ kind, days, seed, series, seasonal, quietMinutes: settings.warmupMinutes }), settings);
    return [label, String(e.series), String(e.anomalies), e.precision.toFixed(2) + (e.starts === 0 ? ' (no Start)' : ''), e.recall.toFixed(2), e.meanDelay.toFixed(1), String(e.maxDelay)];
  });
  return table(['workload', 'series', 'anomalies', 'precision', 'recall', 'mean delay (min)', 'max delay (min)'], rows);
}

function timed(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/** The naive baseline: all minutes of the window in a ring, the median of a sorted copy each minute. */
function naiveMinutesPerSecond(values: Uint32Array, window: number, minutes: number): number {
  const ring = new Float64Array(window);
  const copy = new Float64Array(window);
  let sink = 0;
  const ms = timed(() => {
    for (let i = 0; i < minutes; i++) {
      copy.set(ring);
      copy.sort();
      sink += copy[window >> 1]!;
      ring[i % window] = values[i % values.length]!;
    }
  });
  if (sink < 0) throw new Error('unreachable');
  return (minutes / ms) * 1000;
}

function heapNow(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export function insightsBench(options: { days?: number; series?: number; seed?: number; trackedSeries?: number } = {}): string {
  const days = options.days ?? 42;
  const series = options.series ?? 6;
  const seed = options.seed ?? 1;
  const settings = detectorSettings();
  const out: string[] = [];
  out.push(
    `Insights detector quality: default baseline (28 days, warm-up 7 days), ${days} days of minutes, ${series} series per kind, anomalies injected after the warm-up; a Start within [start, end + 30 min] is a true positive\n` +
      qualityTable(settings, days, series, seed, true, KINDS),
  );
  const short = detectorSettings(360);
  out.push(
    `Insights detector quality: a 6-hour baseline (360 minutes, warm-up 90), 7 days, non-seasonal traffic\n` +
      qualityTable(short, 7, series, seed + 1, false, KINDS.filter(([k]) => k !== 'seasonalSteady')),
  );

  // Throughput: the whole core per minute, over the bursts and seasonal series of the run above.
  const workload: WorkloadSeries[] = [...generateWorkload({ kind: 'bursts', days, seed, series }), ...generateWorkload({ kind: 'seasonalSteady', days, seed, series })];
  const totalMinutes = workload.reduce((n, s) => n + s.values.length, 0);
  let sink = 0;
  const iterateMs = timed(() => {
    for (const s of workload) for (let i = 0; i < s.values.length; i++) sink += s.values[i]!;
  });
  const coreMs = timed(() => {
    for (const s of workload) sink += detect(s, settings).length;
  });
  if (sink < 0) throw new Error('unreachable');
  const naiveMinutes = 2_000;
  const naivePerSecond = naiveMinutesPerSecond(workload[0]!.values, settings.baselineMinutes, naiveMinutes);

  // Memory per tracked series: memoryBytes, and the process heap (+ array buffers) delta over many.
  const tracked = options.trackedSeries ?? 5_000;
  const first = workload[0]!.firstMinute;
  const before = heapNow();
  const histories: SeriesHistory[] = [];
  for (let i = 0; i < tracked; i++) {
    const h = new SeriesHistory(settings, first);
    for (let m = first; m < first + 180; m++) h.add(m, m % 5); // some hours closed
    histories.push(h);
  }
  const perSeries = (heapNow() - before) / tracked;
  const naiveBytes = settings.baselineMinutes * 8;
  const gcNote = (globalThis as { gc?: () => void }).gc === undefined ? ' (no --expose-gc: heap deltas are approximate)' : '';
  out.push(
    `Insights detector core cost: default 28-day baseline, ${workload.length} series × ${days} days = ${totalMinutes.toLocaleString('en')} minutes; memory over ${tracked.toLocaleString('en')} tracked series${gcNote}\n` +
      table(
        ['work', 'minutes judged/s', 'memory per series (memoryBytes)', 'heap delta per series'],
        [
          ['baseline: iterate the values only', Math.round((totalMinutes / iterateMs) * 1000).toLocaleString('en'), '', ''],
          [`naive: keep 40,320 minutes, median each minute (${naiveMinutes.toLocaleString('en')} minutes)`, Math.round(naivePerSecond).toLocaleString('en'), `${(naiveBytes / 1024).toFixed(1)} KB (Float64)`, ''],
          ['SeriesHistory.baseline + stepIncident + add', Math.round((totalMinutes / coreMs) * 1000).toLocaleString('en'), `${(histories[0]!.memoryBytes() / 1024).toFixed(1)} KB`, `${(perSeries / 1024).toFixed(1)} KB`],
        ],
      ),
  );
  return out.join('\n\n');
}
