/**
 * No effect without its record. Every mutating operation is run against a real server process
 * while the database refuses that operation's record (a trigger on the events table, the way a
 * full disk or a broken log would refuse it): the call must fail and leave no trace in the
 * state. Once the fault is gone the same call must take effect, so the check is not vacuous.
 * Bodies nested deeper than the documented bound are refused before anything runs, and recorded.
 */
import {
  AddTagsCommand,
  CreateChannelCommand,
  CreateTrailCommand,
  DeleteChannelCommand,
  DeleteTrailCommand,
  GetChannelCommand,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListChannelsCommand,
  ListTagsCommand,
  ListTrailsCommand,
  LookupEventsCommand,
  PutEventSelectorsCommand,
  PutInsightSelectorsCommand,
  RemoveTagsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateChannelCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, eventData, putAuditEvents } from '../support/audit-events.js';
import type { PutAuditEventsOutput } from '../support/audit-events.js';
import { cloudTrailClient } from '../support/clients.js';
import { runAdminCli } from '../support/admin-cli.js';
import { withRecordRefused } from '../support/refuse-record.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { TARGET_PREFIX, sendSigned } from '../support/signed-request.js';

let server: ServerProcess;
let client: CloudTrailClient;
let channelArn: string;
let reader: { accessKeyId: string; secretAccessKey: string };

