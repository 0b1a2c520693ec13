/**
 * Hosted CloudWatch Logs with the stock AWS CLI against a real server, as a user would script
 * it: a group with retention and a metric filter, events put and read back (filter-log-events
 * with a pattern, get-log-events), the filter tested and deleted, the group deleted; the CLI's
 * view of bad input (names, patterns with the position, another account's group); every step
 * in the history as a logs.amazonaws.com record.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../support/admin-cli.js';
import { awsCliAvailable } from '../support/peers.js';
import { serverProfileEnv } from '../support/profile-env.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
const OTHER_ACCOUNT = '999988887777';
const GROUP = '/cli/app';

let server: ServerProcess;
let otherKey: { id: string; secret: string };

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function aws(args: string[], key?: { id: string; secret: string }): Run {
  const env: NodeJS.ProcessEnv = { ...serverProfileEnv(server.dataDir), AWS_MAX_ATTEMPTS: '1' };
  const profile = key === undefined ? ['--profile', 'opentrail'] : [];
  if (key !== undefined) {
    env.AWS_SHARED_CREDENTIALS_FILE = `${server.dataDir}/no-such-credentials`;
    env.AWS_ACCESS_KEY_ID = key.id;
    env.AWS_SECRET_ACCESS_KEY = key.secret;
    delete env.AWS_PROFILE;
  }
  const result = spawnSync('aws', [...profile, '--region', 'us-east-1', '--endpoint-url', server.url, '--output', 'json', ...args], { encoding: 'utf8', env, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function awsJson(args: string[], key?: { id: string; secret: string }): Record<string, unknown> {
  const result = aws(args, key);
  if (result.status !== 0) throw new Error(`aws ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
}

function logsRecords(): Record<string, unknown>[] {
  const { Events } = awsJson(['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=logs.amazonaws.com']) as {
    Events: { CloudTrailEvent: string }[];
  };
  return Events.map((e) => JSON.parse(e.CloudTrailEvent) as Record<string, unknown>);
}

beforeAll(async () => {
  server = await startServer();
  runAdminCli(server.dataDir, 'accounts', 'create', '--account-id', OTHER_ACCOUNT, '--name', 'other');
  runAdminCli(server.dataDir, 'users', 'create', '--account-id', OTHER_ACCOUNT, '--user-name', 'owner', '--policy', 'AdministratorAccess');
  const [, line] = runAdminCli(server.dataDir, 'keys', 'create', '--account-id', OTHER_ACCOUNT, '--user-name', 'owner').trim().split('\n');
  const [id, secret] = line!.split('\t');
  otherKey = { id: id!, secret: secret! };
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!hasAwsCli)('AWS CLI: aws logs', () => {
  const now = Date.now();

  it('a group with retention and a metric filter; events put, filtered by pattern and read back; the filter tested and deleted; the group deleted', () => {
    expect(aws(['logs', 'create-log-group', '--log-group-name', GROUP, '--tags', 'team=core']).status).toBe(0);
    expect(aws(['logs', 'put-retention-policy', '--log-group-name', GROUP, '--retention-in-days', '30']).status).toBe(0);
    const { logGroups } = awsJson(['logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/']) as { logGroups: Record<string, unknown>[] };
    expect(logGroups).toEqual([
      expect.objectContaining({ logGroupName: GROUP, retentionInDays: 30, arn: `arn:aws:logs:us-east-1:${server.accountId}:log-group:${GROUP}:*`, metricFilterCount: 0 }),
    ]);

    expect(
      aws([
        'logs',
        'put-metric-filter',
        '--log-group-name',
        GROUP,
        '--filter-name',
        'server-errors',
        '--filter-pattern',
        '[ip, user, status=5*, bytes]',
        '--metric-transformations',
        'metricName=ServerErrors,metricNamespace=CliApp,metricValue=$bytes',
      ]).status,
    ).toBe(0);
    const { metricFilters } = awsJson(['logs', 'describe-metric-filters', '--log-group-name', GROUP]) as { metricFilters: Record<string, unknown>[] };
    expect(metricFilters).toEqual([
      expect.objectContaining({
        filterName: 'server-errors',
        filterPattern: '[ip, user, status=5*, bytes]',
        metricTransformations: [{ metricName: 'ServerErrors', metricNamespace: 'CliApp', metricValue: '$bytes' }],
        logGroupName: GROUP,
      }),
    ]);
    expect((awsJson(['logs', 'describe-log-groups', '--log-group-name-prefix', GROUP]) as { logGroups: { metricFilterCount: number }[] }).logGroups[0]!.metricFilterCount).toBe(1);

    const tested = awsJson(['logs', 'test-metric-filter', '--filter-pattern', '[ip, user, status=5*, bytes]', '--log-event-messages', '10.0.0.1 ann 200 10', '10.0.0.2 bob 503 20']);
    expect(tested).toEqual({ matches: [{ eventNumber: 2, eventMessage: '10.0.0.2 bob 503 20', extractedValues: { $ip: '10.0.0.2', $user: 'bob', $status: '503', $bytes: '20' } }] });

    expect(aws(['logs', 'create-log-stream', '--log-group-name', GROUP, '--log-stream-name', 'web']).status).toBe(0);
    const events = [
      { timestamp: now - 3000, message: '10.0.0.1 ann 200 10' },
      { timestamp: now - 2000, message: '10.0.0.2 bob 503 20' },
      { timestamp: now - 1000, message: '10.0.0.3 cat 500 30' },
    ];
    const put = awsJson(['logs', 'put-log-events', '--log-group-name', GROUP, '--log-stream-name', 'web', '--log-events', JSON.stringify(events)]);
    expect(put.rejectedLogEventsInfo).toBeUndefined();

    const filtered = awsJson(['logs', 'filter-log-events', '--log-group-name', GROUP, '--filter-pattern', '[ip, user, status=5*, bytes]']) as { events: Record<string, unknown>[] };
    expect(filtered.events.map((e) => e.message)).toEqual(['10.0.0.2 bob 503 20', '10.0.0.3 cat 500 30']);
    expect(filtered.events[0]).toEqual(expect.objectContaining({ logStreamName: 'web', timestamp: now - 2000, ingestionTime: expect.any(Number) as number, eventId: expect.any(String) as string }));
    // The CLI pages filter-log-events itself, a page at a time.
    const paged = awsJson(['logs', 'filter-log-events', '--log-group-name', GROUP, '--page-size', '1']) as { events: unknown[] };
    expect(paged.events).toHaveLength(3);

    const read = awsJson(['logs', 'get-log-events', '--log-group-name', GROUP, '--log-stream-name', 'web', '--start-from-head']) as {
      events: { message: string }[];
      nextForwardToken: string;
      nextBackwardToken: string;
    };
    expect(read.events.map((e) => e.message)).toEqual(events.map((e) => e.message));
    expect(read.nextForwardToken).toMatch(/^f\//);
    expect(read.nextBackwardToken).toMatch(/^b\//);
    const end = awsJson(['logs', 'get-log-events', '--log-group-name', GROUP, '--log-stream-name', 'web', '--next-token', read.nextForwardToken]) as { events: unknown[]; nextForwardToken: string };
    expect(end).toEqual(expect.objectContaining({ events: [], nextForwardToken: read.nextForwardToken }));

    expect(aws(['logs', 'delete-metric-filter', '--log-group-name', GROUP, '--filter-name', 'server-errors']).status).toBe(0);
    expect((awsJson(['logs', 'describe-metric-filters', '--log-group-name', GROUP]) as { metricFilters: unknown[] }).metricFilters).toEqual([]);
    expect(aws(['logs', 'delete-log-group', '--log-group-name', GROUP]).status).toBe(0);
    expect((awsJson(['logs', 'describe-log-groups', '--log-group-name-prefix', GROUP]) as { logGroups: unknown[] }).logGroups).toEqual([]);
  }, 120_000);

  it('bad input as the CLI shows it: names, patterns with their position, limits, types, another account', () => {
    const badName = aws(['logs', 'create-log-group', '--log-group-name', 'bad name']);
    expect(badName.status).not.toBe(0);
    expect(badName.stderr).toContain('InvalidParameterException');

    expect(aws(['logs', 'create-log-group', '--log-group-name', '/cli/mine']).status).toBe(0);
    const twice = aws(['logs', 'create-log-group', '--log-group-name', '/cli/mine']);
    expect(twice.stderr).toContain('ResourceAlreadyExistsException');

    const badPattern = aws([
      'logs',
      'put-metric-filter',
      '--log-group-name',
      '/cli/mine',
      '--filter-name',
      'bad',
      '--filter-pattern',
      '{ $.status = }',
      '--metric-transformations',
      'metricName=X,metricNamespace=Y,metricValue=1',
    ]);
    expect(badPattern.stderr).toContain('InvalidParameterException');
    expect(badPattern.stderr).toMatch(/position \d+/);

    const testBad = aws(['logs', 'test-metric-filter', '--filter-pattern', '[a, b', '--log-event-messages', 'x y']);
    expect(testBad.stderr).toMatch(/InvalidParameterException.*position \d+/);

    const badRetention = aws(['logs', 'put-retention-policy', '--log-group-name', '/cli/mine', '--retention-in-days', '2']);
    expect(badRetention.stderr).toContain('InvalidParameterException');

    const limit = aws(['logs', 'get-log-events', '--log-group-name', '/cli/mine', '--log-stream-name', 'x', '--limit', '10001']);
    expect(limit.stderr).toContain('InvalidParameterException');
    // The CLI refuses a wrong type before sending; a raw wrong type is tested in process.
    expect(aws(['logs', 'put-retention-policy', '--log-group-name', '/cli/mine', '--retention-in-days', 'many']).status).not.toBe(0);

    const other = aws(['logs', 'delete-log-group', '--log-group-name', '/cli/mine'], otherKey);
    expect(other.stderr).toContain('ResourceNotFoundException');
    expect((awsJson(['logs', 'describe-log-groups'], otherKey) as { logGroups: unknown[] }).logGroups).toEqual([]);
    expect((awsJson(['logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/mine']) as { logGroups: unknown[] }).logGroups).toHaveLength(1);
  }, 120_000);

  it('every management step is in the history as a logs.amazonaws.com record; log events read or written are data events', () => {
    const records = logsRecords();
    const names = new Set(records.map((r) => r.eventName));
    for (const name of ['CreateLogGroup', 'PutRetentionPolicy', 'PutMetricFilter', 'DescribeMetricFilters', 'TestMetricFilter', 'DeleteMetricFilter', 'DeleteLogGroup']) {
      expect(names).toContain(name);
    }
    // Reads and writes of log events are data events, not in the history.
    for (const name of ['PutLogEvents', 'FilterLogEvents', 'GetLogEvents']) expect(names).not.toContain(name);
    // Only put-log-events carried this message (test-metric-filter's sample messages are its parameters).
    expect(JSON.stringify(records)).not.toContain('cat 500');
    const retention = records.find((r) => r.eventName === 'PutRetentionPolicy' && r.errorCode === undefined)!;
    expect(retention).toMatchObject({ requestParameters: { logGroupName: GROUP, retentionInDays: 30 }, responseElements: null, readOnly: false });
    expect(records.find((r) => r.eventName === 'PutMetricFilter' && r.errorCode === 'InvalidParameterException')).toBeDefined();
  }, 60_000);
});
