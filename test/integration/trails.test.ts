/**
 * Trails through the real AWS SDK against a real server delivering to the file store: the
 * lifecycle, CloudTrail's validation errors, selectors, and log files in the bucket.
 */
import {
  AddTagsCommand,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  ListTrailsCommand,
  LookupEventsCommand,
  PutEventSelectorsCommand,
  RemoveTagsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient, CreateTrailCommandInput } from '@aws-sdk/client-cloudtrail';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { LOG_FILE_KEY, bucketKeys, eventually, readLogFile } from '../support/log-files.js';
import { runAdminCli } from '../support/admin-cli.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
let client: CloudTrailClient;
const ACCOUNT = '111122223333';

function opentrail(...args: string[]): string {
  return runAdminCli(server.dataDir, ...args);
}

const bucketDir = (bucket: string) => join(server.dataDir, 'buckets', bucket);

beforeAll(async () => {
  server = await startServer({ args: ['--delivery-interval', '1'], accountId: ACCOUNT });
  client = cloudTrailClient(server);
  opentrail('buckets', 'create', 'trail-bucket');
  opentrail('buckets', 'create', 'other-bucket');
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

describe('trail lifecycle', () => {
  it('creates, reads, updates, lists, tags and deletes a trail', async () => {
    const created = await client.send(new CreateTrailCommand({ Name: 'life', S3BucketName: 'trail-bucket', S3KeyPrefix: 'audit', TagsList: [{ Key: 'team', Value: 'sec' }] }));
    const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/life`;
    expect(created).toMatchObject({ Name: 'life', S3BucketName: 'trail-bucket', S3KeyPrefix: 'audit', TrailARN: arn, IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: false, IsOrganizationTrail: false });
    expect(created).not.toHaveProperty('HomeRegion');

    const { Trail } = await client.send(new GetTrailCommand({ Name: 'life' }));
    expect(Trail).toMatchObject({ Name: 'life', HomeRegion: 'us-east-1', HasCustomEventSelectors: false, HasInsightSelectors: false });
    expect((await client.send(new GetTrailCommand({ Name: arn }))).Trail!.TrailARN).toBe(arn);

    const status = await client.send(new GetTrailStatusCommand({ Name: 'life' }));
    expect(status.IsLogging).toBe(false);

    const updated = await client.send(new UpdateTrailCommand({ Name: 'life', S3BucketName: 'other-bucket', EnableLogFileValidation: true }));
    expect(updated).toMatchObject({ S3BucketName: 'other-bucket', LogFileValidationEnabled: true, S3KeyPrefix: 'audit' });

    const described = await client.send(new DescribeTrailsCommand({ trailNameList: ['life', 'nope'] }));
    expect(described.trailList!.map((t) => t.Name)).toEqual(['life']);
    const listed = await client.send(new ListTrailsCommand({}));
    expect(listed.Trails).toContainEqual({ TrailARN: arn, Name: 'life', HomeRegion: 'us-east-1' });

    await client.send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'audit' }] }));
    await client.send(new RemoveTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'env' }] }));
    const tags = await client.send(new ListTagsCommand({ ResourceIdList: [arn] }));
    expect(tags.ResourceTagList).toEqual([{ ResourceId: arn, TagsList: [{ Key: 'team', Value: 'audit' }] }]);

    await client.send(new DeleteTrailCommand({ Name: 'life' }));
    await expect(client.send(new GetTrailCommand({ Name: 'life' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
  });

  it('records trail calls with the trail as resource', async () => {
    await client.send(new CreateTrailCommand({ Name: 'recorded', S3BucketName: 'trail-bucket' }));
    const { Events } = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateTrail' }], MaxResults: 1 }));
    expect(Events![0]!.Resources).toEqual([{ ResourceType: 'AWS::CloudTrail::Trail', ResourceName: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/recorded` }]);
    expect(JSON.parse(Events![0]!.CloudTrailEvent!)).toMatchObject({
      requestParameters: { name: 'recorded', s3BucketName: 'trail-bucket' },
      responseElements: { name: 'recorded', trailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/recorded` },
      readOnly: false,
    });
    await client.send(new DeleteTrailCommand({ Name: 'recorded' }));
  });

  it.each([
    [{ Name: 'ab', S3BucketName: 'trail-bucket' }, 'InvalidTrailNameException'],
    [{ Name: 'my--trail', S3BucketName: 'trail-bucket' }, 'InvalidTrailNameException'],
    [{ Name: '192.168.5.4', S3BucketName: 'trail-bucket' }, 'InvalidTrailNameException'],
    [{ Name: 'nobucket', S3BucketName: 'no-such-bucket' }, 'S3BucketDoesNotExistException'],
    [{ Name: 'badbucket', S3BucketName: 'Bad_Bucket' }, 'InvalidS3BucketNameException'],
    [{ Name: 'longprefix', S3BucketName: 'trail-bucket', S3KeyPrefix: 'p'.repeat(201) }, 'InvalidS3PrefixException'],
    [{ Name: 'multi', S3BucketName: 'trail-bucket', IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false }, 'InvalidParameterCombinationException'],
    [{ Name: 'badtopic', S3BucketName: 'trail-bucket', SnsTopicName: 'bad topic!' }, 'InvalidSnsTopicNameException'],
  ] as [CreateTrailCommandInput, string][])('refuses CreateTrail %j with %s', async (input, code) => {
    await expect(client.send(new CreateTrailCommand(input))).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
  });

  it('refuses a duplicate, a sixth trail, unknown trails, bad ARNs and the wrong region', async () => {
    await client.send(new CreateTrailCommand({ Name: 'dup', S3BucketName: 'trail-bucket' }));
    await expect(client.send(new CreateTrailCommand({ Name: 'dup', S3BucketName: 'trail-bucket' }))).rejects.toMatchObject({ name: 'TrailAlreadyExistsException' });
    const west = cloudTrailClient(server, { region: 'eu-west-1' });
    for (let i = 0; i < 5; i++) await west.send(new CreateTrailCommand({ Name: `w${i}-trail`, S3BucketName: 'trail-bucket' }));
    await expect(west.send(new CreateTrailCommand({ Name: 'w5-trail', S3BucketName: 'trail-bucket' }))).rejects.toMatchObject({ name: 'MaximumNumberOfTrailsExceededException' });
    await expect(client.send(new GetTrailCommand({ Name: 'ghost' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
    await expect(client.send(new GetTrailCommand({ Name: 'arn:aws:cloudtrail:us-east-1:123:trail/x' }))).rejects.toMatchObject({ name: 'CloudTrailARNInvalidException' });
    await expect(client.send(new GetTrailCommand({ Name: `arn:aws:cloudtrail:us-east-1:999988887777:trail/dup` }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
    await expect(west.send(new StartLoggingCommand({ Name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/dup` }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
    // A multi-region trail is visible everywhere (a shadow trail) but changed only at home.
    await client.send(new CreateTrailCommand({ Name: 'everywhere', S3BucketName: 'trail-bucket', IsMultiRegionTrail: true }));
    const shadowArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/everywhere`;
    expect((await west.send(new DescribeTrailsCommand({}))).trailList!.map((t) => t.Name)).toContain('everywhere');
    expect((await west.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList!.map((t) => t.Name)).not.toContain('everywhere');
    await expect(west.send(new StartLoggingCommand({ Name: shadowArn }))).rejects.toMatchObject({ name: 'InvalidHomeRegionException' });
    for (let i = 0; i < 5; i++) await west.send(new DeleteTrailCommand({ Name: `w${i}-trail` }));
    for (const name of ['dup', 'everywhere']) await client.send(new DeleteTrailCommand({ Name: name }));
    west.destroy();
  });

  it('round-trips basic and advanced event selectors', async () => {
    await client.send(new CreateTrailCommand({ Name: 'selective', S3BucketName: 'trail-bucket' }));
    const defaults = await client.send(new GetEventSelectorsCommand({ TrailName: 'selective' }));
    expect(defaults.EventSelectors).toEqual([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
    const basic = [{ ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::bucket/'] }] }];
    await client.send(new PutEventSelectorsCommand({ TrailName: 'selective', EventSelectors: basic }));
    expect((await client.send(new GetEventSelectorsCommand({ TrailName: 'selective' }))).EventSelectors).toMatchObject(basic);
    expect((await client.send(new GetTrailCommand({ Name: 'selective' }))).Trail!.HasCustomEventSelectors).toBe(true);
    const advanced = [{ Name: 'writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }];
    const put = await client.send(new PutEventSelectorsCommand({ TrailName: 'selective', AdvancedEventSelectors: advanced }));
    expect(put.AdvancedEventSelectors).toEqual(advanced);
    const got = await client.send(new GetEventSelectorsCommand({ TrailName: 'selective' }));
    expect(got.AdvancedEventSelectors).toEqual(advanced);
    expect(got.EventSelectors ?? []).toEqual([]);
    await expect(
      client.send(new PutEventSelectorsCommand({ TrailName: 'selective', EventSelectors: Array.from({ length: 6 }, () => ({ ReadWriteType: 'All' as const })) })),
    ).rejects.toMatchObject({ name: 'InvalidEventSelectorsException' });
    await client.send(new DeleteTrailCommand({ Name: 'selective' }));
  });
});

describe('delivery to the file store', () => {
  it('delivers every selected event exactly once, at CloudTrail keys, and nothing unselected', async () => {
    await client.send(new CreateTrailCommand({ Name: 'deliver', S3BucketName: 'trail-bucket', S3KeyPrefix: 'logs/prod' }));
    // Write events only: read-only calls (lookups, gets) must not appear in the files.
    await client.send(
      new PutEventSelectorsCommand({ TrailName: 'deliver', AdvancedEventSelectors: [{ Name: 'writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }] }),
    );
    await client.send(new StartLoggingCommand({ Name: 'deliver' }));
    const tagged: string[] = [];
    for (let i = 0; i < 30; i++) {
      const out = await client.send(new AddTagsCommand({ ResourceId: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/deliver`, TagsList: [{ Key: `k${i}`, Value: 'v' }] }));
      tagged.push(out.$metadata.requestId!);
      await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    }
    const dir = bucketDir('trail-bucket');
    const records = await eventually(() => {
      const all = bucketKeys(dir).filter((k) => k.startsWith('logs/prod/')).flatMap((k) => readLogFile(dir, k));
      const requestIds = new Set(all.map((r) => r.requestID));
      return tagged.every((id) => requestIds.has(id)) ? all : undefined;
    }, 30_000, 'the AddTags events in the bucket');
    const keys = bucketKeys(dir).filter((k) => k.startsWith('logs/prod/'));
    for (const key of keys) {
      const match = LOG_FILE_KEY.exec(key);
      expect(match, key).not.toBeNull();
      expect(match![1]).toBe('logs/prod');
      expect(match![2]).toBe(ACCOUNT);
      expect(match![3]).toBe('us-east-1');
    }
    const ids = records.map((r) => r.eventID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(records.every((r) => r.readOnly === false)).toBe(true);
    expect(records.map((r) => r.eventName)).toContain('StartLogging');
    // The delivery's status is stored after its file is written, so it can trail the file by a moment.
    const status = await eventually(async () => {
      const current = await client.send(new GetTrailStatusCommand({ Name: 'deliver' }));
      return current.LatestDeliveryTime === undefined ? undefined : current;
    }, 30_000, 'the trail status naming the delivery');
    expect(status.IsLogging).toBe(true);
    expect(status.LatestDeliveryTime).toBeInstanceOf(Date);
    expect(status.LatestDeliveryError).toBeUndefined();
  });

  it('stops delivering after StopLogging (which itself is delivered) and skips the stopped time', async () => {
    const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/deliver`;
    await client.send(new StopLoggingCommand({ Name: 'deliver' }));
    const whileStopped = await client.send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'stopped', Value: 'v' }] }));
    await client.send(new StartLoggingCommand({ Name: 'deliver' }));
    const afterRestart = await client.send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'restarted', Value: 'v' }] }));
    const dir = bucketDir('trail-bucket');
    const records = await eventually(() => {
      const all = bucketKeys(dir).filter((k) => k.startsWith('logs/prod/')).flatMap((k) => readLogFile(dir, k));
      return all.some((r) => r.requestID === afterRestart.$metadata.requestId) ? all : undefined;
    }, 30_000, 'the event after the restart');
    expect(records.map((r) => r.eventName)).toContain('StopLogging');
    expect(records.some((r) => r.requestID === whileStopped.$metadata.requestId)).toBe(false);
    const ids = records.map((r) => r.eventID);
    expect(new Set(ids).size).toBe(ids.length);
    const status = await client.send(new GetTrailStatusCommand({ Name: 'deliver' }));
    expect(status.StartLoggingTime).toBeInstanceOf(Date);
    expect(status.StopLoggingTime).toBeInstanceOf(Date);
  });
});
