/**
 * The detector's pure core (docs/insights.md): per series (account, region, category, event
 * source, event name, insight type) a bounded history of per-minute values, the baseline a
 * closed minute is compared with, and the incident state machine that decides Start and End.
 * No I/O and no clock: the insights worker feeds it minutes as they close.
 */

export interface DetectorSettings {
  /** How far back the baseline looks, in minutes (default 28 days = 40,320). */
  baselineMinutes: number;
  /**
   * Minutes of observed history a partition (account and region) needs before any minute is
   * judged: the cold start. Derived from baselineMinutes unless given.
   */
  warmupMinutes: number;
  /** The rule's constants, optional (settings.ts gives the defaults and their justification). A minute is anomalous above center + zStart × spread... */
  zStart?: number;
  /** ...and at least this many calls (or errors) per minute above the center. */
  minExcess?: number;
  /** Consecutive anomalous minutes that confirm a Start. */
  confirmMinutes?: number;
  /** A single minute above center + zFar × spread (and 2 × minExcess) starts at once. */
  zFar?: number;
  /** An open incident stays elevated above center + zEnd × spread (hysteresis: zEnd < zStart). */
  zEnd?: number;
  /** Consecutive minutes at or below the end threshold that end an incident. */
  endQuietMinutes?: number;
  /** An incident open this long ends (the baseline then adapts to the new level). */
  maxIncidentMinutes?: number;
}

/** What a closed minute is compared with; undefined while the history is too short (cold start). */
export interface Baseline {
  /** Robust centre of comparable past minutes (per-minute calls or errors). */
  center: number;
  /** Robust spread of those minutes, never below a floor (so tiny counts cannot alarm). */
  spread: number;
  /** Mean per minute over the whole baseline window: CloudTrail's statistics.baseline.average. */
  average: number;
  /** Minutes of history the baseline covers: CloudTrail's statistics.baselineDuration. */
  coveredMinutes: number;
}

/** An incident (an anomaly) in progress or being confirmed; plain data, stored as JSON between passes. */
export interface IncidentState {
  /** First anomalous minute (epoch minute). */
  startMinute: number;
  /** Last minute that was still anomalous. */
  lastAnomalousMinute: number;
  /** Whether the Start has been decided (before that the incident is only a candidate). */
  started: boolean;
  /** Sum and count of values over startMinute..lastAnomalousMinute: the insight average. */
  sum: number;
  minutes: number;
  /** Consecutive minutes back to normal since lastAnomalousMinute. */
  quietMinutes: number;
  /** The baseline when the incident began (reported in its Start and End). */
  baselineAverage: number;
  baselineCoveredMinutes: number;
  /** Optional (incident.ts): the center and spread captured at the first minute, judged against while the baseline is cold. */
  center?: number;
  spread?: number;
  /** Optional: the sum of the quiet minutes since lastAnomalousMinute (folded into sum if it turns anomalous again). */
  quietSum?: number;
  /** Optional: set on the state returned with an End (the closed incident, for the End record); such a state is never continued. */
  ended?: boolean;
}

export interface IncidentStep {
  state: IncidentState | undefined;
  /** Set on the minute the incident is confirmed (Start) or over (End). */
  transition?: 'Start' | 'End';
}
