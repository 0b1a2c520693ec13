/**
 * The hosted CloudWatch Logs API against a real server process with the real
 * @aws-sdk/client-cloudwatch-logs: groups, streams, events (the SDK's paginators included),
 * metric filters, retention; its errors as the SDK's modelled exceptions; another account's
 * group not found; authorization by IAM policy; each call in the history as a
 * logs.amazonaws.com record, compared with real ones where the shared samples are present.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteMetricFilterCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  DescribeMetricFiltersCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  StartQueryCommand,
  TestMetricFilterCommand,
  paginateDescribeLogGroups,
  paginateFilterLogEvents,
  paginateGetLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudTrailRecord } from '../../src/core/record.js';
import { runAdminCli } from '../support/admin-cli.js';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import type { ClientOverrides } from '../support/clients.js';
import { compareWithSamples } from '../support/sample-shapes.js';
import { samplesAvailable } from '../support/samples.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const OTHER_ACCOUNT = '999988887777';

let server: ServerProcess;
let logs: CloudWatchLogsClient;
let trail: CloudTrailClient;
let otherLogs: CloudWatchLogsClient;
let cloudTrailOnly: CloudWatchLogsClient;

function opentrail(...args: string[]): string {
  return runAdminCli(server.dataDir, ...args);
}

function newKey(accountId: string, userName: string): ClientOverrides {
  const [, line] = opentrail('keys', 'create', '--account-id', accountId, '--user-name', userName).trim().split('\n');
  const [accessKeyId, secretAccessKey] = line!.split('\t');
  return { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
}

async function failure(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call succeeded');
}

/** The history's logs.amazonaws.com records, newest first. */
async function logsRecords(client = trail): Promise<CloudTrailRecord[]> {
  const records: CloudTrailRecord[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'logs.amazonaws.com' }], MaxResults: 50, NextToken }),
    );
    records.push(...page.Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as CloudTrailRecord));
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return records;
}

beforeAll(async () => {
  server = await startServer();
  logs = new CloudWatchLogsClient(clientOptions(server));
  trail = cloudTrailClient(server);
  opentrail('accounts', 'create', '--account-id', OTHER_ACCOUNT, '--name', 'other');
  opentrail('users', 'create', '--account-id', OTHER_ACCOUNT, '--user-name', 'owner', '--policy', 'AdministratorAccess');
  otherLogs = new CloudWatchLogsClient(clientOptions(server, newKey(OTHER_ACCOUNT, 'owner')));
  opentrail('users', 'create', '--account-id', server.accountId, '--user-name', 'auditor', '--policy', 'OpenTrailFullAccess');
  cloudTrailOnly = new CloudWatchLogsClient(clientOptions(server, newKey(server.accountId, 'auditor')));
}, 60_000);

afterAll(async () => {
  for (const c of [logs, otherLogs, cloudTrailOnly, trail]) c?.destroy();
  await server?.stop();
});

