/**
 * A trail forwarding to an external CloudWatch Logs API (moto's, on loopback) from a real
 * server: its events are read back with FilterLogEvents from that API; while the API hangs the
 * failure shows in GetTrailStatus, and once it answers again the trail catches up in order,
 * nothing lost, nothing twice.
 */
import { CreateTrailCommand, DescribeTrailsCommand, GetTrailStatusCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions, cloudTrailClient } from '../support/clients.js';
import { eventually } from '../support/log-files.js';
import { motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasMoto = motoAvailable();
const GROUP = 'CloudTrail/external';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

let moto: MotoServer;
let server: ServerProcess;
let external: CloudWatchLogsClient;

beforeAll(async () => {
  if (!hasMoto) return;
  moto = await startMoto();
  external = new CloudWatchLogsClient(moto.clientConfig);
  await external.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  server = await startServer({
    args: ['--cloudwatch-logs-endpoint', moto.url],
    env: { AWS_ACCESS_KEY_ID: moto.clientConfig.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: moto.clientConfig.credentials.secretAccessKey },
  });
});

afterAll(async () => {
  external?.destroy();
  await server?.stop();
  moto?.resume();
  await moto?.stop();
});

/** requestIDs of the CloudTrail records in the external group's trail stream, in stream order. */
async function forwardedRequestIds(): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await external.send(new FilterLogEventsCommand({ logGroupName: GROUP, ...(token !== undefined && { nextToken: token }) }));
    for (const e of page.events ?? []) ids.push((JSON.parse(e.message!) as { requestID: string }).requestID);
    token = page.nextToken;
  } while (token !== undefined);
  return ids;
}

describe.skipIf(!hasMoto)('forwarding to an external CloudWatch Logs API (moto)', () => {
  it('refuses a group the API does not have, then forwards to one it has; an outage is caught up in order, once', async () => {
    spawnSync(process.execPath, [BIN, 'buckets', 'create', 'external-bucket', '--data-dir', server.dataDir]);
    const iam = new IAMClient(clientOptions(server));
    const roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'CloudTrail_CloudWatchLogs_Role', AssumeRolePolicyDocument: TRUST }))).Role!.Arn!;
    iam.destroy();
    const trails = cloudTrailClient(server);
    const arnOf = (name: string) => `arn:aws:logs:us-east-1:${server.accountId}:log-group:${name}:*`;
    await expect(
      trails.send(new CreateTrailCommand({ Name: 'external', S3BucketName: 'external-bucket', CloudWatchLogsLogGroupArn: arnOf('CloudTrail/missing'), CloudWatchLogsRoleArn: roleArn })),
    ).rejects.toMatchObject({ name: 'InvalidCloudWatchLogsLogGroupArnException' });
    await expect(
      trails.send(new CreateTrailCommand({ Name: 'external', S3BucketName: 'external-bucket', CloudWatchLogsLogGroupArn: arnOf(GROUP), CloudWatchLogsRoleArn: roleArn.replace('CloudTrail_', 'Other_') })),
    ).rejects.toMatchObject({ name: 'InvalidCloudWatchLogsRoleArnException' });
    await trails.send(new CreateTrailCommand({ Name: 'external', S3BucketName: 'external-bucket', CloudWatchLogsLogGroupArn: arnOf(GROUP), CloudWatchLogsRoleArn: roleArn }));
    await trails.send(new StartLoggingCommand({ Name: 'external' }));

    const before: string[] = [];
    for (let i = 0; i < 5; i++) before.push((await trails.send(new DescribeTrailsCommand({}))).$metadata.requestId!);
    await eventually(async () => ((await forwardedRequestIds()).includes(before.at(-1)!) ? true : undefined), 20_000, 'the first calls in moto');
    expect((await trails.send(new GetTrailStatusCommand({ Name: 'external' }))).LatestCloudWatchLogsDeliveryTime).toBeInstanceOf(Date);

    // The API hangs: the attempt times out and the trail's status says so.
    moto.pause();
    const during: string[] = [];
    for (let i = 0; i < 20; i++) during.push((await trails.send(new DescribeTrailsCommand({}))).$metadata.requestId!);
    await eventually(
      async () => ((await trails.send(new GetTrailStatusCommand({ Name: 'external' }))).LatestCloudWatchLogsDeliveryError !== undefined ? true : undefined),
      40_000,
      'the forwarding error in GetTrailStatus',
    );
    moto.resume();

    const forwarded = await eventually(
      async () => {
        const ids = await forwardedRequestIds();
        return during.every((id) => ids.includes(id)) ? ids : undefined;
      },
      90_000,
      'the calls made during the outage in moto',
    );
    expect(forwarded.length).toBe(new Set(forwarded).size);
    const ours = forwarded.filter((id) => before.includes(id) || during.includes(id));
    expect(ours).toEqual([...before, ...during]);
    // The batch's completion clears the error just after its events are in.
    await eventually(
      async () => ((await trails.send(new GetTrailStatusCommand({ Name: 'external' }))).LatestCloudWatchLogsDeliveryError === undefined ? true : undefined),
      10_000,
      'the forwarding error cleared',
    );
    trails.destroy();
  }, 180_000);
});
