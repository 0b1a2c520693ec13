/**
 * CloudWatch with the stock AWS CLI: metric data, an alarm, its state and history, the metric
 * read back, and CloudWatch's errors as the CLI shows them, in two protocols:
 *
 * - AWS JSON 1.0, which botocore 1.43 picks by itself (its protocol priority puts `json` before
 *   `smithy-rpc-v2-cbor`, whatever order the model lists them in);
 * - smithy-rpc-v2-cbor, by giving the CLI (AWS_DATA_PATH) the same cloudwatch model with only
 *   that protocol listed: botocore's own CBOR serializer and parser against OpenTrail's codec.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliAvailable } from '../support/peers.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
let server: ServerProcess;
/** Extra environment of the CLI in the current block (AWS_DATA_PATH for CBOR). */
let cliEnv: Record<string, string> = {};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function aws(args: string[]): Run {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_CONFIG_FILE: join(server.dataDir, 'no-such-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    ...cliEnv,
  };
  for (const name of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION', 'AWS_REGION']) delete env[name];
  const debug = args[0] === '--debug' ? ['--debug'] : [];
  const rest = debug.length > 0 ? args.slice(1) : args;
  const result = spawnSync('aws', [...debug, '--profile', 'opentrail', '--region', 'us-east-1', '--endpoint-url', server.url, '--output', 'json', 'cloudwatch', ...rest], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function awsJson(args: string[]): Record<string, unknown> {
  const result = aws(args);
  if (result.status !== 0) throw new Error(`aws cloudwatch ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
}

function epochSeconds(value: unknown): number {
  return typeof value === 'number' ? value : Date.parse(String(value)) / 1000;
}

/** A botocore data directory whose cloudwatch model lists only the given protocol. */
function modelsWithOnly(protocol: string): string {
  const found = spawnSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' });
  const model = JSON.parse(gunzipSync(readFileSync(join(found.stdout.trim(), 'data', 'cloudwatch', '2010-08-01', 'service-2.json.gz'))).toString('utf8')) as {
    metadata: { protocols: string[]; protocol: string };
  };
  expect(model.metadata.protocols).toContain(protocol);
  model.metadata.protocols = [protocol];
  model.metadata.protocol = protocol;
  const dir = mkdtempSync(join(tmpdir(), 'botocore-cbor-'));
  mkdirSync(join(dir, 'cloudwatch', '2010-08-01'), { recursive: true });
  writeFileSync(join(dir, 'cloudwatch', '2010-08-01', 'service-2.json'), JSON.stringify(model));
  return dir;
}

const MODES: { name: string; only?: 'smithy-rpc-v2-cbor' | 'query' }[] = [
  { name: 'AWS JSON 1.0 (botocore’s own choice)' },
  { name: 'smithy-rpc-v2-cbor (the model narrowed to it)', only: 'smithy-rpc-v2-cbor' },
  { name: 'query (the model narrowed to it)', only: 'query' },
];

describe.skipIf(!hasAwsCli).each(MODES)('AWS CLI cloudwatch over $name', ({ only }) => {
  let models: string | undefined;

  beforeAll(async () => {
    server = await startServer();
    models = only === undefined ? undefined : modelsWithOnly(only);
    cliEnv = models === undefined ? {} : { AWS_DATA_PATH: models };
  });

  afterAll(async () => {
    await server?.stop();
    if (models !== undefined) rmSync(models, { recursive: true, force: true });
    cliEnv = {};
  });

  it('speaks the protocol it is meant to', () => {
    const run = aws(['--debug', 'describe-alarms']);
    expect(run.status).toBe(0);
    if (only === 'smithy-rpc-v2-cbor') {
      expect(run.stderr).toContain('/service/GraniteServiceVersion20100801/operation/DescribeAlarms');
      expect(run.stderr).toMatch(/'smithy-protocol': '?rpc-v2-cbor/);
    } else if (only === 'query') {
      expect(run.stderr).toContain("'body': {'Action': 'DescribeAlarms', 'Version': '2010-08-01'}");
    } else {
      expect(run.stderr).toContain("'X-Amz-Target': 'GraniteServiceVersion20100801.DescribeAlarms'");
    }
  });

  it('puts metric data and an alarm, sets its state, reads history, metrics, statistics and data', () => {
    const now = Math.floor(Date.now() / 1000);
    awsJson(['put-metric-data', '--namespace', 'App', '--metric-data', JSON.stringify([{ MetricName: 'Errors', Value: 2.5, Unit: 'Count', Dimensions: [{ Name: 'Service', Value: 'api' }], Timestamp: now }])]);
    awsJson(['put-metric-data', '--namespace', 'App', '--metric-name', 'Errors', '--dimensions', 'Service=api', '--statistic-values', 'SampleCount=2,Sum=3,Minimum=1,Maximum=2']);
    awsJson([
      'put-metric-alarm',
      '--alarm-name', 'api-errors',
      '--alarm-description', 'errors in the API',
      '--metric-name', 'Errors',
      '--namespace', 'App',
      '--statistic', 'Sum',
      '--period', '60',
      '--evaluation-periods', '1',
      '--threshold', '1',
      '--comparison-operator', 'GreaterThanOrEqualToThreshold',
      '--dimensions', 'Name=Service,Value=api',
      '--treat-missing-data', 'notBreaching',
      '--alarm-actions', `arn:aws:sns:us-east-1:${server.accountId}:ops`,
    ]);

    const { MetricAlarms } = awsJson(['describe-alarms', '--alarm-names', 'api-errors']) as { MetricAlarms: Record<string, unknown>[] };
    expect(MetricAlarms).toHaveLength(1);
    expect(MetricAlarms[0]).toMatchObject({
      AlarmName: 'api-errors',
      AlarmDescription: 'errors in the API',
      AlarmArn: `arn:aws:cloudwatch:us-east-1:${server.accountId}:alarm:api-errors`,
      Threshold: 1,
      Period: 60,
      Dimensions: [{ Name: 'Service', Value: 'api' }],
      TreatMissingData: 'notBreaching',
      ActionsEnabled: true,
    });
    // CLI v1 prints timestamps as they came (cli_timestamp_format none): epoch seconds from CBOR
    // (tag 1) and JSON, ISO 8601 text from query.
    expect(Math.abs(epochSeconds(MetricAlarms[0]!.StateUpdatedTimestamp) - Date.now() / 1000)).toBeLessThan(60);

    awsJson(['set-alarm-state', '--alarm-name', 'api-errors', '--state-value', 'ALARM', '--state-reason', 'testing the CLI']);
    const { AlarmHistoryItems } = awsJson(['describe-alarm-history', '--alarm-name', 'api-errors', '--history-item-type', 'StateUpdate']) as {
      AlarmHistoryItems: { HistorySummary: string; Timestamp: string }[];
    };
    expect(AlarmHistoryItems.map((h) => h.HistorySummary)).toContain('Alarm updated from INSUFFICIENT_DATA to ALARM');

    const { Metrics } = awsJson(['list-metrics', '--namespace', 'App']) as { Metrics: unknown[] };
    expect(Metrics).toEqual([{ Namespace: 'App', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'api' }] }]);

    const start = new Date((now - 600) * 1000).toISOString();
    const end = new Date((now + 120) * 1000).toISOString();
    const { Datapoints } = awsJson([
      'get-metric-statistics', '--namespace', 'App', '--metric-name', 'Errors', '--dimensions', 'Name=Service,Value=api',
      '--start-time', start, '--end-time', end, '--period', '3600', '--statistics', 'Sum', 'SampleCount', 'Maximum', 'Minimum', 'Average',
    ]) as { Datapoints: Record<string, unknown>[] };
    const total = Datapoints.reduce((sum, d) => sum + (d.Sum as number), 0);
    expect(total).toBe(5.5);

    const { MetricDataResults } = awsJson([
      'get-metric-data', '--start-time', start, '--end-time', end,
      '--metric-data-queries', JSON.stringify([{ Id: 'errors', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'api' }] }, Period: 60, Stat: 'SampleCount' } }]),
    ]) as { MetricDataResults: { Id: string; Values: number[]; Timestamps: unknown[]; StatusCode: string }[] };
    expect(MetricDataResults[0]).toMatchObject({ Id: 'errors', StatusCode: 'Complete' });
    expect(MetricDataResults[0]!.Values.reduce((a, b) => a + b, 0)).toBe(3);
    expect(epochSeconds(MetricDataResults[0]!.Timestamps[0]) % 60).toBe(0);
  });

  it('shows CloudWatch’s error codes', () => {
    const missing = aws(['delete-alarms', '--alarm-names', 'no-such-alarm']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('(ResourceNotFound)');
    const badPeriod = aws(['put-metric-alarm', '--alarm-name', 'x', '--metric-name', 'M', '--namespace', 'App', '--statistic', 'Sum', '--period', '45', '--evaluation-periods', '1', '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold']);
    expect(badPeriod.stderr).toContain('(InvalidParameterValue)');
    const unsupported = aws(['list-dashboards']);
    expect(unsupported.status).not.toBe(0);
    expect(unsupported.stderr).toContain('UnsupportedOperation');
    expect(aws(['describe-alarms']).status).toBe(0);
  });
});
