/**
 * The Insights detector as a consumer of the event log (docs/insights.md). Each pass:
 *
 *   count: read the log after its cursor → per API and minute, calls and errors → store them
 *          with the cursor (one transaction);
 *   judge: every minute closed since the last pass (its end plus the lateness allowance is
 *          past), per series: baseline → incident step → Start/End records → append them to
 *          the log (durable) → store the judged minute and the incidents.
 *
 * A crash anywhere redoes the pass from the stored position. Counts are stored with the
 * cursor, so none is counted twice; records are derived from the incident, so a redone
 * judgement appends the same eventIDs, which the log stores once.
 */
import { isAuditRecordText } from '../../core/audit-event.js';
import type { Clock } from '../../core/clock.js';
import { prepareEvent } from '../../core/prepare-event.js';
import type { CloudTrailRecord } from '../../core/record.js';
import { attributionsOf } from '../../core/insights/attributions.js';
import { countedBy, countedCall } from '../../core/insights/counted-call.js';
import { insightRecord } from '../../core/insights/insight-record.js';
import type { InsightCategory, InsightType } from '../../core/insights/insight-types.js';
import { INSIGHT_CATEGORIES, INSIGHT_TYPES, MINUTE_MS, minuteOf, selectsInsight } from '../../core/insights/insight-types.js';
import { stepIncident } from '../../core/insights/detector/incident.js';
import { SeriesHistory } from '../../core/insights/detector/series-history.js';
import type { DetectorSettings, IncidentState } from '../../core/insights/detector/types.js';
import type { EventStore, LookupAttribute, PreparedEvent } from '../../store/event-store.js';
import type { InsightStore, MinuteCounts, SeriesKey } from '../../store/insights/insight-store.js';
import type { TrailReader } from '../../store/trail-store.js';

export interface InsightsDeps {
  events: Pick<EventStore, 'readAfter' | 'lookup' | 'append'>;
  insights: InsightStore;
  trails: Pick<TrailReader, 'list'>;
  clock: Clock;
  settings: DetectorSettings;
  /** How long after a minute ends it is judged: late events still count in it. */
  latenessMs: number;
  /** Events read per count batch. */
  batchEvents: number;
}

/** Calls looked at for an attribution: all of a short incident's, a recent sample of longer ones and of baselines. */
const ATTRIBUTION_SAMPLE = 1000;
/** Minutes judged per commit when catching up. */
const MINUTES_PER_COMMIT = 60;

interface Series {
  accountId: string;
  region: string;
  category: InsightCategory;
  eventSource: string;
  eventName: string;
  histories: Record<InsightType, SeriesHistory>;
  /** Counts of minutes not yet judged. */
  pending: Map<number, { calls: number; errors: number }>;
}

function partitionId(accountId: string, region: string): string {
  return `${accountId}\n${region}`;
}

function seriesId(s: Pick<Series, 'accountId' | 'region' | 'category' | 'eventSource' | 'eventName'>): string {
  return [s.accountId, s.region, s.category, s.eventSource, s.eventName].join('\n');
}

function incidentId(s: Series, type: InsightType): string {
  return `${seriesId(s)}\n${type}`;
}

function keyOf(s: Series, type: InsightType): SeriesKey {
  return { accountId: s.accountId, region: s.region, category: s.category, eventSource: s.eventSource, eventName: s.eventName, insightType: type };
}

export class InsightsDetector {
  readonly #deps: InsightsDeps;
  readonly #partitions = new Map<string, number>();
  readonly #series = new Map<string, Series>();
  readonly #incidents = new Map<string, { series: Series; type: InsightType; state: IncidentState }>();
  /** The series with counts in each minute not yet judged (the minutes' counts are in each series' pending). */
  readonly #pendingMinutes = new Map<number, Set<Series>>();
  #lastSeq = 0;
  #evaluatedMinute: number | undefined;

  private constructor(deps: InsightsDeps) {
    this.#deps = deps;
  }

  /** Loads the stored position, partitions, the histories of the baseline window and the open incidents. */
  static async open(deps: InsightsDeps): Promise<InsightsDetector> {
    const detector = new InsightsDetector(deps);
    await detector.#load();
    return detector;
  }

