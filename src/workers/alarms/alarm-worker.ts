/**
 * The alarm evaluator: every `intervalMs`, and soon after a poke (a commit that changed metrics
 * or alarms), a pass that
 *
 *   1. evaluates every alarm on its metric's minutes (monitoring/alarms/evaluate.ts);
 *   2. moves each alarm whose state value changed with a compare-and-set (AlarmStore.transition):
 *      the new state, its StateUpdate history item and the transition's pending action, in one
 *      transaction; an alarm changed meanwhile (PutMetricAlarm, SetAlarmState, a racing pass)
 *      is left to the next pass;
 *   3. runs the pending actions (these, SetAlarmState's, and any left by a crash: the outbox is
 *      read on every pass, the first one at start): the new state's SNS topics when actions are
 *      enabled, each retried with backoff, each outcome an Action history item; and the webhook.
 *      An action is removed from the outbox with its outcomes in one transaction, so a crash
 *      before that runs it again (at least once, never lost).
 *
 * Actions run in the background of the pass (a slow topic does not hold up evaluation), at
 * most once at a time each; stop() waits for them. Once an hour a pass also drops metric minutes
 * older than 15 days and alarm history older than 30, as CloudWatch keeps them.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/error-message.js';
import { evaluateAlarm, windowOf } from '../../monitoring/alarms/evaluate.js';
import type { AlarmHistoryItem, AlarmStore, AlarmTransition, MetricAlarm, PendingAlarmAction } from '../../store/monitoring/alarms.js';
import type { MetricStore } from '../../store/monitoring/metrics.js';
import { startPeriodic } from '../periodic.js';
import { stateUpdateItem } from '../../monitoring/alarms/history.js';
import { actionTargets, alarmMessage, alarmSubject } from './alarm-notification.js';
import type { AlarmActionPublisher } from './alarm-publisher.js';

export interface AlarmWorkerDeps {
  alarms: AlarmStore;
  /** With purgeBefore, the worker also drops minutes older than CloudWatch keeps them. */
  metrics: Pick<MetricStore, 'minutes'> & Partial<Pick<MetricStore, 'purgeBefore'>>;
  clock: Clock;
  intervalMs: number;
  publish: AlarmActionPublisher;
}

export interface AlarmWorker {
  stop(): Promise<void>;
  /** Metrics or alarms changed: run a pass soon (passes asked for meanwhile are one pass). */
  poke(): void;
  /** One pass now (after the one in progress), its actions included. */
  runOnce(): Promise<void>;
}

/** One alarm evaluated: the transition it made, if any. */
async function evaluateOne(deps: AlarmWorkerDeps, alarm: MetricAlarm, nowMs: number): Promise<boolean> {
  const key = { accountId: alarm.accountId, region: alarm.region, namespace: alarm.namespace, metricName: alarm.metricName, dimensions: alarm.dimensions };
  const window = windowOf(alarm, nowMs);
  const minutes = await deps.metrics.minutes(key, window.startMs, window.endMs);
  const result = evaluateAlarm(alarm, minutes, nowMs);
  if (result.state === alarm.state.value) return false;
  const next = { value: result.state, reason: result.reason, reasonData: result.reasonData, timestampMs: nowMs };
  const transition: AlarmTransition = { alarm, oldState: alarm.state.value, newState: next };
  return deps.alarms.transition(
    { accountId: alarm.accountId, region: alarm.region, alarmName: alarm.alarmName },
    { value: alarm.state.value, timestampMs: alarm.state.timestampMs },
    next,
    stateUpdateItem(alarm, next),
    transition,
  );
}

function actionItem(transition: AlarmTransition, topic: string, timestampMs: number, message: string, failure?: string): AlarmHistoryItem {
  const { alarm } = transition;
  return {
    accountId: alarm.accountId,
    region: alarm.region,
    alarmName: alarm.alarmName,
    timestampMs,
    historyItemType: 'Action',
    historySummary: failure === undefined ? `Successfully executed action ${topic}` : `Failed to execute action ${topic}. Received error: "${failure.slice(0, 512)}"`,
    historyData: JSON.stringify({
      actionState: failure === undefined ? 'Succeeded' : 'Failed',
      stateUpdateTimestamp: transition.newState.timestampMs,
      notificationResource: topic,
      ...(failure === undefined ? { publishedMessage: message } : { error: failure.slice(0, 512) }),
    }),
  };
}

