/**
 * Runs the Insights detector (./insights-detector.ts) on a schedule: a pass every interval,
 * and counts of minutes older than the retention purged once an hour. The detector is opened
 * on the first pass, so a failure to load its state is retried like any failed pass, and
 * reopened after any failed pass.
 */
import type { Logger } from 'pino';
import { MINUTE_MS } from '../../core/insights/insight-types.js';
import type { CloudTrailRecord } from '../../core/record.js';
import { startPeriodic } from '../periodic.js';
import type { PeriodicWorker } from '../periodic.js';
import type { InsightsDeps } from './insights-detector.js';
import { InsightsDetector } from './insights-detector.js';

const PURGE_EVERY_MS = 60 * MINUTE_MS;

export interface InsightsWorkerOptions {
  intervalMs: number;
  /** Days of counts kept (ListInsightsMetricData's reach); never less than the baseline needs. */
  retentionDays: number;
}

export function startInsightsWorker(deps: InsightsDeps, options: InsightsWorkerOptions, logger: Logger): PeriodicWorker {
  let detector: InsightsDetector | undefined;
  let lastPurge = 0;
  const keepMs = Math.max(options.retentionDays * 24 * 60 * MINUTE_MS, (deps.settings.baselineMinutes + 60) * MINUTE_MS);
  const pass = async (): Promise<void> => {
    detector ??= await InsightsDetector.open(deps);
    let records: CloudTrailRecord[];
    try {
      records = await detector.pass();
    } catch (error) {
      // A pass that failed part way has moved the detector's memory past what is stored (minutes
      // judged, histories added): the next pass reopens it from the store and redoes that work.
      detector = undefined;
      throw error;
    }
    for (const r of records) {
      const details = r.insightDetails as { state: string; eventSource: string; eventName: string; insightType: string };
      logger.info({ account: r.recipientAccountId, region: r.awsRegion, ...details, eventTime: r.eventTime }, 'insight');
    }
    const now = deps.clock.now();
    if (now - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = now;
      await deps.insights.purgeBefore(now - keepMs);
    }
  };
  return startPeriodic('insights', pass, options.intervalMs, logger);
}
