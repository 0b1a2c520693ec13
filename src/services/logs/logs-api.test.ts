/**
 * The hosted CloudWatch Logs API through the real pipeline over real SQLite, in process with a
 * manual clock: each operation's answers and errors, and the records CloudTrail would write.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../api/http-types.js';
import type { Credentials, InProcessPipeline } from '../../../test/support/in-process-pipeline.js';
import { startInProcessPipeline } from '../../../test/support/in-process-pipeline.js';
import { withRecordRefused } from '../../../test/support/refuse-record.js';
import { RETENTION_DAYS } from './operations/log-groups.js';

let p: InProcessPipeline;
let other: Credentials;
const OTHER_ACCOUNT = '444455556666';

type Json = Record<string, unknown>;

async function send(operation: string, body: unknown, credentials: Credentials = p.admin, region = 'us-east-1'): Promise<HttpResponse> {
  return p.send({ service: 'logs', region, target: `Logs_20140328.${operation}`, body: typeof body === 'string' ? body : JSON.stringify(body), credentials });
}

async function ok(operation: string, body: unknown, credentials?: Credentials, region?: string): Promise<Json> {
  const response = await send(operation, body, credentials, region);
  expect(response.status, `${operation}: ${response.body}`).toBe(200);
  return JSON.parse(response.body) as Json;
}

async function fails(operation: string, body: unknown, credentials?: Credentials, region?: string): Promise<{ status: number; type: string; message: string }> {
  const response = await send(operation, body, credentials, region);
  const parsed = JSON.parse(response.body) as { __type: string; message?: string; Message?: string };
  return { status: response.status, type: parsed.__type, message: parsed.message ?? parsed.Message ?? '' };
}

/** The account's logs records, oldest first. */
async function records(accountId = p.accountId, region = 'us-east-1'): Promise<Json[]> {
  // The log, not the history: GetLogEvents, FilterLogEvents and PutLogEvents are data events.
  const stored = await p.stores.events.readRange(accountId, 0, undefined, 10_000);
  return stored
    .filter((e) => e.region === region)
    .map((e) => JSON.parse(e.json) as Json)
    .filter((r) => r.eventSource === 'logs.amazonaws.com');
}

async function lastRecord(eventName: string): Promise<Json> {
  const all = (await records()).filter((r) => r.eventName === eventName);
  return all[all.length - 1]!;
}

beforeAll(async () => {
  p = await startInProcessPipeline();
  const identity = p.stores.identity;
  await identity.createAccount(OTHER_ACCOUNT, 'other');
  await identity.createUser(OTHER_ACCOUNT, 'admin');
  await identity.attachManagedPolicy(OTHER_ACCOUNT, 'admin', 'AdministratorAccess');
  const key = await identity.createAccessKey(OTHER_ACCOUNT, 'admin');
  other = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
});

afterAll(async () => {
  await p?.close();
});

