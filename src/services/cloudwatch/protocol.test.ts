/**
 * CloudWatch over its three protocols through the real pipeline (in process, real SQLite): every
 * operation round-trips in CBOR, JSON 1.0 and query alike, errors come in the request's own
 * protocol with the query code in x-amzn-query-error, and every call is recorded.
 */
import { decode, encode } from 'cbor2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../api/http-types.js';
import type { InProcessPipeline } from '../../../test/support/in-process-pipeline.js';
import { startInProcessPipeline } from '../../../test/support/in-process-pipeline.js';

type Kind = 'cbor' | 'json' | 'query';
const KINDS: Kind[] = ['cbor', 'json', 'query'];

let p: InProcessPipeline;

beforeEach(async () => {
  p = await startInProcessPipeline(Date.UTC(2026, 1, 12, 5, 50, 30));
});
afterEach(async () => {
  await p.close();
});

/** A query form of an input: lists as `.member.N`, structures by member, dates ISO 8601. */
function form(prefix: string, value: unknown, out: [string, string][]): void {
  if (value instanceof Date) out.push([prefix, value.toISOString()]);
  else if (Array.isArray(value)) value.forEach((v, i) => form(`${prefix}.member.${i + 1}`, v, out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) form(prefix === '' ? k : `${prefix}.${k}`, v, out);
  else out.push([prefix, String(value)]);
}

/** JSON wants epoch seconds where CBOR has tag 1 and query ISO text. */
function jsonable(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(jsonable);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonable(v)]));
  return value;
}

async function send(kind: Kind, operation: string, input: Record<string, unknown>, accountKey = p.admin): Promise<HttpResponse> {
  if (kind === 'cbor') {
    return p.send({
      service: 'monitoring',
      path: `/service/GraniteServiceVersion20100801/operation/${operation}`,
      headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', accept: 'application/cbor' },
      body: encode(input),
      credentials: accountKey,
    });
  }
  if (kind === 'json') {
    return p.send({
      service: 'monitoring',
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      target: `GraniteServiceVersion20100801.${operation}`,
      body: JSON.stringify(jsonable(input)),
      credentials: accountKey,
    });
  }
  const fields: [string, string][] = [['Action', operation], ['Version', '2010-08-01']];
  form('', input, fields);
  return p.send({ service: 'monitoring', body: new URLSearchParams(fields).toString(), credentials: accountKey });
}

/** The answer's members (CBOR and JSON); for query the XML text. */
function answer(kind: Kind, response: HttpResponse): Record<string, unknown> & { xml?: string } {
  if (kind === 'cbor') {
    expect(response.headers['smithy-protocol']).toBe('rpc-v2-cbor');
    expect(response.headers['content-type']).toBe('application/cbor');
    return decode<Record<string, unknown>>(response.bytes!);
  }
  if (kind === 'json') {
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.0');
    return JSON.parse(response.body) as Record<string, unknown>;
  }
  expect(response.headers['content-type']).toBe('text/xml');
  return { xml: response.body };
}

function ok(kind: Kind, response: HttpResponse) {
  if (response.status !== 200) throw new Error(`${response.status}: ${response.bytes !== undefined ? JSON.stringify(decode(response.bytes)) : response.body}`);
  return answer(kind, response);
}

const now = () => new Date(p.clock.now());

const ALARM = {
  AlarmName: 'errors-high',
  MetricName: 'Errors',
  Namespace: 'App',
  Statistic: 'Sum',
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  Dimensions: [{ Name: 'Service', Value: 'api' }],
  AlarmActions: ['arn:aws:sns:us-east-1:111122223333:ops'],
};

