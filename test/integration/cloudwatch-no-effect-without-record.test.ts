/**
 * No effect without its record, for CloudWatch's mutating operations: with the database refusing
 * an operation's record, the call fails (InternalFailure, 500) and nothing of it happened; without
 * the fault the same call takes effect.
 */
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions } from '../support/clients.js';
import { withRecordRefused } from '../support/refuse-record.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
let cw: CloudWatchClient;

beforeAll(async () => {
  server = await startServer();
  cw = new CloudWatchClient(clientOptions(server));
});

afterAll(async () => {
  cw?.destroy();
  await server?.stop();
});

// On a metric without data, ignoring missing data: the evaluator (when the server runs it) never moves it.
const ALARM = {
  AlarmName: 'guarded',
  TreatMissingData: 'ignore',
  MetricName: 'Unused',
  Namespace: 'App',
  Statistic: 'Sum' as const,
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: 'GreaterThanThreshold' as const,
};

async function refused(eventName: string, action: () => Promise<unknown>): Promise<void> {
  const error = await withRecordRefused(server.dataDir, eventName, async () => action().then(() => undefined, (e: unknown) => e));
  expect(error).toMatchObject({ $metadata: { httpStatusCode: 500 } });
}

const alarms = async () => (await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];

describe('CloudWatch: no effect without its record', () => {
  it('PutMetricData', async () => {
    const put = async () => cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 1 }] }));
    await refused('PutMetricData', put);
    expect((await cw.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
    await put();
    expect((await cw.send(new ListMetricsCommand({}))).Metrics).toHaveLength(1);
  });

  it('PutMetricAlarm', async () => {
    await refused('PutMetricAlarm', async () => cw.send(new PutMetricAlarmCommand(ALARM)));
    expect(await alarms()).toEqual([]);
    await cw.send(new PutMetricAlarmCommand(ALARM));
    expect(await alarms()).toHaveLength(1);
  });

  it('SetAlarmState', async () => {
    const set = async () => cw.send(new SetAlarmStateCommand({ AlarmName: 'guarded', StateValue: 'ALARM', StateReason: 'test' }));
    await refused('SetAlarmState', set);
    expect((await alarms())[0]!.StateValue).toBe('INSUFFICIENT_DATA');
    const history = async () => (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'guarded', HistoryItemType: 'StateUpdate' }))).AlarmHistoryItems ?? [];
    expect(await history()).toEqual([]);
    await set();
    expect((await alarms())[0]!.StateValue).toBe('ALARM');
    expect(await history()).toHaveLength(1);
  });

  it('DeleteAlarms', async () => {
    const remove = async () => cw.send(new DeleteAlarmsCommand({ AlarmNames: ['guarded'] }));
    await refused('DeleteAlarms', remove);
    expect(await alarms()).toHaveLength(1);
    await remove();
    expect(await alarms()).toEqual([]);
  });
});
