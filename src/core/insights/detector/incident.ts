/**
 * The incident state machine (docs/insights.md, "The statistical rule"): pure, one closed
 * minute at a time. Candidate → (confirmed) Start → … → (quiet long enough, or capped) End.
 */
import { ruleConstants, type RuleConstants } from './settings.js';
import type { Baseline, DetectorSettings, IncidentState, IncidentStep } from './types.js';

interface Reference {
  center: number;
  spread: number;
}

function anomalous(r: RuleConstants, value: number, ref: Reference): boolean {
  return value > ref.center + r.zStart * ref.spread && value >= ref.center + r.minExcess;
}

function far(r: RuleConstants, value: number, ref: Reference): boolean {
  return value > ref.center + r.zFar * ref.spread && value >= ref.center + 2 * r.minExcess;
}

function elevated(r: RuleConstants, value: number, ref: Reference): boolean {
  return value > ref.center + r.zEnd * ref.spread;
}

/** The baseline captured in the state, for minutes judged while the history is cold. */
function captured(state: IncidentState): Reference | undefined {
  return state.center !== undefined && state.spread !== undefined ? { center: state.center, spread: state.spread } : undefined;
}

/**
 * Judges `value` of `minute` against `baseline` (undefined while cold), continuing `state`.
 * Minutes are closed in order; a minute skipped since the state's last one was a zero. On
 * End the returned state is the closed incident (ended: true, for the End record); passing it
 * back is the same as passing undefined.
 */
export function stepIncident(settings: DetectorSettings, state: IncidentState | undefined, minute: number, value: number, baseline: Baseline | undefined): IncidentStep {
  const r = ruleConstants(settings);
  if (state !== undefined && !state.ended) {
    // An open incident is judged against the current baseline when there is one, else the one it captured.
    const ref = baseline ?? captured(state);
    if (state.started) return continueIncident(r, state, minute, value, ref);
    // A candidate: confirmed by the next minutes also being anomalous, else dropped.
    if (ref !== undefined && minute === state.lastAnomalousMinute + 1 && anomalous(r, value, ref)) {
      const next: IncidentState = { ...state, lastAnomalousMinute: minute, sum: state.sum + value, minutes: state.minutes + 1 };
      if (next.minutes >= r.confirmMinutes || far(r, value, ref)) return { state: { ...next, started: true }, transition: 'Start' };
      return { state: next };
    }
    // Not confirmed: dropped; this minute may begin a new candidate below.
  }
  if (baseline === undefined || !anomalous(r, value, baseline)) return { state: undefined };
  const fresh: IncidentState = {
    startMinute: minute,
    lastAnomalousMinute: minute,
    started: false,
    sum: value,
    minutes: 1,
    quietMinutes: 0,
    baselineAverage: baseline.average,
    baselineCoveredMinutes: baseline.coveredMinutes,
    center: baseline.center,
    spread: baseline.spread,
    quietSum: 0,
  };
  if (r.confirmMinutes <= 1 || far(r, value, baseline)) return { state: { ...fresh, started: true }, transition: 'Start' };
  return { state: fresh };
}

function continueIncident(r: RuleConstants, state: IncidentState, minute: number, value: number, ref: Reference | undefined): IncidentStep {
  const end = (s: IncidentState): IncidentStep => ({ state: { ...s, ended: true }, transition: 'End' });
  // The cap: an incident open for maxIncidentMinutes ends, whatever the minute.
  if (minute - state.startMinute >= r.maxIncidentMinutes) return end(state);
  if (ref !== undefined && elevated(r, value, ref)) {
    // Still elevated: the quiet minutes in between (and skipped zeros) become part of the incident.
    return {
      state: { ...state, lastAnomalousMinute: minute, sum: state.sum + (state.quietSum ?? 0) + value, minutes: minute - state.startMinute + 1, quietMinutes: 0, quietSum: 0 },
    };
  }
  const quiet: IncidentState = { ...state, quietMinutes: minute - state.lastAnomalousMinute, quietSum: (state.quietSum ?? 0) + value };
  if (quiet.quietMinutes >= r.endQuietMinutes) return end(quiet);
  return { state: quiet };
}
