/**
 * The insights port: what the detector counts per API and minute, where it stands in the event
 * log, and its incidents. Written by the insights worker only (its own bookkeeping, like a
 * delivery cursor); ListInsightsMetricData reads the counts.
 */
import type { InsightCategory, InsightType, SeriesKey } from '../../core/insights/insight-types.js';

export type { SeriesKey } from '../../core/insights/insight-types.js';

/** One API's counts in one minute. */
export interface MinuteCounts {
  accountId: string;
  region: string;
  category: InsightCategory;
  eventSource: string;
  eventName: string;
  /** Epoch ms of the minute's start. */
  minuteMs: number;
  /** Management: write calls; Data: all calls. */
  calls: number;
  /** Failed calls (any errorCode), by error code. */
  errors: Record<string, number>;
}

/** A stored minute of one API: its calls and all its errors. */
export interface StoredMinute extends Omit<MinuteCounts, 'errors'> {
  errors: number;
}

export interface InsightMetricQuery {
  accountId: string;
  region: string;
  eventSource: string;
  eventName: string;
  insightType: InsightType;
  /** ApiErrorRateInsight: only this error code (all errors when absent). */
  errorCode?: string;
  /** Epoch ms, start inclusive, end exclusive. */
  startMs: number;
  endMs: number;
}

export interface InsightMetricReader {
  /** Non-zero minutes of the series in the range, ascending: calls (call rate) or errors (error rate). */
  minuteValues(query: InsightMetricQuery): Promise<{ minuteMs: number; value: number }[]>;
}

/** Where the detector stands in the event log and in time. */
export interface DetectorPosition {
  /** Events up to this log position are counted. */
  lastSeq: number;
  /** Minutes up to this epoch minute are judged; undefined before the first judgement. */
  evaluatedMinute?: number;
}

export interface StoredIncident<State> {
  key: SeriesKey;
  state: State;
}

/** The store of the detector's bookkeeping (the insights worker's only). */
export interface InsightStore extends InsightMetricReader {
  position(): Promise<DetectorPosition>;
  /** Account and region → first epoch minute the detector saw of it. */
  partitions(): Promise<{ accountId: string; region: string; firstMinute: number }[]>;
  /**
   * One transaction: adds the counts (to what the minutes hold already), records partitions
   * seen for the first time (an existing one keeps its first minute) and moves lastSeq.
   */
  commitCounts(batch: { lastSeq: number; counts: readonly MinuteCounts[]; partitions: readonly { accountId: string; region: string; firstMinute: number }[] }): Promise<void>;
  /** Every stored minute from `fromMs` on (calls and total errors), ordered by series then minute: rebuilding the histories after a restart. */
  minutesFrom(fromMs: number): Promise<StoredMinute[]>;
  incidents<State>(): Promise<StoredIncident<State>[]>;
  /** One transaction: moves evaluatedMinute, writes changed incidents (undefined state: over, removed). */
  commitEvaluation<State>(evaluation: { evaluatedMinute: number; incidents: readonly { key: SeriesKey; state: State | undefined }[] }): Promise<void>;
  /** Deletes minute counts before the cutoff (epoch ms); returns how many rows. */
  purgeBefore(cutoffMs: number): Promise<number>;
}
