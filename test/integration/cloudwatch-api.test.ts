/**
 * CloudWatch against a real server process with the JS SDK v3 (@aws-sdk/client-cloudwatch:
 * AWS JSON 1.0, awsQueryCompatible): metric data, an alarm, its state set and its history, the
 * metric read back three ways, CloudWatch's error codes, another account seeing nothing, every
 * call a monitoring.amazonaws.com record; the query protocol and CBOR by raw signed HTTP. When
 * the server runs the alarm evaluator (src/server/serve.ts), the alarm goes to ALARM by itself.
 */
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { encode } from 'cbor2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../support/admin-cli.js';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import { startServer } from '../support/server-process.js';
import { eventually } from '../support/log-files.js';
import type { ServerProcess } from '../support/server-process.js';
import { sendSigned } from '../support/signed-request.js';

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

const DIMENSIONS = [{ Name: 'Service', Value: 'api' }];
const ALARM = {
  AlarmName: 'api-errors',
  MetricName: 'Errors',
  Namespace: 'App',
  Statistic: 'Sum' as const,
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const,
  Dimensions: DIMENSIONS,
};

function otherAccount(accountId: string) {
  runAdminCli(server.dataDir, 'accounts', 'create', '--account-id', accountId, '--name', `account-${accountId}`);
  runAdminCli(server.dataDir, 'users', 'create', '--account-id', accountId, '--user-name', 'admin', '--policy', 'AdministratorAccess');
  const [, row] = runAdminCli(server.dataDir, 'keys', 'create', '--account-id', accountId, '--user-name', 'admin').trim().split('\n');
  const [accessKeyId, secretAccessKey] = row!.split('\t');
  return { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
}

describe('CloudWatch with the JS SDK', () => {
  it('puts metric data and an alarm, sets its state, reads its history and the metric', async () => {
    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 3, Dimensions: DIMENSIONS, Unit: 'Count' }] }));
    await cw.send(new PutMetricAlarmCommand({ ...ALARM, AlarmActions: [`arn:aws:sns:us-east-1:${server.accountId}:ops`] }));
    const { MetricAlarms } = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['api-errors'] }));
    expect(MetricAlarms).toHaveLength(1);
    expect(MetricAlarms![0]).toMatchObject({ AlarmName: 'api-errors', AlarmArn: `arn:aws:cloudwatch:us-east-1:${server.accountId}:alarm:api-errors`, Threshold: 1, Period: 60 });
    expect(MetricAlarms![0]!.StateUpdatedTimestamp).toBeInstanceOf(Date);

    // The evaluator, poked by PutMetricAlarm, has the datapoint: the alarm goes to ALARM first.
    await eventually(async () => ((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['api-errors'] }))).MetricAlarms?.[0]?.StateValue === 'ALARM' ? true : undefined), 20_000, 'the alarm in ALARM');
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'api-errors', StateValue: 'OK', StateReason: 'checked by hand', StateReasonData: '{"by":"test"}' }));
    const { AlarmHistoryItems } = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'api-errors', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
    expect(AlarmHistoryItems!.map((h) => h.HistorySummary)).toContain('Alarm updated from ALARM to OK');

    const { Metrics } = await cw.send(new ListMetricsCommand({ Namespace: 'App', RecentlyActive: 'PT3H' }));
    expect(Metrics).toEqual([{ Namespace: 'App', MetricName: 'Errors', Dimensions: DIMENSIONS }]);
    const start = new Date(Date.now() - 600_000);
    const end = new Date(Date.now() + 120_000);
    const stats = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Errors', Dimensions: DIMENSIONS, StartTime: start, EndTime: end, Period: 60, Statistics: ['Sum', 'Average'] }));
    expect(stats.Datapoints).toMatchObject([{ Sum: 3, Average: 3 }]);
    const data = await cw.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [{ Id: 'errors', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Errors', Dimensions: DIMENSIONS }, Period: 300, Stat: 'Sum' } }],
      }),
    );
    expect(data.MetricDataResults).toMatchObject([{ Id: 'errors', Values: [3], StatusCode: 'Complete' }]);
    expect(data.MetricDataResults![0]!.Timestamps![0]).toBeInstanceOf(Date);
  });

  it('the evaluator moves an alarm to ALARM within seconds of its first matching datapoint', async () => {
    await cw.send(new PutMetricAlarmCommand({ ...ALARM, AlarmName: 'fires', MetricName: 'Fires' }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Fires', Value: 1, Dimensions: DIMENSIONS }] }));
    await expect
      .poll(async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['fires'] }))).MetricAlarms![0]!.StateValue, { timeout: 10_000, interval: 250 })
      .toBe('ALARM');
    const { AlarmHistoryItems } = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'fires', HistoryItemType: 'StateUpdate' }));
    expect(AlarmHistoryItems![0]!.HistorySummary).toBe('Alarm updated from INSUFFICIENT_DATA to ALARM');
  });

  it('answers CloudWatch’s error codes, which the SDK reads from x-amzn-query-error', async () => {
    const missing = await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['no-such-alarm'] })).catch((e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
    expect(missing).toMatchObject({ name: 'ResourceNotFound', $metadata: { httpStatusCode: 404 } });
    // The SDK names the error by its shape and gives the query code beside it.
    const badPeriod = await cw.send(new PutMetricAlarmCommand({ ...ALARM, AlarmName: 'bad', Period: 45 })).catch((e: unknown) => e as { name: string });
    expect(badPeriod).toMatchObject({ name: 'InvalidParameterValueException', Code: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } });
    const math = await cw
      .send(new GetMetricDataCommand({ StartTime: new Date(Date.now() - 60_000), EndTime: new Date(), MetricDataQueries: [{ Id: 'm', Expression: 'SUM(METRICS())' }] }))
      .catch((e: unknown) => e as { name: string; message: string });
    expect(math).toMatchObject({ name: 'InvalidParameterValueException', Code: 'InvalidParameterValue' });
    const noMetric = await cw.send(new PutMetricAlarmCommand({ AlarmName: 'half', EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' })).catch((e: unknown) => e as { name: string });
    expect(noMetric).toMatchObject({ name: 'MissingRequiredParameterException', Code: 'MissingParameter' });
    expect((math as { message: string }).message).toContain('Metric math');
  });

  it('keeps accounts apart', async () => {
    const key = otherAccount('444455556666');
    const other = new CloudWatchClient(clientOptions(server, key));
    try {
      expect((await other.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
      expect((await other.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
      await expect(other.send(new SetAlarmStateCommand({ AlarmName: 'api-errors', StateValue: 'ALARM', StateReason: 'x' }))).rejects.toMatchObject({ name: 'ResourceNotFound' });
    } finally {
      other.destroy();
    }
  });

  it('records every call as CloudTrail records CloudWatch’s', async () => {
    const ct = cloudTrailClient(server);
    try {
      const { Events } = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'monitoring.amazonaws.com' }], MaxResults: 50 }));
      const names = Events!.map((e) => e.EventName);
      for (const name of ['PutMetricData', 'PutMetricAlarm', 'DescribeAlarms', 'SetAlarmState', 'DescribeAlarmHistory', 'ListMetrics', 'GetMetricStatistics', 'GetMetricData', 'DeleteAlarms']) {
        expect(names).toContain(name);
      }
      const records = Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
      const put = records.find((r) => r.eventName === 'PutMetricAlarm' && r.errorCode === undefined && (r.requestParameters as { alarmName: string }).alarmName === 'api-errors')!;
      expect(put).toMatchObject({ eventSource: 'monitoring.amazonaws.com', readOnly: false, requestParameters: { alarmName: 'api-errors', namespace: 'App', threshold: 1 } });
      expect(records.find((r) => r.eventName === 'DeleteAlarms')).toMatchObject({ errorCode: 'ResourceNotFound', errorMessage: 'Alarm no-such-alarm not found' });
      expect(records.find((r) => r.eventName === 'DescribeAlarms')).toMatchObject({ readOnly: true, responseElements: null });
    } finally {
      ct.destroy();
    }
  });
});