/** Runs one pending action to its end; its outcomes are recorded with its removal. */
async function runAction(deps: AlarmWorkerDeps, pending: PendingAlarmAction, logger: Logger): Promise<void> {
  const { transition } = pending;
  const message = alarmMessage(transition);
  const subject = alarmSubject(transition);
  const outcomes: AlarmHistoryItem[] = [];
  for (const topic of actionTargets(transition)) {
    try {
      await deps.publish.publishToTopic(topic, subject, message);
      outcomes.push(actionItem(transition, topic, deps.clock.now(), message));
    } catch (error) {
      logger.warn({ err: error, alarm: transition.alarm.alarmArn, topic }, 'alarm action failed');
      outcomes.push(actionItem(transition, topic, deps.clock.now(), message, errorMessage(error)));
    }
  }
  if (deps.publish.webhook !== undefined) {
    // Not an alarm action (no history item): its failure is logged, as trail notifications' are.
    await deps.publish.webhook(message).catch((error: unknown) => logger.warn({ err: error, alarm: transition.alarm.alarmArn }, 'alarm webhook failed'));
  }
  await deps.alarms.completeAction(pending.id, outcomes);
}

/** Minute data is kept 15 days and alarm history 30, as CloudWatch keeps them; purged hourly. */
const METRIC_RETENTION_MS = 15 * 86_400_000;
const HISTORY_RETENTION_MS = 30 * 86_400_000;
const PURGE_INTERVAL_MS = 3_600_000;

export function startAlarmWorker(deps: AlarmWorkerDeps, logger: Logger): AlarmWorker {
  let lastPurgeMs = Number.NEGATIVE_INFINITY;
  const inFlight = new Map<number, Promise<void>>();

  const startActions = async (): Promise<void> => {
    for (const pending of await deps.alarms.pendingActions()) {
      if (inFlight.has(pending.id)) continue;
      const run = runAction(deps, pending, logger)
        .catch((error: unknown) => logger.error({ err: error, alarm: pending.transition.alarm.alarmArn }, 'recording an alarm action failed; it runs again'))
        .finally(() => inFlight.delete(pending.id));
      inFlight.set(pending.id, run);
    }
  };

  const purge = async (nowMs: number): Promise<void> => {
    if (deps.metrics.purgeBefore === undefined || nowMs - lastPurgeMs < PURGE_INTERVAL_MS) return;
    lastPurgeMs = nowMs;
    await deps.metrics.purgeBefore(nowMs - METRIC_RETENTION_MS);
    await deps.alarms.purgeHistoryBefore(nowMs - HISTORY_RETENTION_MS);
  };

  const pass = async (): Promise<void> => {
    const nowMs = deps.clock.now();
    for (const alarm of await deps.alarms.all()) {
      try {
        await evaluateOne(deps, alarm, nowMs);
      } catch (error) {
        // One alarm's failure does not stop the others; it is evaluated again next pass.
        logger.error({ err: error, alarm: alarm.alarmArn }, 'alarm evaluation failed');
      }
    }
    // Actions run in the background: a slow topic does not hold up the next evaluation.
    await startActions();
    await purge(nowMs);
  };

  // The first pass at once: actions a crash left pending run now, not an interval later.
  const worker = startPeriodic('alarm', pass, deps.intervalMs, logger, { runAtStart: true });

  return {
    poke: () => worker.poke(),
    async runOnce() {
      await worker.runOnce();
      // runOnce answers when this pass's actions have run too (tests, shutdown).
      await Promise.all(inFlight.values());
    },
    async stop() {
      await worker.stop();
      await Promise.all(inFlight.values());
    },
  };
}