  async #load(): Promise<void> {
    const position = await this.#deps.insights.position();
    this.#lastSeq = position.lastSeq;
    this.#evaluatedMinute = position.evaluatedMinute;
    for (const p of await this.#deps.insights.partitions()) this.#partitions.set(partitionId(p.accountId, p.region), p.firstMinute);
    const from = (minuteOf(this.#deps.clock.now()) - this.#deps.settings.baselineMinutes) * MINUTE_MS;
    for (const m of await this.#deps.insights.minutesFrom(from)) {
      const series = this.#seriesFor(m.accountId, m.region, m.category, m.eventSource, m.eventName);
      const minute = minuteOf(m.minuteMs);
      if (this.#evaluatedMinute !== undefined && minute <= this.#evaluatedMinute) {
        // Rows come in minute order per series: the histories get them as add() wants.
        if (m.calls > 0) series.histories.ApiCallRateInsight.add(minute, m.calls);
        if (m.errors > 0) series.histories.ApiErrorRateInsight.add(minute, m.errors);
      } else {
        this.#addPending(series, minute, m.calls, m.errors);
      }
    }
    for (const { key, state } of await this.#deps.insights.incidents<IncidentState>()) {
      const series = this.#seriesFor(key.accountId, key.region, key.category, key.eventSource, key.eventName);
      this.#incidents.set(incidentId(series, key.insightType), { series, type: key.insightType, state });
    }
  }

  #seriesFor(accountId: string, region: string, category: InsightCategory, eventSource: string, eventName: string): Series {
    const id = seriesId({ accountId, region, category, eventSource, eventName });
    let series = this.#series.get(id);
    if (series === undefined) {
      const firstMinute = this.#partitions.get(partitionId(accountId, region)) ?? minuteOf(this.#deps.clock.now());
      const history = () => new SeriesHistory(this.#deps.settings, firstMinute);
      series = { accountId, region, category, eventSource, eventName, histories: { ApiCallRateInsight: history(), ApiErrorRateInsight: history() }, pending: new Map() };
      this.#series.set(id, series);
    }
    return series;
  }

  /** Series tracked (each with both insight types' histories). */
  get seriesCount(): number {
    return this.#series.size;
  }

  /** Bytes the histories hold, for the benchmark. */
  historyBytes(): number {
    let bytes = 0;
    for (const s of this.#series.values()) bytes += s.histories.ApiCallRateInsight.memoryBytes() + s.histories.ApiErrorRateInsight.memoryBytes();
    return bytes;
  }

  /** One pass: count what is new in the log, then judge the minutes that closed. Returns the records appended. */
  async pass(): Promise<CloudTrailRecord[]> {
    while (await this.#countBatch()) {
      // until caught up
    }
    return this.#judge();
  }

  /** Counts one batch of the log; false when there was nothing new. */
  async #countBatch(): Promise<boolean> {
    const entries = await this.#deps.events.readAfter(this.#lastSeq, this.#deps.batchEvents);
    if (entries.length === 0) return false;
    const counts = new Map<string, MinuteCounts>();
    const newPartitions = new Map<string, { accountId: string; region: string; firstMinute: number }>();
    for (const entry of entries) {
      // History-only (imported) events are someone else's past: they are not this log's traffic.
      if (!entry.deliverToTrails) continue;
      // Custom events are never counted: the bulk of a PutAuditEvents load is not parsed here.
      if (isAuditRecordText(entry.json)) continue;
      const call = countedCall(JSON.parse(entry.json) as CloudTrailRecord);
      if (call === undefined) continue;
      const minute = minuteOf(entry.timeMs);
      const partition = partitionId(entry.accountId, entry.region);
      if (!this.#partitions.has(partition) && !newPartitions.has(partition)) {
        newPartitions.set(partition, { accountId: entry.accountId, region: entry.region, firstMinute: minute });
      }
      const id = `${seriesId({ accountId: entry.accountId, region: entry.region, ...call })}\n${minute}`;
      let c = counts.get(id);
      if (c === undefined) {
        c = { accountId: entry.accountId, region: entry.region, category: call.category, eventSource: call.eventSource, eventName: call.eventName, minuteMs: minute * MINUTE_MS, calls: 0, errors: {} };
        counts.set(id, c);
      }
      if (call.countsAsCall) c.calls += 1;
      if (call.errorCode !== undefined) c.errors[call.errorCode] = (c.errors[call.errorCode] ?? 0) + 1;
    }
    const lastSeq = entries[entries.length - 1]!.seq;
    await this.#deps.insights.commitCounts({ lastSeq, counts: [...counts.values()], partitions: [...newPartitions.values()] });
    this.#lastSeq = lastSeq;
    for (const p of newPartitions.values()) this.#partitions.set(partitionId(p.accountId, p.region), p.firstMinute);
    for (const c of counts.values()) {
      const minute = minuteOf(c.minuteMs);
      // A minute already judged keeps its judgement; its late calls still count in the stored minutes.
      if (this.#evaluatedMinute !== undefined && minute <= this.#evaluatedMinute) continue;
      const series = this.#seriesFor(c.accountId, c.region, c.category, c.eventSource, c.eventName);
      this.#addPending(series, minute, c.calls, Object.values(c.errors).reduce((a, b) => a + b, 0));
    }
    return true;
  }

  #addPending(series: Series, minute: number, calls: number, errors: number): void {
    const pending = series.pending.get(minute) ?? { calls: 0, errors: 0 };
    pending.calls += calls;
    pending.errors += errors;
    series.pending.set(minute, pending);
    let inMinute = this.#pendingMinutes.get(minute);
    if (inMinute === undefined) this.#pendingMinutes.set(minute, (inMinute = new Set()));
    inMinute.add(series);
  }

  /** Which (account, region, type, category) some trail asks Insights for. */
  async #enabled(): Promise<(accountId: string, region: string, type: InsightType, category: InsightCategory) => boolean> {
    const accounts = new Set([...this.#partitions.keys()].map((p) => p.slice(0, p.indexOf('\n'))));
    const on = new Set<string>();
    for (const accountId of accounts) {
      for (const trail of await this.#deps.trails.list(accountId)) {
        for (const type of INSIGHT_TYPES) {
          for (const category of INSIGHT_CATEGORIES) {
            if (!selectsInsight(trail.insightSelectors, type, category)) continue;
            on.add([accountId, trail.config.IsMultiRegionTrail ? '*' : trail.homeRegion, type, category].join('\n'));
          }
        }
      }
    }
    return (accountId, region, type, category) => on.has([accountId, region, type, category].join('\n')) || on.has([accountId, '*', type, category].join('\n'));
  }

  /** The minutes to judge, in order: those with counts (`counted`, ascending), and every minute while an incident is open. */
  #nextMinute(after: number, through: number, counted: readonly number[], cursor: { index: number }): number | undefined {
    while (cursor.index < counted.length && counted[cursor.index]! <= after) cursor.index += 1;
    if (this.#incidents.size > 0) return after + 1 <= through ? after + 1 : undefined;
    return cursor.index < counted.length ? counted[cursor.index] : undefined;
  }

  async #judge(): Promise<CloudTrailRecord[]> {
    const through = minuteOf(this.#deps.clock.now() - this.#deps.latenessMs) - 1;
    if (this.#evaluatedMinute !== undefined && through <= this.#evaluatedMinute) return [];
    const enabled = await this.#enabled();
    const appended: CloudTrailRecord[] = [];
    const counted = [...this.#pendingMinutes.keys()].filter((m) => m <= through).sort((a, b) => a - b);
    const cursor = { index: 0 };
    const from = this.#evaluatedMinute ?? this.#earliestPending(through);
    if (from === undefined) {
      await this.#deps.insights.commitEvaluation<IncidentState>({ evaluatedMinute: through, incidents: [] });
      this.#evaluatedMinute = through;
      return [];
    }
    let minute: number = from;
    for (;;) {
      const records: CloudTrailRecord[] = [];
      const changed = new Map<string, { key: SeriesKey; state: IncidentState | undefined }>();
      let judged = 0;
      let next: number | undefined;
      while (judged < MINUTES_PER_COMMIT && (next = this.#nextMinute(minute, through, counted, cursor)) !== undefined) {
        minute = next;
        judged += 1;
        records.push(...(await this.#judgeMinute(minute, enabled, changed)));
      }
      const evaluatedMinute: number = next === undefined ? through : minute;
      if (records.length > 0) {
        await this.#deps.events.append(records.map((r) => ({ ...prepareEvent(r.recipientAccountId as string, r.awsRegion, r), idempotent: true }) satisfies PreparedEvent));
      }
      await this.#deps.insights.commitEvaluation({ evaluatedMinute, incidents: [...changed.values()] });
      this.#evaluatedMinute = evaluatedMinute;
      appended.push(...records);
      if (next === undefined) return appended;
      minute = evaluatedMinute;
    }
  }

  #earliestPending(through: number): number | undefined {
    let earliest: number | undefined;
    for (const m of this.#pendingMinutes.keys()) if (m <= through && (earliest === undefined || m < earliest)) earliest = m;
    return earliest === undefined ? undefined : earliest - 1;
  }

  async #judgeMinute(
    minute: number,
    enabled: (accountId: string, region: string, type: InsightType, category: InsightCategory) => boolean,
    changed: Map<string, { key: SeriesKey; state: IncidentState | undefined }>,
  ): Promise<CloudTrailRecord[]> {
    const records: CloudTrailRecord[] = [];
    const judgedSeries = new Set<Series>(this.#pendingMinutes.get(minute));
    this.#pendingMinutes.delete(minute);
    for (const { series } of this.#incidents.values()) judgedSeries.add(series);
    for (const series of judgedSeries) {
      const counts = series.pending.get(minute) ?? { calls: 0, errors: 0 };
      series.pending.delete(minute);
      for (const type of INSIGHT_TYPES) {
        const value = type === 'ApiCallRateInsight' ? counts.calls : counts.errors;
        const history = series.histories[type];
        const id = incidentId(series, type);
        const open = this.#incidents.get(id);
        if (open !== undefined || enabled(series.accountId, series.region, type, series.category)) {
          const step = stepIncident(this.#deps.settings, open?.state, minute, value, history.baseline(minute));
          if (step.transition !== undefined) {
            // On End the step hands back the closed incident (ended), whose figures the End reports.
            const state = step.state ?? open?.state;
            if (state !== undefined) records.push(await this.#record(series, type, step.transition, state));
          }
          const next = step.state === undefined || step.state.ended === true ? undefined : step.state;
          if (next === undefined) this.#incidents.delete(id);
          else this.#incidents.set(id, { series, type, state: next });
          if (next !== undefined || open !== undefined) changed.set(id, { key: keyOf(series, type), state: next });
        }
        if (value > 0) history.add(minute, value);
      }
    }
    return records;
  }

  async #record(series: Series, type: InsightType, transition: 'Start' | 'End', state: IncidentState): Promise<CloudTrailRecord> {
    const insightAverage = state.minutes > 0 ? state.sum / state.minutes : 0;
    const startMs = state.startMinute * MINUTE_MS;
    const endMs = (state.lastAnomalousMinute + 1) * MINUTE_MS;
    const [insightCalls, baselineCalls] = await Promise.all([
      this.#calls(series, type, startMs, endMs - 1),
      this.#calls(series, type, startMs - state.baselineCoveredMinutes * MINUTE_MS, startMs - 1),
    ]);
    return insightRecord({
      accountId: series.accountId,
      region: series.region,
      category: series.category,
      eventSource: series.eventSource,
      eventName: series.eventName,
      insightType: type,
      state: transition,
      startMinute: state.startMinute,
      eventTimeMs: transition === 'Start' ? startMs : endMs,
      baselineAverage: state.baselineAverage,
      insightAverage,
      baselineDuration: state.baselineCoveredMinutes,
      insightDuration: state.lastAnomalousMinute - state.startMinute + 1,
      attributions: attributionsOf({ records: insightCalls, average: insightAverage }, { records: baselineCalls, average: state.baselineAverage }),
    });
  }

  /** The series' calls (or failed calls) in a time range: the most recent ATTRIBUTION_SAMPLE of them. */
  async #calls(series: Series, type: InsightType, startMs: number, endMs: number): Promise<CloudTrailRecord[]> {
    if (endMs < startMs) return [];
    const attributes: LookupAttribute[] = [
      { key: 'EventSource', value: series.eventSource },
      { key: 'EventName', value: series.eventName },
    ];
    const stored = await this.#deps.events.lookup({
      accountId: series.accountId,
      region: series.region,
      attributes,
      startMs,
      endMs,
      insights: false,
      includeDataEvents: series.category === 'Data',
      limit: ATTRIBUTION_SAMPLE,
    });
    const records: CloudTrailRecord[] = [];
    for (const e of stored) {
      const record = JSON.parse(e.json) as CloudTrailRecord;
      const call = countedCall(record);
      if (call !== undefined && call.category === series.category && countedBy(call, type)) records.push(record);
    }
    return records;
  }
}