describe.each(KINDS)('CloudWatch over %s', (kind) => {
  it('puts metric data and an alarm, describes them, sets the state, reads history, metrics and statistics', async () => {
    ok(kind, await send(kind, 'PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 2, Timestamp: now(), Dimensions: [{ Name: 'Service', Value: 'api' }] }] }));
    ok(kind, await send(kind, 'PutMetricAlarm', ALARM));
    expect(p.pokes.count).toBe(2);

    const described = ok(kind, await send(kind, 'DescribeAlarms', { AlarmNamePrefix: 'errors' }));
    if (kind === 'query') {
      expect(described.xml).toContain('<AlarmArn>arn:aws:cloudwatch:us-east-1:111122223333:alarm:errors-high</AlarmArn>');
      expect(described.xml).toContain('<StateValue>INSUFFICIENT_DATA</StateValue>');
      expect(described.xml).toContain('<StateUpdatedTimestamp>2026-02-12T05:50:30Z</StateUpdatedTimestamp>');
    } else {
      const [alarm] = described.MetricAlarms as Record<string, unknown>[];
      expect(alarm).toMatchObject({ AlarmName: 'errors-high', StateValue: 'INSUFFICIENT_DATA', AlarmArn: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:errors-high', Threshold: 1 });
      // CBOR timestamps are tag 1 (a Date once decoded); JSON's are epoch seconds.
      expect(kind === 'cbor' ? (alarm!.StateUpdatedTimestamp as Date).getTime() : (alarm!.StateUpdatedTimestamp as number) * 1000).toBe(p.clock.now());
    }

    ok(kind, await send(kind, 'SetAlarmState', { AlarmName: 'errors-high', StateValue: 'ALARM', StateReason: 'testing' }));
    const history = ok(kind, await send(kind, 'DescribeAlarmHistory', { AlarmName: 'errors-high', HistoryItemType: 'StateUpdate' }));
    if (kind === 'query') expect(history.xml).toContain('<HistorySummary>Alarm updated from INSUFFICIENT_DATA to ALARM</HistorySummary>');
    else expect((history.AlarmHistoryItems as { HistorySummary: string }[]).map((h) => h.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to ALARM']);
    // The transition owes its actions, as an evaluated one does.
    expect(await p.stores.alarms.pendingActions()).toHaveLength(1);

    const metrics = ok(kind, await send(kind, 'ListMetrics', { Namespace: 'App', Dimensions: [{ Name: 'Service' }] }));
    if (kind === 'query') expect(metrics.xml).toContain('<MetricName>Errors</MetricName>');
    else expect(metrics.Metrics).toEqual([{ Namespace: 'App', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'api' }] }]);

    const start = new Date(p.clock.now() - 600_000);
    const end = new Date(p.clock.now() + 60_000);
    const stats = ok(
      kind,
      await send(kind, 'GetMetricStatistics', { Namespace: 'App', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'api' }], StartTime: start, EndTime: end, Period: 60, Statistics: ['Sum', 'SampleCount'] }),
    );
    if (kind === 'query') expect(stats.xml).toContain('<Sum>2</Sum>');
    else expect(stats.Datapoints).toMatchObject([{ Sum: 2, SampleCount: 1 }]);

    const data = ok(
      kind,
      await send(kind, 'GetMetricData', {
        StartTime: start,
        EndTime: end,
        MetricDataQueries: [{ Id: 'e', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'api' }] }, Period: 60, Stat: 'Maximum' } }],
      }),
    );
    if (kind === 'query') expect(data.xml).toMatch(/<Values><member>2<\/member><\/Values><StatusCode>Complete<\/StatusCode>/);
    else expect(data.MetricDataResults).toMatchObject([{ Id: 'e', Label: 'Errors', Values: [2], StatusCode: 'Complete' }]);

    ok(kind, await send(kind, 'DeleteAlarms', { AlarmNames: ['errors-high'] }));
    expect(await p.stores.alarms.get({ accountId: p.accountId, region: 'us-east-1', alarmName: 'errors-high' })).toBeUndefined();

    const events = await p.stores.events.lookup({ accountId: p.accountId, region: 'us-east-1', attributes: [], startMs: 0, endMs: Number.MAX_SAFE_INTEGER, insights: false, limit: 50 });
    const records = events.map((e) => JSON.parse(e.json) as Record<string, unknown>).filter((r) => r.eventSource === 'monitoring.amazonaws.com');
    expect(records.map((r) => r.eventName)).toEqual(
      ['PutMetricData', 'PutMetricAlarm', 'DescribeAlarms', 'SetAlarmState', 'DescribeAlarmHistory', 'ListMetrics', 'GetMetricStatistics', 'GetMetricData', 'DeleteAlarms'].reverse(),
    );
    const put = records.find((r) => r.eventName === 'PutMetricAlarm')!;
    expect(put.requestParameters).toMatchObject({ alarmName: 'errors-high', threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(put.readOnly).toBe(false);
    expect(records.find((r) => r.eventName === 'DescribeAlarms')!.responseElements).toBeNull();
  });

  it('answers modelled errors in its own protocol with the query code', async () => {
    const response = await send(kind, 'DeleteAlarms', { AlarmNames: ['nope'] });
    expect(response.status).toBe(404);
    if (kind === 'query') {
      expect(response.body).toContain('<Code>ResourceNotFound</Code>');
    } else {
      expect(response.headers['x-amzn-query-error']).toBe('ResourceNotFound;Sender');
      expect(answer(kind, response)).toMatchObject({ __type: 'ResourceNotFound', message: 'Alarm nope not found' });
    }
    const bad = await send(kind, 'PutMetricAlarm', { ...ALARM, Period: 45 });
    expect(bad.status).toBe(400);
    if (kind === 'query') expect(bad.body).toContain('<Code>InvalidParameterValue</Code>');
    else expect(bad.headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
    const missing = await send(kind, 'PutMetricAlarm', { AlarmName: 'x' });
    expect(missing.status).toBe(400);
    if (kind === 'query') expect(missing.body).toContain('<Code>MissingParameter</Code>');
    else expect(missing.headers['x-amzn-query-error']).toBe('MissingParameter;Sender');
  });

  it('answers an unsupported operation, and math expressions, with clear errors (never 500)', async () => {
    const unsupported = await send(kind, 'PutDashboard', { DashboardName: 'd', DashboardBody: '{}' });
    expect(unsupported.status).toBe(400);
    const math = await send(kind, 'GetMetricData', { StartTime: now(), EndTime: new Date(p.clock.now() + 60_000), MetricDataQueries: [{ Id: 'm', Expression: 'SUM(METRICS())' }] });
    expect(math.status).toBe(400);
    expect(kind === 'query' ? math.body : JSON.stringify(answer(kind, math))).toContain('Metric math');
  });

  it('keeps accounts apart: another account sees none of the alarms or metrics', async () => {
    ok(kind, await send(kind, 'PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 1 }] }));
    ok(kind, await send(kind, 'PutMetricAlarm', ALARM));
    const identity = p.stores.identity;
    const account = await identity.createAccount('444455556666', 'other');
    await identity.createUser(account, 'admin');
    await identity.attachManagedPolicy(account, 'admin', 'AdministratorAccess');
    const other = await identity.createAccessKey(account, 'admin');
    const key = { accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey };
    const alarms = ok(kind, await send(kind, 'DescribeAlarms', {}, key));
    const metrics = ok(kind, await send(kind, 'ListMetrics', {}, key));
    if (kind === 'query') {
      expect(alarms.xml).not.toContain('errors-high');
      expect(metrics.xml).not.toContain('Errors');
    } else {
      expect(alarms.MetricAlarms).toEqual([]);
      expect(metrics.Metrics).toEqual([]);
    }
    expect((await send(kind, 'SetAlarmState', { AlarmName: 'errors-high', StateValue: 'OK', StateReason: 'x' }, key)).status).toBe(404);
  });
});

describe('malformed bodies', () => {
  it('CBOR that does not decode, wrong member types and a body that is not a map are SerializationExceptions', async () => {
    const cbor = async (body: Uint8Array, operation = 'DescribeAlarms') =>
      p.send({ service: 'monitoring', path: `/service/GraniteServiceVersion20100801/operation/${operation}`, headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' }, body, credentials: p.admin });
    for (const body of [Buffer.from([0xff]), Buffer.from([0xa1, 0x61]), encode([1, 2]), encode({ MaxRecords: 'ten' }), encode(new Map([[1, 2]]))]) {
      const response = await cbor(body);
      expect(response.status).toBe(400);
      expect(decode(response.bytes!)).toMatchObject({ __type: 'SerializationException' });
    }
    const unknown = await cbor(encode({}), 'NoSuchOperation');
    expect(unknown.status).toBe(400);
    expect(decode(unknown.bytes!)).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('JSON that does not parse and query forms with wrong types answer 400s', async () => {
    const json = await p.send({ service: 'monitoring', headers: { 'content-type': 'application/x-amz-json-1.0' }, target: 'GraniteServiceVersion20100801.DescribeAlarms', body: '{not json', credentials: p.admin });
    expect(json.status).toBe(400);
    expect(JSON.parse(json.body)).toMatchObject({ __type: 'SerializationException' });
    const wrongType = await p.send({ service: 'monitoring', body: 'Action=DescribeAlarms&Version=2010-08-01&MaxRecords=ten', credentials: p.admin });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toContain('<Code>');
    const badAction = await p.send({ service: 'monitoring', body: 'Action=Nope&Version=2010-08-01', credentials: p.admin });
    expect(badAction.body).toContain('<Code>InvalidAction</Code>');
  });
});
