/**
 * The evaluator against the real pipeline and stores (in process): data put through the API
 * moves an alarm to ALARM on the next pass, its SNS action is published with CloudWatch's
 * message and recorded in the history; failures are recorded too; an action a crash left pending
 * runs on start.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InProcessPipeline } from '../../../test/support/in-process-pipeline.js';
import { startInProcessPipeline } from '../../../test/support/in-process-pipeline.js';
import type { AlarmActionPublisher } from './alarm-publisher.js';
import { startAlarmWorker } from './alarm-worker.js';

const logger = pino({ level: 'silent' });
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:ops';
let p: InProcessPipeline;

beforeEach(async () => {
  p = await startInProcessPipeline(Date.UTC(2026, 1, 12, 5, 50, 30));
});
afterEach(async () => {
  await p.close();
});

async function json(operation: string, input: object): Promise<void> {
  const response = await p.send({
    service: 'monitoring',
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    target: `GraniteServiceVersion20100801.${operation}`,
    body: JSON.stringify(input),
    credentials: p.admin,
  });
  if (response.status !== 200) throw new Error(`${operation}: ${response.body}`);
}

function recorder(fail = false) {
  const published: { topic: string; subject: string; message: Record<string, unknown> }[] = [];
  const webhooks: string[] = [];
  const publish: AlarmActionPublisher = {
    async publishToTopic(topic, subject, message) {
      if (fail) throw new Error('topic does not exist');
      published.push({ topic, subject, message: JSON.parse(message) as Record<string, unknown> });
    },
    async webhook(message) {
      webhooks.push(message);
    },
  };
  return { published, webhooks, publish };
}

const key = () => ({ accountId: p.accountId, region: 'us-east-1', alarmName: 'errors-high' });

async function putAlarm(): Promise<void> {
  await json('PutMetricAlarm', {
    AlarmName: 'errors-high',
    AlarmDescription: 'too many errors',
    MetricName: 'Errors',
    Namespace: 'App',
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Dimensions: [{ Name: 'Service', Value: 'api' }],
    AlarmActions: [TOPIC],
  });
}

describe('alarm worker', () => {
  it('moves an alarm to ALARM within its open period and publishes CloudWatch’s notification', async () => {
    await putAlarm();
    await json('PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 1, Dimensions: [{ Name: 'Service', Value: 'api' }] }] });
    const { published, webhooks, publish } = recorder();
    const worker = startAlarmWorker({ alarms: p.stores.alarms, metrics: p.stores.metrics, clock: p.clock, intervalMs: 60_000, publish }, logger);
    try {
      await worker.runOnce();
      const alarm = await p.stores.alarms.get(key());
      expect(alarm!.state.value).toBe('ALARM');
      expect(alarm!.state.reason).toBe('Threshold Crossed: 1 datapoint [1.0 (12/02/26 05:50:00)] was greater than or equal to the threshold (1.0).');
      expect(published).toHaveLength(1);
      expect(published[0]!.subject).toBe('ALARM: "errors-high" in US East (N. Virginia)');
      expect(published[0]!.message).toMatchObject({
        AlarmName: 'errors-high',
        AlarmDescription: 'too many errors',
        AWSAccountId: p.accountId,
        NewStateValue: 'ALARM',
        OldStateValue: 'INSUFFICIENT_DATA',
        Region: 'US East (N. Virginia)',
        AlarmArn: `arn:aws:cloudwatch:us-east-1:${p.accountId}:alarm:errors-high`,
        Trigger: { MetricName: 'Errors', Namespace: 'App', StatisticType: 'Statistic', Statistic: 'SUM', Dimensions: [{ value: 'api', name: 'Service' }], Period: 60, Threshold: 1 },
      });
      expect(webhooks).toHaveLength(1);
      const { items } = await p.stores.alarms.history(p.accountId, 'us-east-1', { alarmName: 'errors-high', newestFirst: false }, 10);
      expect(items.map((i) => [i.historyItemType, i.historySummary])).toEqual([
        ['ConfigurationUpdate', 'Alarm "errors-high" created'],
        ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
        ['Action', `Successfully executed action ${TOPIC}`],
      ]);
      expect(await p.stores.alarms.pendingActions()).toEqual([]);

      // A second pass changes nothing: no transition, no second notification.
      await worker.runOnce();
      expect(published).toHaveLength(1);

      // The period closes, the next has no data: missing data (default) gives INSUFFICIENT_DATA once it closes empty.
      p.clock.advance(2 * 60_000);
      await worker.runOnce();
      expect((await p.stores.alarms.get(key()))!.state.value).toBe('INSUFFICIENT_DATA');
    } finally {
      await worker.stop();
    }
  });

  it('records a failed action as an Action history item', async () => {
    await putAlarm();
    await json('SetAlarmState', { AlarmName: 'errors-high', StateValue: 'ALARM', StateReason: 'by hand' });
    const { publish } = recorder(true);
    const worker = startAlarmWorker({ alarms: p.stores.alarms, metrics: p.stores.metrics, clock: p.clock, intervalMs: 60_000, publish }, logger);
    try {
      await worker.runOnce();
      const { items } = await p.stores.alarms.history(p.accountId, 'us-east-1', { itemType: 'Action', newestFirst: true }, 10);
      expect(items.map((i) => i.historySummary)).toEqual([`Failed to execute action ${TOPIC}. Received error: "topic does not exist"`]);
      expect(await p.stores.alarms.pendingActions()).toEqual([]);
    } finally {
      await worker.stop();
    }
  });

  it('runs on start an action a crash left pending after its transition', async () => {
    await putAlarm();
    const alarm = (await p.stores.alarms.get(key()))!;
    const next = { value: 'ALARM' as const, reason: 'before the crash', timestampMs: p.clock.now() };
    const history = { ...key(), timestampMs: next.timestampMs, historyItemType: 'StateUpdate' as const, historySummary: 'x', historyData: '{}' };
    expect(await p.stores.alarms.transition(key(), alarm.state, next, history, { alarm, oldState: alarm.state.value, newState: next })).toBe(true);
    // The compare-and-set refuses a stale expectation.
    expect(await p.stores.alarms.transition(key(), alarm.state, next, history)).toBe(false);
    const { published, publish } = recorder();
    // Data that keeps the alarm in ALARM: the pass itself makes no new transition.
    await json('PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 5, Dimensions: [{ Name: 'Service', Value: 'api' }] }] });
    const worker = startAlarmWorker({ alarms: p.stores.alarms, metrics: p.stores.metrics, clock: p.clock, intervalMs: 60_000, publish }, logger);
    try {
      await worker.runOnce();
      expect(published.map((m) => m.message.NewStateReason)).toEqual(['before the crash']);
    } finally {
      await worker.stop();
    }
  });

  it('a poke runs a pass soon', async () => {
    await putAlarm();
    await json('PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 1, Dimensions: [{ Name: 'Service', Value: 'api' }] }] });
    const { published, publish } = recorder();
    const worker = startAlarmWorker({ alarms: p.stores.alarms, metrics: p.stores.metrics, clock: p.clock, intervalMs: 3_600_000, publish }, logger);
    try {
      await worker.runOnce();
      await json('SetAlarmState', { AlarmName: 'errors-high', StateValue: 'OK', StateReason: 'by hand' });
      worker.poke();
      await expect.poll(async () => (await p.stores.alarms.get(key()))!.state.value).toBe('ALARM');
      expect(published.length).toBeGreaterThanOrEqual(1);
    } finally {
      await worker.stop();
    }
  });
});