describe('log groups', () => {
  it('creates, describes with arn and logGroupArn, and deletes a group; each call recorded as CloudTrail records it', async () => {
    expect(await ok('CreateLogGroup', { logGroupName: '/app/web', tags: { team: 'core' }, kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abc' })).toEqual({});
    const { logGroups } = await ok('DescribeLogGroups', { logGroupNamePrefix: '/app/' });
    expect(logGroups).toEqual([
      {
        logGroupName: '/app/web',
        creationTime: p.clock.now(),
        metricFilterCount: 0,
        arn: `arn:aws:logs:us-east-1:${p.accountId}:log-group:/app/web:*`,
        logGroupArn: `arn:aws:logs:us-east-1:${p.accountId}:log-group:/app/web`,
        storedBytes: 0,
        kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abc',
        logGroupClass: 'STANDARD',
      },
    ]);
    const created = await lastRecord('CreateLogGroup');
    expect(created).toMatchObject({
      eventSource: 'logs.amazonaws.com',
      awsRegion: 'us-east-1',
      readOnly: false,
      requestParameters: { logGroupName: '/app/web', tags: { team: 'core' }, kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abc' },
      responseElements: null,
    });
    const described = await lastRecord('DescribeLogGroups');
    expect(described).toMatchObject({ readOnly: true, requestParameters: { logGroupNamePrefix: '/app/' }, responseElements: null });

    expect(await ok('DeleteLogGroup', { logGroupName: '/app/web' })).toEqual({});
    expect((await ok('DescribeLogGroups', {})).logGroups).toEqual([]);
    expect(await fails('DeleteLogGroup', { logGroupName: '/app/web' })).toEqual({ status: 400, type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
    expect(await lastRecord('DeleteLogGroup')).toMatchObject({ errorCode: 'ResourceNotFoundException', requestParameters: { logGroupName: '/app/web' } });
  });

  it('refuses a second group of the same name, and bad names with the model constraint', async () => {
    await ok('CreateLogGroup', { logGroupName: 'dup' });
    expect(await fails('CreateLogGroup', { logGroupName: 'dup' })).toMatchObject({ type: 'ResourceAlreadyExistsException', message: 'The specified log group already exists' });
    const bad = await fails('CreateLogGroup', { logGroupName: 'bad:name' });
    expect(bad.type).toBe('InvalidParameterException');
    expect(bad.message).toContain("at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern");
    expect((await fails('CreateLogGroup', { logGroupName: 'x'.repeat(513) })).type).toBe('InvalidParameterException');
    expect((await fails('CreateLogGroup', { logGroupName: '' })).type).toBe('InvalidParameterException');
  });

  it('answers wrong types and malformed JSON with the shared parse errors', async () => {
    expect((await fails('CreateLogGroup', { logGroupName: 5 })).type).toBe('SerializationException');
    expect((await fails('CreateLogGroup', '{"logGroupName":')).type).toBe('SerializationException');
    expect((await fails('DescribeLogGroups', { limit: 'ten' })).type).toBe('SerializationException');
  });

  it('pages DescribeLogGroups by limit and nextToken, filters by prefix or pattern, refuses an oversize limit and both filters', async () => {
    for (const name of ['page-a', 'page-b', 'page-c', 'Page-D', 'other-x']) await ok('CreateLogGroup', { logGroupName: name });
    const first = await ok('DescribeLogGroups', { logGroupNamePrefix: 'page-', limit: 2 });
    expect((first.logGroups as Json[]).map((g) => g.logGroupName)).toEqual(['page-a', 'page-b']);
    const second = await ok('DescribeLogGroups', { logGroupNamePrefix: 'page-', limit: 2, nextToken: first.nextToken });
    expect((second.logGroups as Json[]).map((g) => g.logGroupName)).toEqual(['page-c']);
    expect(second.nextToken).toBeUndefined();
    const pattern = await ok('DescribeLogGroups', { logGroupNamePattern: 'PAGE' });
    expect((pattern.logGroups as Json[]).map((g) => g.logGroupName)).toEqual(['Page-D', 'page-a', 'page-b', 'page-c']);
    expect((await fails('DescribeLogGroups', { limit: 51 })).type).toBe('InvalidParameterException');
    expect((await fails('DescribeLogGroups', { logGroupNamePrefix: 'a', logGroupNamePattern: 'b' })).type).toBe('InvalidParameterException');
    expect(await fails('DescribeLogGroups', { nextToken: 'garbage' })).toMatchObject({ type: 'InvalidParameterException', message: 'The specified nextToken is not valid.' });
  });

  it('sets and removes retention with CloudWatch Logs values only', async () => {
    await ok('CreateLogGroup', { logGroupName: 'kept' });
    await ok('PutRetentionPolicy', { logGroupName: 'kept', retentionInDays: 30 });
    expect(((await ok('DescribeLogGroups', { logGroupNamePrefix: 'kept' })).logGroups as Json[])[0]!.retentionInDays).toBe(30);
    const bad = await fails('PutRetentionPolicy', { logGroupName: 'kept', retentionInDays: 2 });
    expect(bad.type).toBe('InvalidParameterException');
    expect(bad.message).toContain(`Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
    await ok('DeleteRetentionPolicy', { logGroupName: 'kept' });
    expect(((await ok('DescribeLogGroups', { logGroupNamePrefix: 'kept' })).logGroups as Json[])[0]!.retentionInDays).toBeUndefined();
    expect((await fails('PutRetentionPolicy', { logGroupName: 'nope', retentionInDays: 1 })).type).toBe('ResourceNotFoundException');
  });

  it('keeps accounts and regions apart: another account or region does not see a group, even by ARN', async () => {
    await ok('CreateLogGroup', { logGroupName: 'private' });
    expect((await ok('DescribeLogGroups', { logGroupNamePrefix: 'private' }, other)).logGroups).toEqual([]);
    expect((await fails('DeleteLogGroup', { logGroupName: 'private' }, other)).type).toBe('ResourceNotFoundException');
    expect((await fails('PutRetentionPolicy', { logGroupName: 'private', retentionInDays: 1 }, other)).type).toBe('ResourceNotFoundException');
    const arn = `arn:aws:logs:us-east-1:${p.accountId}:log-group:private`;
    expect((await fails('DescribeLogStreams', { logGroupIdentifier: arn }, other)).type).toBe('ResourceNotFoundException');
    expect((await ok('DescribeLogStreams', { logGroupIdentifier: arn })).logStreams).toEqual([]);
    expect((await ok('DescribeLogGroups', { logGroupNamePrefix: 'private' }, p.admin, 'eu-west-1')).logGroups).toEqual([]);
    // The other account's calls are its own records.
    expect((await records(OTHER_ACCOUNT)).map((r) => r.eventName)).toContain('DeleteLogGroup');
  });
});

describe('streams and events', () => {
  const group = 'events-group';
  const t0 = Date.UTC(2026, 0, 15, 9, 0, 0);

  beforeAll(async () => {
    await ok('CreateLogGroup', { logGroupName: group });
    await ok('CreateLogStream', { logGroupName: group, logStreamName: 'a' });
    await ok('CreateLogStream', { logGroupName: group, logStreamName: 'b' });
    await ok('CreateLogGroup', { logGroupName: 'rejections' });
    await ok('CreateLogStream', { logGroupName: 'rejections', logStreamName: 'c' });
  });

  it('refuses a stream twice, and a stream of a missing group', async () => {
    expect((await fails('CreateLogStream', { logGroupName: group, logStreamName: 'a' })).type).toBe('ResourceAlreadyExistsException');
    expect((await fails('CreateLogStream', { logGroupName: 'missing', logStreamName: 'a' })).type).toBe('ResourceNotFoundException');
    expect((await fails('PutLogEvents', { logGroupName: group, logStreamName: 'zz', logEvents: [{ timestamp: t0, message: 'x' }] })).type).toBe(
      'ResourceNotFoundException',
    );
  });

  it('stores PutLogEvents with the record, which keeps only the group and stream names', async () => {
    const events = Array.from({ length: 5 }, (_, i) => ({ timestamp: t0 + i * 1000, message: `a-${i} secret-token-${i}` }));
    expect(await ok('PutLogEvents', { logGroupName: group, logStreamName: 'a', logEvents: events })).toEqual({});
    await ok('PutLogEvents', { logGroupName: group, logStreamName: 'b', logEvents: [{ timestamp: t0 + 2500, message: 'b-0 ERROR' }] });
    const record = await lastRecord('PutLogEvents');
    expect(record).toMatchObject({ eventCategory: 'Data', managementEvent: false });
    expect(record.requestParameters).toEqual({ logGroupName: group, logStreamName: 'b' });
    expect(JSON.stringify(await records())).not.toContain('secret-token');
    const { logStreams } = await ok('DescribeLogStreams', { logGroupName: group });
    expect(logStreams).toEqual([
      {
        logStreamName: 'a',
        creationTime: p.clock.now(),
        firstEventTimestamp: t0,
        lastEventTimestamp: t0 + 4000,
        lastIngestionTime: p.clock.now(),
        arn: `arn:aws:logs:us-east-1:${p.accountId}:log-group:${group}:log-stream:a`,
        storedBytes: events.reduce((n, e) => n + Buffer.byteLength(e.message) + 26, 0),
      },
      expect.objectContaining({ logStreamName: 'b', lastEventTimestamp: t0 + 2500 }),
    ]);
  });

  it('refuses events out of order, and reports too-new and too-old ones without storing them', async () => {
    const unordered = await fails('PutLogEvents', { logGroupName: group, logStreamName: 'b', logEvents: [{ timestamp: t0 + 2, message: 'x' }, { timestamp: t0 + 1, message: 'y' }] });
    expect(unordered.type).toBe('InvalidParameterException');
    const now = p.clock.now();
    const day = 86_400_000;
    const old = await ok('PutLogEvents', {
      logGroupName: 'rejections',
      logStreamName: 'c',
      logEvents: [
        { timestamp: now - 14 * day - 7_200_000, message: 'old' },
        { timestamp: now - 14 * day - 3_600_000, message: 'old too' },
        { timestamp: now - 14 * day + 3_600_000, message: 'kept' },
      ],
    });
    expect(old).toEqual({ rejectedLogEventsInfo: { tooOldLogEventEndIndex: 2 } });
    const young = await ok('PutLogEvents', { logGroupName: 'rejections', logStreamName: 'c', logEvents: [{ timestamp: now, message: 'now' }, { timestamp: now + 3 * 3_600_000, message: 'new' }] });
    expect(young).toEqual({ rejectedLogEventsInfo: { tooNewLogEventStartIndex: 1 } });
    const stored = await p.stores.logs.streamEvents(p.accountId, 'us-east-1', 'rejections', 'c', { direction: 'forward', limit: 100 });
    expect(stored.map((e) => e.message)).toEqual(['kept', 'now']);
  });

  it('GetLogEvents: from the tail by default, from the head, paging both ways, the same token again at the end', async () => {
    const tail = await ok('GetLogEvents', { logGroupName: group, logStreamName: 'a', limit: 2 });
    expect((tail.events as Json[]).map((e) => e.message)).toEqual(['a-3 secret-token-3', 'a-4 secret-token-4']);
    const back = await ok('GetLogEvents', { logGroupName: group, logStreamName: 'a', limit: 2, nextToken: tail.nextBackwardToken });
    expect((back.events as Json[]).map((e) => e.message)).toEqual(['a-1 secret-token-1', 'a-2 secret-token-2']);

    const head = await ok('GetLogEvents', { logGroupIdentifier: group, logStreamName: 'a', limit: 2, startFromHead: true });
    expect((head.events as Json[])[0]).toEqual({ timestamp: t0, message: 'a-0 secret-token-0', ingestionTime: p.clock.now() });
    expect(String(head.nextForwardToken)).toMatch(/^f\//);
    expect(String(head.nextBackwardToken)).toMatch(/^b\//);
    let token = head.nextForwardToken as string;
    const seen = (head.events as Json[]).map((e) => e.message);
    for (let i = 0; i < 10; i++) {
      const page = await ok('GetLogEvents', { logGroupName: group, logStreamName: 'a', limit: 2, nextToken: token });
      seen.push(...(page.events as Json[]).map((e) => e.message));
      if (page.nextForwardToken === token) break;
      token = page.nextForwardToken as string;
    }
    expect(seen).toHaveLength(5);
    const window = await ok('GetLogEvents', { logGroupName: group, logStreamName: 'a', startTime: t0 + 1000, endTime: t0 + 3000, startFromHead: true });
    expect((window.events as Json[]).map((e) => e.timestamp)).toEqual([t0 + 1000, t0 + 2000]);
    expect((await fails('GetLogEvents', { logGroupName: group, logStreamName: 'a', limit: 10_001 })).type).toBe('InvalidParameterException');
    expect((await fails('GetLogEvents', { logGroupName: group, logStreamName: 'a', nextToken: 'x/1' })).type).toBe('InvalidParameterException');
    expect((await fails('GetLogEvents', { logGroupName: group, logStreamName: 'nope' })).message).toBe('The specified log stream does not exist.');
    expect((await fails('GetLogEvents', { logStreamName: 'a' })).type).toBe('InvalidParameterException');
    expect(await lastRecord('GetLogEvents')).toMatchObject({ readOnly: true, responseElements: null });
  });

  it('DescribeLogStreams orders by name or last event time, pages, and refuses a prefix with LastEventTime', async () => {
    const byTime = await ok('DescribeLogStreams', { logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: 1 });
    expect((byTime.logStreams as Json[]).map((s) => s.logStreamName)).toEqual(['a']);
    const next = await ok('DescribeLogStreams', { logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: 1, nextToken: byTime.nextToken });
    expect((next.logStreams as Json[]).map((s) => s.logStreamName)).toEqual(['b']);
    expect((await ok('DescribeLogStreams', { logGroupName: group, logStreamNamePrefix: 'b' })).logStreams).toHaveLength(1);
    const both = await fails('DescribeLogStreams', { logGroupName: group, orderBy: 'LastEventTime', logStreamNamePrefix: 'a' });
    expect(both).toMatchObject({ type: 'InvalidParameterException', message: 'Cannot order by LastEventTime with a logStreamNamePrefix.' });
  });

  it('FilterLogEvents across streams, by names or prefix, time and pattern, with pages', async () => {
    const all = await ok('FilterLogEvents', { logGroupName: group });
    expect((all.events as Json[]).map((e) => e.message)).toEqual([
      'a-0 secret-token-0',
      'a-1 secret-token-1',
      'a-2 secret-token-2',
      'b-0 ERROR',
      'a-3 secret-token-3',
      'a-4 secret-token-4',
    ]);
    expect((all.events as Json[])[3]).toMatchObject({ logStreamName: 'b', timestamp: t0 + 2500, ingestionTime: p.clock.now() });
    expect((all.events as Json[])[3]!.eventId).toEqual(expect.stringMatching(/^\d+$/));
    expect(all.nextToken).toBeUndefined();
    const errors = await ok('FilterLogEvents', { logGroupName: group, filterPattern: 'ERROR' });
    expect((errors.events as Json[]).map((e) => e.message)).toEqual(['b-0 ERROR']);
    const named = await ok('FilterLogEvents', { logGroupName: group, logStreamNames: ['b'] });
    expect((named.events as Json[]).map((e) => e.logStreamName)).toEqual(['b']);
    const prefixed = await ok('FilterLogEvents', { logGroupName: group, logStreamNamePrefix: 'a', startTime: t0 + 1000, endTime: t0 + 3000 });
    expect((prefixed.events as Json[]).map((e) => e.timestamp)).toEqual([t0 + 1000, t0 + 2000]);
    const page1 = await ok('FilterLogEvents', { logGroupName: group, limit: 4 });
    const page2 = await ok('FilterLogEvents', { logGroupName: group, limit: 4, nextToken: page1.nextToken });
    expect([...(page1.events as Json[]), ...(page2.events as Json[])].map((e) => e.message)).toEqual((all.events as Json[]).map((e) => e.message));
    expect(page2.nextToken).toBeUndefined();
    const bad = await fails('FilterLogEvents', { logGroupName: group, filterPattern: '{ $.a = ' });
    expect(bad.type).toBe('InvalidParameterException');
    expect(bad.message).toMatch(/position \d+/);
    expect((await fails('FilterLogEvents', { logGroupName: group, logStreamNames: ['a'], logStreamNamePrefix: 'a' })).type).toBe('InvalidParameterException');
    expect(await lastRecord('FilterLogEvents')).toMatchObject({ readOnly: true, responseElements: null });
  });
});

describe('metric filters', () => {
  const group = 'filters-group';
  const transformation = { metricName: 'Errors', metricNamespace: 'App', metricValue: '1' };

  beforeAll(async () => {
    await ok('CreateLogGroup', { logGroupName: group });
  });

  it('puts, describes (by group, prefix, metric), replaces and deletes a filter', async () => {
    await ok('PutMetricFilter', { logGroupName: group, filterName: 'errors', filterPattern: 'ERROR', metricTransformations: [transformation] });
    await ok('PutMetricFilter', {
      logGroupName: group,
      filterName: 'latency',
      filterPattern: '{ $.latency > 0 }',
      metricTransformations: [{ metricName: 'Latency', metricNamespace: 'App', metricValue: '$.latency', dimensions: { Host: '$.host' }, unit: 'Milliseconds' }],
    });
    const { metricFilters } = await ok('DescribeMetricFilters', { logGroupName: group });
    expect(metricFilters).toEqual([
      { filterName: 'errors', filterPattern: 'ERROR', metricTransformations: [transformation], creationTime: p.clock.now(), logGroupName: group, applyOnTransformedLogs: false },
      expect.objectContaining({ filterName: 'latency', metricTransformations: [expect.objectContaining({ dimensions: { Host: '$.host' }, unit: 'Milliseconds' })] }),
    ]);
    expect(((await ok('DescribeMetricFilters', { logGroupName: group, filterNamePrefix: 'lat' })).metricFilters as Json[]).map((f) => f.filterName)).toEqual(['latency']);
    expect(((await ok('DescribeMetricFilters', { metricName: 'Errors', metricNamespace: 'App' })).metricFilters as Json[]).map((f) => f.filterName)).toEqual(['errors']);
    const page = await ok('DescribeMetricFilters', { logGroupName: group, limit: 1 });
    expect(((await ok('DescribeMetricFilters', { logGroupName: group, limit: 1, nextToken: page.nextToken })).metricFilters as Json[]).map((f) => f.filterName)).toEqual(['latency']);
    expect(((await ok('DescribeLogGroups', { logGroupNamePrefix: group })).logGroups as Json[])[0]!.metricFilterCount).toBe(2);

    await ok('PutMetricFilter', { logGroupName: group, filterName: 'errors', filterPattern: 'FATAL', metricTransformations: [transformation] });
    expect(((await ok('DescribeMetricFilters', { logGroupName: group, filterNamePrefix: 'errors' })).metricFilters as Json[])[0]!.filterPattern).toBe('FATAL');
    await ok('DeleteMetricFilter', { logGroupName: group, filterName: 'errors' });
    expect((await fails('DeleteMetricFilter', { logGroupName: group, filterName: 'errors' })).type).toBe('ResourceNotFoundException');
    expect(await lastRecord('PutMetricFilter')).toMatchObject({
      readOnly: false,
      requestParameters: { logGroupName: group, filterName: 'errors', filterPattern: 'FATAL', metricTransformations: [transformation] },
      responseElements: null,
    });
  });

  it('refuses a pattern that does not parse, saying where', async () => {
    const bad = await fails('PutMetricFilter', { logGroupName: group, filterName: 'bad', filterPattern: '{ $.a = 1 && }', metricTransformations: [transformation] });
    expect(bad.type).toBe('InvalidParameterException');
    expect(bad.message).toMatch(/^Invalid filter pattern at position \d+: /);
  });

  it('checks the transformation: metric value, defaultValue with dimensions, at most 3 dimensions, one transformation', async () => {
    const put = async (t: Json, extra: Json = {}) => fails('PutMetricFilter', { logGroupName: group, filterName: 'f', filterPattern: '{ $.a = 1 }', metricTransformations: [t], ...extra });
    expect((await put({ ...transformation, metricValue: 'abc' })).type).toBe('InvalidParameterException');
    expect((await put({ ...transformation, defaultValue: 0, dimensions: { A: '$.a' } })).type).toBe('InvalidParameterException');
    expect((await put({ ...transformation, dimensions: { A: '$.a', B: '$.b', C: '$.c', D: '$.d' } })).type).toBe('InvalidParameterException');
    expect(
      (await fails('PutMetricFilter', { logGroupName: group, filterName: 'f', filterPattern: '', metricTransformations: [transformation, transformation] })).type,
    ).toBe('InvalidParameterException');
    expect((await fails('PutMetricFilter', { logGroupName: 'missing', filterName: 'f', filterPattern: '', metricTransformations: [transformation] })).type).toBe(
      'ResourceNotFoundException',
    );
    expect((await fails('PutMetricFilter', { logGroupName: group, filterName: 'a:b', filterPattern: '', metricTransformations: [transformation] })).type).toBe(
      'InvalidParameterException',
    );
  });

  it('holds the quotas: 100 filters per group, 5 with regular expressions', async () => {
    const quota = 'quota-group';
    await ok('CreateLogGroup', { logGroupName: quota });
    for (let i = 0; i < 5; i++) await ok('PutMetricFilter', { logGroupName: quota, filterName: `re-${i}`, filterPattern: `%err${i}%`, metricTransformations: [transformation] });
    expect((await fails('PutMetricFilter', { logGroupName: quota, filterName: 're-5', filterPattern: '%more%', metricTransformations: [transformation] })).type).toBe('LimitExceededException');
    // Replacing one of the five is not a sixth.
    await ok('PutMetricFilter', { logGroupName: quota, filterName: 're-0', filterPattern: '%other%', metricTransformations: [transformation] });
    for (let i = 5; i < 100; i++) await ok('PutMetricFilter', { logGroupName: quota, filterName: `f-${i}`, filterPattern: `word${i}`, metricTransformations: [transformation] });
    expect((await fails('PutMetricFilter', { logGroupName: quota, filterName: 'f-100', filterPattern: 'x', metricTransformations: [transformation] })).type).toBe('LimitExceededException');
  }, 60_000);

  it('TestMetricFilter answers the matching messages with their numbers and extracted values; nothing recorded of the messages in a response', async () => {
    const out = await ok('TestMetricFilter', { filterPattern: '[ip, user, status = 500]', logEventMessages: ['1.2.3.4 alice 200', '5.6.7.8 bob 500'] });
    expect(out).toEqual({ matches: [{ eventNumber: 2, eventMessage: '5.6.7.8 bob 500', extractedValues: { $ip: '5.6.7.8', $user: 'bob', $status: '500' } }] });
    expect(await lastRecord('TestMetricFilter')).toMatchObject({ readOnly: true, responseElements: null });
    expect((await fails('TestMetricFilter', { filterPattern: '[a,', logEventMessages: ['x'] })).message).toMatch(/position \d+/);
    expect((await fails('TestMetricFilter', { filterPattern: 'x', logEventMessages: [] })).type).toBe('InvalidParameterException');
  });

  it('PutLogEvents feeds the group metric filters in the transaction of its record', async () => {
    const g = 'metrics-group';
    await ok('CreateLogGroup', { logGroupName: g });
    await ok('CreateLogStream', { logGroupName: g, logStreamName: 's' });
    await ok('PutMetricFilter', { logGroupName: g, filterName: 'errors', filterPattern: 'ERROR', metricTransformations: [{ ...transformation, metricNamespace: 'PutLogs' }] });
    const now = p.clock.now();
    await ok('PutLogEvents', { logGroupName: g, logStreamName: 's', logEvents: [{ timestamp: now - 1000, message: 'ERROR one' }, { timestamp: now, message: 'fine' }, { timestamp: now, message: 'ERROR two' }] });
    const sqlite = new Database(join(p.dataDir, 'opentrail.db'), { readonly: true });
    try {
      const rows = sqlite.prepare("SELECT metric_name, sample_count, sum FROM metric_minutes WHERE namespace = 'PutLogs'").all() as { sample_count: number; sum: number }[];
      expect(rows.reduce((n, r) => n + r.sum, 0)).toBe(2);
    } finally {
      sqlite.close();
    }
  });
});

describe('authorization', () => {
  it('a policy on a group ARN allows that group, by name or by identifier, and denies the others', async () => {
    const identity = p.stores.identity;
    await identity.createUser(p.accountId, 'team-reader');
    await identity.store.putInlinePolicy({
      principal: { accountId: p.accountId, kind: 'user', name: 'team-reader' },
      policyName: 'team-logs',
      document: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: 'arn:aws:logs:*:*:log-group:/team/*' }] }),
    });
    const key = await identity.createAccessKey(p.accountId, 'team-reader');
    const reader = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    await ok('CreateLogGroup', { logGroupName: '/team/app' });
    await ok('CreateLogGroup', { logGroupName: '/other/app' });
    await ok('CreateLogStream', { logGroupName: '/team/app', logStreamName: 's' }, reader);
    const arn = `arn:aws:logs:us-east-1:${p.accountId}:log-group:/team/app`;
    expect((await ok('DescribeLogStreams', { logGroupIdentifier: arn }, reader)).logStreams).toHaveLength(1);
    expect((await ok('GetLogEvents', { logGroupIdentifier: arn, logStreamName: 's' }, reader)).events).toEqual([]);
    const denied = await fails('DescribeLogStreams', { logGroupName: '/other/app' }, reader);
    expect(denied.type).toBe('AccessDeniedException');
    expect(denied.message).toContain(`logs:DescribeLogStreams on resource: arn:aws:logs:us-east-1:${p.accountId}:log-group:/other/app:log-stream:`);
  });
});

describe('no effect without its record', () => {
  it('a call whose record is refused fails and changes nothing; without the fault it takes effect', async () => {
    const refused = await withRecordRefused(p.dataDir, 'CreateLogGroup', async () => send('CreateLogGroup', { logGroupName: 'unrecorded' }));
    expect(refused.status).toBe(500);
    expect(await p.stores.logs.group(p.accountId, 'us-east-1', 'unrecorded')).toBeUndefined();
    await ok('CreateLogGroup', { logGroupName: 'unrecorded' });
    await ok('CreateLogStream', { logGroupName: 'unrecorded', logStreamName: 's' });
    await ok('PutMetricFilter', { logGroupName: 'unrecorded', filterName: 'all', filterPattern: '', metricTransformations: [{ metricName: 'Unrecorded', metricNamespace: 'Refused', metricValue: '1' }] });
    const put = { logGroupName: 'unrecorded', logStreamName: 's', logEvents: [{ timestamp: p.clock.now(), message: 'must not stay' }] };
    expect((await withRecordRefused(p.dataDir, 'PutLogEvents', async () => send('PutLogEvents', put))).status).toBe(500);
    expect(await p.stores.logs.streamEvents(p.accountId, 'us-east-1', 'unrecorded', 's', { direction: 'forward', limit: 10 })).toEqual([]);
    const sqlite = new Database(join(p.dataDir, 'opentrail.db'), { readonly: true });
    try {
      expect(sqlite.prepare("SELECT COUNT(*) AS n FROM metric_minutes WHERE namespace = 'Refused'").get()).toEqual({ n: 0 });
    } finally {
      sqlite.close();
    }
    await ok('PutLogEvents', put);
    expect(await p.stores.logs.streamEvents(p.accountId, 'us-east-1', 'unrecorded', 's', { direction: 'forward', limit: 10 })).toHaveLength(1);
  });

  it('two CreateLogGroup calls racing for one name: one creates it, the other is ResourceAlreadyExistsException, both recorded', async () => {
    const answers = await Promise.all([send('CreateLogGroup', { logGroupName: 'raced' }), send('CreateLogGroup', { logGroupName: 'raced' })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    expect((JSON.parse(answers.find((a) => a.status === 400)!.body) as { __type: string }).__type).toBe('ResourceAlreadyExistsException');
    const raced = (await records()).filter((r) => r.eventName === 'CreateLogGroup' && (r.requestParameters as Json | null)?.logGroupName === 'raced');
    expect(raced.map((r) => r.errorCode ?? 'ok').sort()).toEqual(['ResourceAlreadyExistsException', 'ok']);
  });
});

describe('unsupported operations', () => {
  it('answers UnsupportedOperation-style errors for the rest of the API, recorded', async () => {
    const out = await fails('StartQuery', { logGroupName: 'x', startTime: 1, endTime: 2, queryString: 'fields @message' });
    expect(out.status).toBeGreaterThanOrEqual(400);
    expect(await lastRecord('StartQuery')).toMatchObject({ errorCode: out.type });
  });
});
