import { describe, expect, it } from 'vitest';
import { stepIncident } from './incident.js';
import { detectorSettings } from './settings.js';
import type { Baseline, IncidentState, IncidentStep } from './types.js';

const settings = detectorSettings(); // zStart 4, minExcess 3, confirm 2, zFar 8, zEnd 2, 5 quiet minutes, cap 1440
const base: Baseline = { center: 10, spread: 3, average: 9, coveredMinutes: 40_320 };

/** Steps through `values` from minute 1000; the transitions by minute and the last state. */
function run(values: readonly number[], baseline: (i: number) => Baseline | undefined = () => base, from?: IncidentState) {
  let state = from;
  const transitions: [number, 'Start' | 'End'][] = [];
  let last: IncidentStep = { state };
  values.forEach((v, i) => {
    last = stepIncident(settings, state, 1000 + i, v, baseline(i));
    if (last.transition) transitions.push([1000 + i, last.transition]);
    state = last.state?.ended ? undefined : last.state;
  });
  return { transitions, state, last };
}

describe('stepIncident', () => {
  it('needs confirmation: one anomalous minute (23 > 10 + 4×3) is a candidate, dropped if the next is normal', () => {
    const one = run([10, 23]);
    expect(one.transitions).toEqual([]);
    expect(one.state).toMatchObject({ started: false, startMinute: 1001 });
    expect(run([10, 23, 11]).state).toBeUndefined();
    expect(run([10, 23, 11]).transitions).toEqual([]);
    const two = run([10, 23, 25]);
    expect(two.transitions).toEqual([[1002, 'Start']]);
    expect(two.state).toMatchObject({ started: true, startMinute: 1001, lastAnomalousMinute: 1002, sum: 48, minutes: 2, baselineAverage: 9, baselineCoveredMinutes: 40_320 });
  });

  it('starts at once on a minute far above (> 10 + 8×3)', () => {
    expect(run([40]).transitions).toEqual([[1000, 'Start']]);
  });

  it('cannot fire on 0 → 2 calls (the absolute minimum excess), nor without a baseline', () => {
    const rare: Baseline = { center: 0, spread: 0.3, average: 0.01, coveredMinutes: 40_320 };
    expect(run([0, 2, 2, 2, 2], () => rare).transitions).toEqual([]);
    expect(run([0, 3, 3], () => rare).transitions).toEqual([[1002, 'Start']]);
    expect(run([50, 50, 50], () => undefined).transitions).toEqual([]);
  });

  it('ends with hysteresis: minutes between the end and start thresholds keep it open; 5 quiet minutes end it', () => {
    // Candidate at 1001, Start at 1002 (30 is not far enough to start alone); 17 (≤ 10 + 4×3 but > 10 + 2×3) keeps it open; then five minutes ≤ 16 end it.
    const r = run([10, 30, 30, 17, 17, 12, 30, 12, 12, 12, 12, 12]);
    expect(r.transitions).toEqual([
      [1002, 'Start'],
      [1011, 'End'],
    ]);
    // The End's state covers startMinute..lastAnomalousMinute (the 12 between the 17s and 30 included).
    expect(r.last.state).toMatchObject({ ended: true, startMinute: 1001, lastAnomalousMinute: 1006, sum: 30 + 30 + 17 + 17 + 12 + 30, minutes: 6 });
  });

  it('counts skipped minutes (no call) as quiet zeros', () => {
    const started = run([30, 30]).state!;
    const later = stepIncident(settings, started, 1001 + 6, 0, base);
    expect(later.transition).toBe('End');
    // A candidate whose next minute was skipped was not confirmed.
    const candidate = run([23]).state!;
    const next = stepIncident(settings, candidate, 1002, 23, base);
    expect(next.transition).toBeUndefined();
    expect(next.state).toMatchObject({ startMinute: 1002, started: false });
  });

  it('keeps judging an open incident against its captured baseline when the history is cold', () => {
    const r = run([30, 30, 30, 10, 10, 10, 10, 10], (i) => (i < 2 ? base : undefined));
    expect(r.transitions).toEqual([
      [1001, 'Start'],
      [1007, 'End'],
    ]);
  });

  it('caps an incident at a day, and a passed-back ended state is a fresh start', () => {
    const values = Array.from({ length: 1500 }, () => 40);
    const r = run(values);
    expect(r.transitions.slice(0, 3)).toEqual([
      [1000, 'Start'],
      [2440, 'End'],
      [2441, 'Start'],
    ]);
    const ended = stepIncident(settings, { ...r.state!, ended: true }, 5000, 10, base);
    expect(ended).toEqual({ state: undefined });
  });
});