describe('CloudWatch by raw signed HTTP', () => {
  const signed = async (body: string | Uint8Array, extra: { path?: string; headers?: Record<string, string> } = {}) =>
    sendSigned({ url: server.url, body, service: 'monitoring', accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey, ...extra });

  it('answers the query protocol in XML', async () => {
    const response = await signed('Action=DescribeAlarms&Version=2010-08-01&AlarmNamePrefix=api', { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(response.body).toContain('<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">');
    expect(response.body).toContain('<AlarmName>api-errors</AlarmName>');
    const error = await signed('Action=DeleteAlarms&Version=2010-08-01&AlarmNames.member.1=nope', { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } });
    expect(error.status).toBe(404);
    expect(error.body).toContain('<Code>ResourceNotFound</Code>');
  });

  it('answers CBOR, and malformed CBOR with an AWS-shaped error, never a 500', async () => {
    const headers = { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', accept: 'application/cbor' };
    const path = '/service/GraniteServiceVersion20100801/operation/DescribeAlarms';
    const raw = async (body: Uint8Array, at = path) => {
      const url = new URL(server.url);
      const response = await sendSigned({ url: server.url, body, path: at, service: 'monitoring', headers: { ...headers, host: url.host }, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey });
      return response;
    };
    const ok = await raw(encode({ AlarmNamePrefix: 'api' }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    for (const body of [Buffer.from([0xff, 0x00]), encode('not a map'), encode({ MaxRecords: 'x' })]) {
      const bad = await raw(body);
      expect(bad.status).toBe(400);
      expect(bad.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    }
    const unknown = await raw(encode({}), '/service/GraniteServiceVersion20100801/operation/Nope');
    expect(unknown.status).toBe(400);
  });
});
