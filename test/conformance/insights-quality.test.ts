/**
 * The detector's quality on the generated workload (test/support/insights-workload.ts): every
 * injected kind of anomaly is found, steady and seasonal traffic raise no Start. A 7-day
 * baseline over 4 weeks keeps it fast (the 28-day default is measured by bench/insights.bench.ts).
 */
import { describe, expect, it } from 'vitest';
import { detectorSettings } from '../../src/core/insights/detector/settings.js';
import { evaluateDetections, generateWorkload, type WorkloadKind } from '../support/insights-workload.js';

const settings = detectorSettings(7 * 1440); // warm-up 1.75 days
const days = 28;

function evaluate(kind: WorkloadKind, seed = 1) {
  return evaluateDetections(generateWorkload({ kind, days, seed, series: 6, quietMinutes: settings.warmupMinutes }), settings);
}

describe('insights detector quality (7-day baseline, 4 weeks, 6 series per kind)', () => {
  it.each(['bursts', 'errorStorms'] as const)('finds %s within a few minutes', (kind) => {
    const e = evaluate(kind);
    expect(e.anomalies).toBeGreaterThan(30);
    expect(e.recall).toBeGreaterThanOrEqual(0.9);
    expect(e.precision).toBeGreaterThanOrEqual(0.9);
    expect(e.maxDelay).toBeLessThanOrEqual(5);
  });

  it('finds slow ramps (later: the rate has to climb above the threshold first)', () => {
    const e = evaluate('slowRamps');
    expect(e.anomalies).toBeGreaterThan(30);
    expect(e.recall).toBeGreaterThanOrEqual(0.9);
    expect(e.precision).toBeGreaterThanOrEqual(0.9);
  });

  it.each(['steady', 'seasonalSteady'] as const)('raises no Start on %s traffic', (kind) => {
    const e = evaluate(kind);
    expect(e.starts).toBe(0);
  });

  it('works with a baseline of hours (360 minutes, warm-up 90) on non-seasonal traffic', () => {
    const short = detectorSettings(360);
    expect(short.warmupMinutes).toBe(90);
    const run = (kind: WorkloadKind) => evaluateDetections(generateWorkload({ kind, days: 7, seed: 2, series: 6, seasonal: false, quietMinutes: 180 }), short);
    for (const kind of ['bursts', 'errorStorms'] as const) {
      const e = run(kind);
      expect(e.anomalies).toBeGreaterThan(10);
      expect(e.recall, kind).toBeGreaterThanOrEqual(0.9);
      expect(e.precision, kind).toBeGreaterThanOrEqual(0.9);
    }
    expect(run('steady').starts).toBe(0);
  });
});