describe('CloudWatch Logs with the AWS SDK', () => {
  const group = '/opentrail/sdk';
  const now = Date.now();

  it('creates a group and a stream, puts events, reads them back with GetLogEvents and FilterLogEvents', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group, tags: { env: 'test' } }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'web-1' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'web-2' }));
    const put = await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'web-1',
        logEvents: Array.from({ length: 25 }, (_, i) => ({ timestamp: now - 60_000 + i, message: JSON.stringify({ level: i % 5 === 0 ? 'ERROR' : 'INFO', latency: i }) })),
      }),
    );
    expect(put.rejectedLogEventsInfo).toBeUndefined();
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'web-2', logEvents: [{ timestamp: now - 30_000, message: 'plain ERROR line' }] }));

    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    expect(logGroups).toEqual([
      expect.objectContaining({
        logGroupName: group,
        arn: `arn:aws:logs:us-east-1:${server.accountId}:log-group:${group}:*`,
        logGroupArn: `arn:aws:logs:us-east-1:${server.accountId}:log-group:${group}`,
        metricFilterCount: 0,
      }),
    ]);
    expect(logGroups![0]!.storedBytes).toBeGreaterThan(0);
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true }));
    expect(logStreams!.map((s) => s.logStreamName)).toEqual(['web-2', 'web-1']);

    const read: string[] = [];
    for await (const page of paginateGetLogEvents({ client: logs, pageSize: 10, stopOnSameToken: true }, { logGroupName: group, logStreamName: 'web-1', startFromHead: true })) {
      read.push(...page.events!.map((e) => e.message!));
    }
    // CloudWatch's end of a stream: the same forward token again (the SDK stops on it when told to).
    expect(read).toHaveLength(25);

    const filtered: string[] = [];
    for await (const page of paginateFilterLogEvents({ client: logs, pageSize: 3 }, { logGroupName: group, filterPattern: '{ $.level = "ERROR" }' })) {
      filtered.push(...page.events!.map((e) => e.message!));
    }
    expect(filtered).toHaveLength(5);
    // A term matches anywhere in the message: the JSON ones with "ERROR" too.
    const text = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'ERROR', logStreamNamePrefix: 'web-' }));
    expect(text.events!.map((e) => e.logStreamName)).toEqual([...Array<string>(5).fill('web-1'), 'web-2']);
    const plain = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '"plain ERROR"', logStreamNames: ['web-1', 'web-2'] }));
    expect(plain.events!.map((e) => e.logStreamName)).toEqual(['web-2']);

    const tail = await logs.send(new GetLogEventsCommand({ logGroupIdentifier: group, logStreamName: 'web-1', limit: 3 }));
    expect(tail.events!.map((e) => JSON.parse(e.message!) as { latency: number }).map((m) => m.latency)).toEqual([22, 23, 24]);
  });

  it('metric filters: put, describe, test, delete; a bad pattern says where it failed', async () => {
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: group,
        filterName: 'errors',
        filterPattern: '{ $.level = "ERROR" }',
        metricTransformations: [{ metricName: 'Errors', metricNamespace: 'SDK', metricValue: '1', defaultValue: 0 }],
      }),
    );
    const { metricFilters } = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }));
    expect(metricFilters).toEqual([expect.objectContaining({ filterName: 'errors', logGroupName: group, metricTransformations: [expect.objectContaining({ defaultValue: 0 })] })]);
    const tested = await logs.send(new TestMetricFilterCommand({ filterPattern: '[ip, user, status=4*]', logEventMessages: ['1.1.1.1 ann 404', '2.2.2.2 bob 200'] }));
    expect(tested.matches).toEqual([{ eventNumber: 1, eventMessage: '1.1.1.1 ann 404', extractedValues: { $ip: '1.1.1.1', $user: 'ann', $status: '404' } }]);
    const bad = await failure(
      logs.send(new PutMetricFilterCommand({ logGroupName: group, filterName: 'bad', filterPattern: '{ $.level = ', metricTransformations: [{ metricName: 'X', metricNamespace: 'SDK', metricValue: '1' }] })),
    );
    expect(bad).toBeInstanceOf(InvalidParameterException);
    expect(bad.message).toMatch(/position \d+/);
    await logs.send(new DeleteMetricFilterCommand({ logGroupName: group, filterName: 'errors' }));
    expect((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }))).metricFilters).toEqual([]);
  });

  it('retention: CloudWatch values only', async () => {
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 14 }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups![0]!.retentionInDays).toBe(14);
    expect(await failure(logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 13 })))).toBeInstanceOf(InvalidParameterException);
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: group }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups![0]!.retentionInDays).toBeUndefined();
  });

  it('pages DescribeLogGroups with the SDK paginator', async () => {
    for (let i = 0; i < 7; i++) await logs.send(new CreateLogGroupCommand({ logGroupName: `/paged/${i}` }));
    const names: string[] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 3 }, { logGroupNamePrefix: '/paged/' })) names.push(...page.logGroups!.map((g) => g.logGroupName!));
    expect(names).toEqual(Array.from({ length: 7 }, (_, i) => `/paged/${i}`));
  });

  it('errors as the SDK models them: exists, not found, bad names, oversize limits, unsupported operations', async () => {
    expect(await failure(logs.send(new CreateLogGroupCommand({ logGroupName: group })))).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(await failure(logs.send(new DeleteLogGroupCommand({ logGroupName: '/no/such' })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await failure(logs.send(new CreateLogGroupCommand({ logGroupName: 'has space' })))).toBeInstanceOf(InvalidParameterException);
    expect(await failure(logs.send(new DescribeLogGroupsCommand({ limit: 51 })))).toBeInstanceOf(InvalidParameterException);
    expect(await failure(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'web-1', limit: 10_001 })))).toBeInstanceOf(InvalidParameterException);
    const unsupported = await failure(logs.send(new StartQueryCommand({ logGroupName: group, startTime: 1, endTime: 2, queryString: 'fields @message' })));
    expect(unsupported.$metadata?.httpStatusCode).toBeGreaterThanOrEqual(400);
  });

  it('another account does not see the group; a user without logs permissions is denied, on the group ARN', async () => {
    expect(await failure(otherLogs.send(new DeleteLogGroupCommand({ logGroupName: group })))).toBeInstanceOf(ResourceNotFoundException);
    expect((await otherLogs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    const denied = await failure(cloudTrailOnly.send(new DeleteLogGroupCommand({ logGroupName: group })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain(`logs:DeleteLogGroup on resource: arn:aws:logs:us-east-1:${server.accountId}:log-group:${group}:log-stream:`);
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups).toHaveLength(1);
  });

  it('records every management call in the history as a logs.amazonaws.com record; reads and writes of log events are data events', async () => {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: group }));
    const records = await logsRecords();
    const names = new Set(records.map((r) => r.eventName));
    for (const name of ['CreateLogGroup', 'CreateLogStream', 'DescribeLogGroups', 'PutMetricFilter', 'DeleteLogGroup']) {
      expect(names).toContain(name);
    }
    // Data events: only trails whose selectors ask for them deliver them (src/services/logs/protocol.ts).
    for (const name of ['PutLogEvents', 'GetLogEvents', 'FilterLogEvents']) expect(names).not.toContain(name);
    expect(JSON.stringify(records)).not.toContain('plain ERROR line');
    const deleted = records.find((r) => r.eventName === 'DeleteLogGroup' && r.errorCode === undefined)!;
    expect(deleted).toMatchObject({ eventSource: 'logs.amazonaws.com', awsRegion: 'us-east-1', readOnly: false, requestParameters: { logGroupName: group }, responseElements: null });
  });

  it.skipIf(!samplesAvailable())('writes records with the member sets of the real logs.amazonaws.com records', async () => {
    const records = (await logsRecords()).filter((r) => r.errorCode === undefined);
    const { compared, mismatches } = compareWithSamples(records);
    console.log(`member sets compared with the samples for: ${compared.join(', ')}`);
    expect(compared.length).toBeGreaterThanOrEqual(3);
    expect(mismatches).toEqual([]);
  });
});
