/**
 * The detector's settings and the rule's constants (docs/insights.md, "The statistical rule").
 * The constants were tuned with the workload generator (test/support/insights-workload.ts) until
 * precision and recall were both ≥ 0.9 on every workload kind (bench/insights.bench.ts).
 */
import type { DetectorSettings } from './types.js';

/** CloudTrail's baseline: 28 days of minutes. */
export const DEFAULT_BASELINE_MINUTES = 40_320;

/** The rule's constants with their defaults filled in. */
export type RuleConstants = Required<Omit<DetectorSettings, 'baselineMinutes' | 'warmupMinutes'>>;

export const DEFAULT_RULES: RuleConstants = {
  // z = 4 on a robust spread: for Poisson-like traffic a single minute above it is a ~1e-4
  // event; requiring two such minutes in a row makes a chance Start ~1e-8 per minute and series.
  zStart: 4,
  // Small counts are never unusual on their own: an API that usually sees 0 calls cannot fire
  // on 2 or 3 (the spread floor alone would allow 0 → 5; this also asks for center + 3).
  minExcess: 3,
  // Two consecutive anomalous minutes confirm; a lone spike is dropped.
  confirmMinutes: 2,
  // ...unless it is far out (8 spreads and 2 × minExcess): a burst of deletes in one minute.
  zFar: 8,
  // Hysteresis: once started, the incident stays open while above center + 2 spreads, so a
  // burst that dips for a minute is one incident, not several.
  zEnd: 2,
  // Five quiet minutes in a row end it (short enough that End follows the burst closely).
  endQuietMinutes: 5,
  // A day: a permanent level shift should not keep one incident open forever.
  maxIncidentMinutes: 1_440,
};

/**
 * Settings for a baseline of `baselineMinutes` (default 28 days). The warm-up (cold start) is a
 * quarter of the baseline, at least an hour: 7 days for 28 days, like CloudTrail, which needs a
 * baseline of at least 7 days before it reports insights.
 */
export function detectorSettings(baselineMinutes = DEFAULT_BASELINE_MINUTES, overrides?: Partial<DetectorSettings>): DetectorSettings {
  if (!Number.isFinite(baselineMinutes) || baselineMinutes < 60) throw new RangeError(`baselineMinutes must be at least 60 (got ${baselineMinutes})`);
  return { baselineMinutes, warmupMinutes: Math.max(60, Math.round(baselineMinutes / 4)), ...DEFAULT_RULES, ...overrides };
}

/** The rule's constants of `settings`, defaults for those not given. */
export function ruleConstants(settings: DetectorSettings): RuleConstants {
  return {
    zStart: settings.zStart ?? DEFAULT_RULES.zStart,
    minExcess: settings.minExcess ?? DEFAULT_RULES.minExcess,
    confirmMinutes: settings.confirmMinutes ?? DEFAULT_RULES.confirmMinutes,
    zFar: settings.zFar ?? DEFAULT_RULES.zFar,
    zEnd: settings.zEnd ?? DEFAULT_RULES.zEnd,
    endQuietMinutes: settings.endQuietMinutes ?? DEFAULT_RULES.endQuietMinutes,
    maxIncidentMinutes: settings.maxIncidentMinutes ?? DEFAULT_RULES.maxIncidentMinutes,
  };
}
