/**
 * What the monitoring tests share: a trail that forwards to a hosted log group (the group, the
 * role CloudTrail would assume, the trail, logging started), and reading a group's events back.
 */
import { CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { spawnSync } from 'node:child_process';
import { clientOptions, cloudTrailClient } from './clients.js';
import { BIN } from './server-process.js';
import type { ServerProcess } from './server-process.js';

export const LOGS_ROLE = 'CloudTrail_CloudWatchLogs_Role';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

export function logsClient(server: ServerProcess): CloudWatchLogsClient {
  return new CloudWatchLogsClient(clientOptions(server));
}

/** A bucket, a log group, the role and a logging trail that forwards to the group; returns the stream name. */
export async function forwardingTrail(server: ServerProcess, names: { trail: string; bucket: string; logGroup: string }): Promise<string> {
  const made = spawnSync(process.execPath, [BIN, 'buckets', 'create', names.bucket, '--data-dir', server.dataDir], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`buckets create failed: ${made.stderr}`);
  const logs = logsClient(server);
  const iam = new IAMClient(clientOptions(server));
  const trails = cloudTrailClient(server);
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: names.logGroup }));
    const role = await iam.send(new CreateRoleCommand({ RoleName: LOGS_ROLE, AssumeRolePolicyDocument: TRUST }));
    await trails.send(
      new CreateTrailCommand({
        Name: names.trail,
        S3BucketName: names.bucket,
        CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${server.accountId}:log-group:${names.logGroup}:*`,
        CloudWatchLogsRoleArn: role.Role!.Arn!,
      }),
    );
    await trails.send(new StartLoggingCommand({ Name: names.trail }));
  } finally {
    logs.destroy();
    iam.destroy();
    trails.destroy();
  }
  return `${server.accountId}_CloudTrail_us-east-1`;
}

/** Every event of the stream, oldest first, following the forward token until it repeats. */
export async function streamMessages(server: ServerProcess, logGroupName: string, logStreamName: string): Promise<Record<string, unknown>[]> {
  const logs = logsClient(server);
  try {
    const messages: Record<string, unknown>[] = [];
    let token: string | undefined;
    for (;;) {
      let page;
      try {
        page = await logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, ...(token !== undefined && { nextToken: token }) }));
      } catch (error) {
        // The stream is made by the first event forwarded to it.
        if (token === undefined && (error as { name?: string }).name === 'ResourceNotFoundException') return [];
        throw error;
      }
      for (const e of page.events ?? []) messages.push(JSON.parse(e.message!) as Record<string, unknown>);
      if (page.nextForwardToken === undefined || page.nextForwardToken === token) return messages;
      token = page.nextForwardToken;
    }
  } finally {
    logs.destroy();
  }
}