function opentrail(...args: string[]): string {
  return runAdminCli(server.dataDir, ...args);
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

async function trailState(name: string) {
  const trail = await client.send(new GetTrailCommand({ Name: name })).then((r) => r.Trail, () => undefined);
  if (trail === undefined) return undefined;
  const status = await client.send(new GetTrailStatusCommand({ Name: name }));
  const selectors = await client.send(new GetEventSelectorsCommand({ TrailName: name }));
  const tags = await client.send(new ListTagsCommand({ ResourceIdList: [trail.TrailARN!] }));
  return { trail, isLogging: status.IsLogging, selectors: selectors.EventSelectors ?? selectors.AdvancedEventSelectors, tags: tags.ResourceTagList?.[0]?.TagsList };
}

async function channelState() {
  const { Channels } = await client.send(new ListChannelsCommand({}));
  return Promise.all((Channels ?? []).map(async (c) => client.send(new GetChannelCommand({ Channel: c.ChannelArn! })).then((r) => ({ name: r.Name, destinations: r.Destinations }))));
}

async function state() {
  const { Trails } = await client.send(new ListTrailsCommand({}));
  const trails = await Promise.all((Trails ?? []).map(async (t) => trailState(t.Name!)));
  return { trails, channels: await channelState() };
}

const trailArnOf = (name: string) => `arn:aws:cloudtrail:us-east-1:${server.accountId}:trail/${name}`;

beforeAll(async () => {
  server = await startServer();
  client = cloudTrailClient(server);
  opentrail('buckets', 'create', 'fault-bucket');
  opentrail('users', 'create', '--account-id', server.accountId, '--user-name', 'reader', '--policy', 'OpenTrailReadOnly');
  const [, line] = opentrail('keys', 'create', '--account-id', server.accountId, '--user-name', 'reader').trim().split('\n');
  const [accessKeyId, secretAccessKey] = line!.split('\t');
  reader = { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
  await client.send(new CreateTrailCommand({ Name: 'logging', S3BucketName: 'fault-bucket', TagsList: [{ Key: 'keep', Value: 'me' }] }));
  await client.send(new StartLoggingCommand({ Name: 'logging' }));
  await client.send(new CreateTrailCommand({ Name: 'stopped', S3BucketName: 'fault-bucket' }));
  const channel = await client.send(new CreateChannelCommand({ Name: 'fault-channel', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-1' }] }));
  channelArn = channel.ChannelArn!;
});

afterAll(async () => {
  client.destroy();
  expect(await server.stop()).toBe(0);
});

interface MutatingCase {
  operation: string;
  call: () => Promise<unknown>;
}

const cases: MutatingCase[] = [
  { operation: 'CreateTrail', call: async () => client.send(new CreateTrailCommand({ Name: 'created', S3BucketName: 'fault-bucket' })) },
  { operation: 'UpdateTrail', call: async () => client.send(new UpdateTrailCommand({ Name: 'logging', S3KeyPrefix: 'changed' })) },
  { operation: 'AddTags', call: async () => client.send(new AddTagsCommand({ ResourceId: trailArnOf('logging'), TagsList: [{ Key: 'added', Value: 'x' }] })) },
  { operation: 'RemoveTags', call: async () => client.send(new RemoveTagsCommand({ ResourceId: trailArnOf('logging'), TagsList: [{ Key: 'keep' }] })) },
  {
    operation: 'PutEventSelectors',
    call: async () => client.send(new PutEventSelectorsCommand({ TrailName: 'logging', EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] })),
  },
  { operation: 'PutInsightSelectors', call: async () => client.send(new PutInsightSelectorsCommand({ TrailName: 'logging', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] })) },
  { operation: 'StopLogging', call: async () => client.send(new StopLoggingCommand({ Name: 'logging' })) },
  { operation: 'StartLogging', call: async () => client.send(new StartLoggingCommand({ Name: 'stopped' })) },
  { operation: 'UpdateChannel', call: async () => client.send(new UpdateChannelCommand({ Channel: channelArn, Name: 'renamed-channel' })) },
  { operation: 'CreateChannel', call: async () => client.send(new CreateChannelCommand({ Name: 'second-channel', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-2' }] })) },
  { operation: 'DeleteChannel', call: async () => client.send(new DeleteChannelCommand({ Channel: channelArn })) },
  { operation: 'DeleteTrail', call: async () => client.send(new DeleteTrailCommand({ Name: 'stopped' })) },
];

describe('a call whose record cannot be committed', () => {
  it.each(cases)('$operation fails with InternalFailure and changes nothing; without the fault it takes effect', async ({ operation, call }) => {
    const before = await state();
    const refused = await withRecordRefused(server.dataDir, operation, async () => failure(call()));
    expect(refused).toEqual({ name: 'InternalFailure', status: 500 });
    expect(await state()).toEqual(before);
    await call();
    expect(await state()).not.toEqual(before);
  });

  it('PutAuditEvents stores none of its events', async () => {
    const { ChannelArn } = await client.send(new CreateChannelCommand({ Name: 'ingest-channel', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-3' }] }));
    const events = [auditEvent('refused-1', eventData({ eventName: 'RefusedCustomEvent' }))];
    const key = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
    const refused = await withRecordRefused(server.dataDir, 'PutAuditEvents', async () => putAuditEvents(server.url, key, ChannelArn!, events));
    expect(refused.status).toBe(500);
    const lookup = async () => client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'RefusedCustomEvent' }] }));
    expect((await lookup()).Events).toEqual([]);
    const accepted = (await putAuditEvents(server.url, key, ChannelArn!, events)).json() as unknown as PutAuditEventsOutput;
    expect(accepted.successful).toHaveLength(1);
    expect((await lookup()).Events).toHaveLength(1);
  });
});

/** `{"Pad":[[[...]]]}` nested `levels` deep, beside the operation's own members. */
function padded(members: Record<string, unknown>, levels: number): string {
  return `${JSON.stringify(members).slice(0, -1)},"Pad":${'['.repeat(levels)}${']'.repeat(levels)}}`;
}

async function recordOf(requestId: string): Promise<Record<string, unknown> | undefined> {
  const { Events } = await client.send(new LookupEventsCommand({ MaxResults: 50 }));
  return Events?.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>).find((r) => r.requestID === requestId);
}

describe('a body nested deeper than the bound', () => {
  const deepCases: { operation: string; members: () => Record<string, unknown> }[] = [
    { operation: 'CreateTrail', members: () => ({ Name: 'deep', S3BucketName: 'fault-bucket' }) },
    { operation: 'DeleteTrail', members: () => ({ Name: 'logging' }) },
    { operation: 'UpdateTrail', members: () => ({ Name: 'logging', S3KeyPrefix: 'deep' }) },
    { operation: 'StopLogging', members: () => ({ Name: 'logging' }) },
    { operation: 'AddTags', members: () => ({ ResourceId: trailArnOf('logging'), TagsList: [{ Key: 'deep', Value: 'x' }] }) },
    { operation: 'CreateChannel', members: () => ({ Name: 'deep-channel', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-9' }] }) },
  ];

  it.each(deepCases)('$operation is refused with SerializationException before it runs, and recorded', async ({ operation, members }) => {
    const before = await state();
    const response = await sendSigned({
      url: server.url,
      body: padded(members(), 5000),
      headers: { 'x-amz-target': `${TARGET_PREFIX}.${operation}` },
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
    });
    expect(response.status).toBe(400);
    expect(response.json().__type).toBe('SerializationException');
    expect(await state()).toEqual(before);
    const record = await recordOf(response.headers.get('x-amzn-requestid')!);
    expect(record).toMatchObject({ eventName: operation, errorCode: 'SerializationException', requestParameters: null });
  });

  it('accepts a body nested to the bound', async () => {
    const response = await sendSigned({
      url: server.url,
      body: padded({ MaxResults: 1 }, 63),
      headers: { 'x-amz-target': `${TARGET_PREFIX}.LookupEvents` },
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
    });
    // Past the depth check: the model then refuses the unknown member or accepts it, never a 500.
    expect(response.json().__type).not.toBe('SerializationException');
    expect(response.status).toBeLessThan(500);
  });

  it("records a read-only user's padded CreateTrail as refused", async () => {
    const response = await sendSigned({
      url: server.url,
      body: padded({ Name: 'reader-deep', S3BucketName: 'fault-bucket' }, 5000),
      headers: { 'x-amz-target': `${TARGET_PREFIX}.CreateTrail` },
      ...reader,
    });
    expect(response.status).toBe(400);
    expect(response.json().__type).toBe('SerializationException');
    const record = await recordOf(response.headers.get('x-amzn-requestid')!);
    expect(record).toMatchObject({ eventName: 'CreateTrail', errorCode: 'SerializationException', userIdentity: { userName: 'reader' } });
  });
});

describe('changes that meet a conflict when they commit', () => {
  it('two concurrent CreateTrail calls of one name: one trail, one TrailAlreadyExistsException, both recorded', async () => {
    const create = async () => client.send(new CreateTrailCommand({ Name: 'raced', S3BucketName: 'fault-bucket' })).then(() => 'ok', (e: Error) => e.name);
    const outcomes = await Promise.all([create(), create()]);
    expect(outcomes.sort()).toEqual(['TrailAlreadyExistsException', 'ok']);
    // By name, not by resource: the loser may lose in its handler (the trail already committed,
    // no resource named) or at commit (its staged trail named), depending on timing.
    const { Events } = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateTrail' }] }));
    const records = (Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as { requestParameters: { name?: string } | null; errorCode?: string });
    expect(records.filter((r) => r.requestParameters?.name === 'raced').map((r) => r.errorCode ?? 'ok').sort()).toEqual(['TrailAlreadyExistsException', 'ok']);
  });
});

describe('DeleteTrail', () => {
  it('deletes a logging trail whose bucket has disappeared, at once and on the first try', async () => {
    const own = await startServer();
    const ownClient = cloudTrailClient(own);
    try {
      spawnSync(process.execPath, [BIN, 'buckets', 'create', 'vanishing', '--data-dir', own.dataDir]);
      const names = ['trail-1', 'trail-2', 'trail-3', 'trail-4', 'trail-5'];
      for (const name of names) await ownClient.send(new CreateTrailCommand({ Name: name, S3BucketName: 'vanishing', EnableLogFileValidation: true }));
      await ownClient.send(new StartLoggingCommand({ Name: 'trail-1' }));
      rmSync(join(own.dataDir, 'buckets', 'vanishing'), { recursive: true, force: true });
      await ownClient.send(new StopLoggingCommand({ Name: 'trail-1' }));
      await ownClient.send(new DeleteTrailCommand({ Name: 'trail-1' }));
      await expect(ownClient.send(new GetTrailCommand({ Name: 'trail-1' }))).rejects.toMatchObject({ name: 'TrailNotFoundException' });
      // The quota slot is free again; the DeleteTrail call is in the history.
      spawnSync(process.execPath, [BIN, 'buckets', 'create', 'vanishing', '--data-dir', own.dataDir]);
      await ownClient.send(new CreateTrailCommand({ Name: 'trail-6', S3BucketName: 'vanishing' }));
      const { Events } = await ownClient.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteTrail' }] }));
      expect(Events?.map((e) => (JSON.parse(e.CloudTrailEvent!) as { errorCode?: string }).errorCode)).toEqual([undefined]);
    } finally {
      ownClient.destroy();
      await own.stop();
    }
  });
});

describe('failed signatures with a known key id', () => {
  it('are recorded one by one up to a bound per minute, and the rest are summed up in one record', async () => {
    const own = await startServer();
    const attempts = 30;
    const codes = new Set<string>();
    for (let i = 0; i < attempts; i++) {
      const response = await sendSigned({
        url: own.url,
        body: '{}',
        headers: { 'x-amz-target': `${TARGET_PREFIX}.LookupEvents` },
        accessKeyId: own.accessKeyId,
        secretAccessKey: 'not-the-secret-0123456789abcdefghijklmn',
      });
      expect(response.status).toBe(400);
      codes.add(response.json().__type!);
    }
    expect([...codes]).toEqual(['InvalidSignatureException']);
    // Shutdown records the summary of the minute in progress.
    expect(await own.stop()).toBe(0);
    const again = await startServer({ dataDir: own.dataDir, accessKeyId: own.accessKeyId, secretAccessKey: own.secretAccessKey });
    const ownClient = cloudTrailClient(again);
    try {
      const { Events } = await ownClient.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: own.accessKeyId }], MaxResults: 50 }));
      const records = (Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as { eventName: string; errorCode?: string; serviceEventDetails?: Record<string, number> });
      const individual = records.filter((r) => r.errorCode === 'InvalidSignatureException');
      const summaries = records.filter((r) => r.eventName === 'AuthenticationFailureSummary');
      // At most 10 a minute; the calls may straddle one minute boundary.
      expect(individual.length).toBeGreaterThanOrEqual(10);
      expect(individual.length).toBeLessThanOrEqual(20);
      const summed = summaries.reduce((n, s) => n + s.serviceEventDetails!.failuresNotRecordedIndividually!, 0);
      expect(individual.length + summed).toBe(attempts);
    } finally {
      ownClient.destroy();
      await again.stop();
    }
  });
});
