/**
 * CreateTrail / UpdateTrail settings through the real AWS SDK against a real server: the server
 * answers exactly what the pure rules (src/core/trail-rules.ts checkTrailSettings) say, in
 * CreateTrail's member order, and refuses key prefixes no object store could ever take.
 */
import { CreateTrailCommand, DeleteTrailCommand, GetTrailCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient, CreateTrailCommandInput } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationTrailOwner } from '../../src/core/organization-trails.js';
import { checkTrailSettings } from '../../src/core/trail-rules.js';
import type { TrailSettings } from '../../src/core/trail-rules.js';
import { cloudTrailClient } from '../support/clients.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
let client: CloudTrailClient;
const BUCKET = 'settings-bucket';
const LOG_GROUP = 'arn:aws:logs:us-east-1:111122223333:log-group:g:*';
const ROLE = 'arn:aws:iam::111122223333:role/r';

beforeAll(async () => {
  server = await startServer();
  client = cloudTrailClient(server);
  const made = spawnSync(process.execPath, [BIN, 'buckets', 'create', BUCKET, '--data-dir', server.dataDir], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`buckets create failed: ${made.stderr}`);
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

/** The settings CreateTrail applies for this input (CloudTrail's defaults for what is absent). */
function settingsOf(input: CreateTrailCommandInput): TrailSettings {
  return {
    S3BucketName: input.S3BucketName!,
    IncludeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? true,
    IsMultiRegionTrail: input.IsMultiRegionTrail ?? false,
    ...(input.S3KeyPrefix !== undefined && { S3KeyPrefix: input.S3KeyPrefix }),
    ...(input.SnsTopicName !== undefined && { SnsTopicName: input.SnsTopicName }),
    ...(input.CloudWatchLogsLogGroupArn !== undefined && { CloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn }),
    ...(input.CloudWatchLogsRoleArn !== undefined && { CloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn }),
    ...(input.KmsKeyId !== undefined && { KmsKeyId: input.KmsKeyId }),
  };
}

describe('CreateTrail answers what checkTrailSettings says', () => {
  // Each input breaks two rules; the first in CreateTrail's member order is the answer.
  it.each<[string, Omit<CreateTrailCommandInput, 'Name'>, string]>([
    ['multi-Region without global events, then a bad KMS key', { S3BucketName: BUCKET, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false, KmsKeyId: 'nope' }, 'InvalidParameterCombinationException'],
    ['a log group without a role, then a bad KMS key', { S3BucketName: BUCKET, CloudWatchLogsLogGroupArn: LOG_GROUP, KmsKeyId: 'nope' }, 'InvalidCloudWatchLogsRoleArnException'],
    ['a role without a log group, then a bad KMS key', { S3BucketName: BUCKET, CloudWatchLogsRoleArn: ROLE, KmsKeyId: 'nope' }, 'InvalidParameterCombinationException'],
    ['a bad bucket name, then an organization trail', { S3BucketName: 'Bad_Bucket', IsOrganizationTrail: true }, 'InvalidS3BucketNameException'],
    ['a bad KMS key, then an organization trail', { S3BucketName: BUCKET, KmsKeyId: 'nope', IsOrganizationTrail: true }, 'InvalidKmsKeyIdException'],
    ['a bad topic name, then multi-Region without global events', { S3BucketName: BUCKET, SnsTopicName: 'a.b', IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false }, 'InvalidSnsTopicNameException'],
  ])('%s: %s', async (_what, settings, code) => {
    const input = { Name: 'ordered', ...settings };
    const expected = checkTrailSettings(settingsOf(input));
    expect(expected).toMatchObject({ code });
    await expect(client.send(new CreateTrailCommand(input))).rejects.toMatchObject({ name: expected!.code, message: expected!.message, $metadata: { httpStatusCode: 400 } });
  });

  it('refuses an organization trail from an account in no organization once every other setting is fine', async () => {
    const input = { Name: 'org-trail', S3BucketName: BUCKET, IsOrganizationTrail: true };
    expect(checkTrailSettings(settingsOf(input))).toBeUndefined();
    const expected = organizationTrailOwner(server.accountId, undefined) as { code: string; message: string };
    expect(expected).toMatchObject({ code: 'OrganizationsNotInUseException' });
    await expect(client.send(new CreateTrailCommand(input))).rejects.toMatchObject({ name: expected.code, message: expected.message });
  });

  it('UpdateTrail checks the merged settings the same way', async () => {
    await client.send(new CreateTrailCommand({ Name: 'merged', S3BucketName: BUCKET, IsMultiRegionTrail: true }));
    const expected = checkTrailSettings({ S3BucketName: BUCKET, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false, KmsKeyId: 'nope' });
    await expect(client.send(new UpdateTrailCommand({ Name: 'merged', IncludeGlobalServiceEvents: false, KmsKeyId: 'nope' }))).rejects.toMatchObject({
      name: expected!.code,
      message: expected!.message,
    });
    await client.send(new DeleteTrailCommand({ Name: 'merged' }));
  });
});

describe('S3 key prefixes that can never work are refused', () => {
  const emoji = '\u{1F600}'; // 4 bytes in UTF-8, one character
  const refused: [string, string][] = [
    ['..', 'a ".." segment'],
    ['../../etc', 'climbing out of the bucket'],
    ['a/../../b', 'climbing out in the middle'],
    ['.', 'a "." segment'],
    ['a/./b', 'a "." segment in the middle'],
    ['/audit', 'a leading "/"'],
    ['audit/', 'a trailing "/"'],
    ['audit//prod', 'an empty segment'],
    ['audit\nprod', 'a newline'],
    ['audit\u0000', 'a NUL'],
    ['audit\u007f', 'DEL'],
    ['audit\\prod', 'a backslash'],
    ['.opentrail-tmp-x', 'the file store\'s reserved segment names'],
    ['\u00e9'.repeat(128), 'a segment over 255 bytes'],
    [[emoji.repeat(63), emoji.repeat(63), emoji.repeat(63), emoji.repeat(8)].join('/'), 'keys over 1024 bytes'],
  ];

  it.each(refused)('CreateTrail refuses %j (%s) with InvalidS3PrefixException', async (prefix) => {
    await expect(client.send(new CreateTrailCommand({ Name: 'prefixed', S3BucketName: BUCKET, S3KeyPrefix: prefix }))).rejects.toMatchObject({
      name: 'InvalidS3PrefixException',
      message: expect.stringContaining('Invalid S3 key prefix') as unknown,
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('UpdateTrail refuses them too and keeps the prefix it had', async () => {
    await client.send(new CreateTrailCommand({ Name: 'keeps-prefix', S3BucketName: BUCKET, S3KeyPrefix: 'audit' }));
    for (const [prefix] of refused) {
      await expect(client.send(new UpdateTrailCommand({ Name: 'keeps-prefix', S3KeyPrefix: prefix }))).rejects.toMatchObject({ name: 'InvalidS3PrefixException' });
    }
    expect((await client.send(new GetTrailCommand({ Name: 'keeps-prefix' }))).Trail!.S3KeyPrefix).toBe('audit');
    await client.send(new DeleteTrailCommand({ Name: 'keeps-prefix' }));
  });

  it.each(['audit', 'logs/prod/eu', '...', 'a.b/c-d_e', 'my logs', '\u00e9'.repeat(127), emoji.repeat(50)])('accepts %j', async (prefix) => {
    const created = await client.send(new CreateTrailCommand({ Name: 'good-prefix', S3BucketName: BUCKET, S3KeyPrefix: prefix }));
    expect(created.S3KeyPrefix).toBe(prefix);
    await client.send(new DeleteTrailCommand({ Name: 'good-prefix' }));
  });
});
