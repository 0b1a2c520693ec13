/**
 * Channels (AWS SDK) and PutAuditEvents (signed with @smithy/signature-v4) against a real
 * server: per-event validation, idempotent retries, permissions, and the event history.
 */
import {
  CreateChannelCommand,
  DeleteChannelCommand,
  GetChannelCommand,
  ListChannelsCommand,
  LookupEventsCommand,
  UpdateChannelCommand,
} from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, eventData, putAuditEvents } from '../support/audit-events.js';
import type { Credentials, PutAuditEventsOutput } from '../support/audit-events.js';
import { cloudTrailClient } from '../support/clients.js';
import { runAdminCli } from '../support/admin-cli.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
let admin: CloudTrailClient;
let adminKey: Credentials;
let channelArn: string;

function opentrail(...args: string[]): string {
  return runAdminCli(server.dataDir, ...args);
}

function userWithKey(accountId: string, userName: string, policy: string): Credentials {
  opentrail('users', 'create', '--account-id', accountId, '--user-name', userName, '--policy', policy);
  const [, line] = opentrail('keys', 'create', '--account-id', accountId, '--user-name', userName).trim().split('\n');
  const [accessKeyId, secretAccessKey] = line!.split('\t');
  return { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
}

beforeAll(async () => {
  server = await startServer();
  admin = cloudTrailClient(server);
  adminKey = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
  const created = await admin.send(
    new CreateChannelCommand({ Name: 'payments', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/eds-1' }] }),
  );
  channelArn = created.ChannelArn!;
});

afterAll(async () => {
  admin?.destroy();
  await server?.stop();
});

describe('channels', () => {
  it('creates, gets, lists, updates and deletes channels', async () => {
    expect(channelArn).toMatch(/^arn:aws:cloudtrail:us-east-1:111122223333:channel\/[0-9a-f-]{36}$/);
    const got = await admin.send(new GetChannelCommand({ Channel: channelArn }));
    expect(got).toMatchObject({ ChannelArn: channelArn, Name: 'payments', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE' }] });
    const byId = await admin.send(new GetChannelCommand({ Channel: channelArn.split('/')[1] }));
    expect(byId.ChannelArn).toBe(channelArn);

    const names = ['aaa-1', 'bbb-2', 'ccc-3'];
    for (const Name of names) await admin.send(new CreateChannelCommand({ Name, Source: 'Custom', Destinations: [{ Type: 'AWS_SERVICE', Location: 'x-y-z' }] }));
    const listed: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await admin.send(new ListChannelsCommand({ MaxResults: 2, ...(NextToken && { NextToken }) }));
      listed.push(...page.Channels!.map((c) => c.Name!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(listed).toEqual(['aaa-1', 'bbb-2', 'ccc-3', 'payments']);

    const arn = (await admin.send(new ListChannelsCommand({}))).Channels!.find((c) => c.Name === 'aaa-1')!.ChannelArn!;
    const updated = await admin.send(new UpdateChannelCommand({ Channel: arn, Name: 'aaa-renamed' }));
    expect(updated).toMatchObject({ Name: 'aaa-renamed', ChannelArn: arn });
    await admin.send(new DeleteChannelCommand({ Channel: arn }));
    await expect(admin.send(new GetChannelCommand({ Channel: arn }))).rejects.toMatchObject({ name: 'ChannelNotFoundException' });
  });

  it.each([
    [{ Name: 'payments', Source: 'Custom' }, 'ChannelAlreadyExistsException'],
    [{ Name: 'no spaces allowed', Source: 'Custom' }, 'InvalidParameterException'],
    [{ Name: 'partner', Source: 'SomePartner' }, 'InvalidSourceException'],
  ])('refuses CreateChannel %j with %s', async (input, code) => {
    await expect(
      admin.send(new CreateChannelCommand({ ...input, Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-1' }] })),
    ).rejects.toMatchObject({ name: code });
  });

  it('refuses malformed and foreign channel references', async () => {
    await expect(admin.send(new GetChannelCommand({ Channel: 'not-an-arn' }))).rejects.toMatchObject({ name: 'ChannelARNInvalidException' });
    const foreign = channelArn.replace('111122223333', '999988887777');
    await expect(admin.send(new GetChannelCommand({ Channel: foreign }))).rejects.toMatchObject({ name: 'ChannelNotFoundException' });
  });
});

/** Five events whose eventData sizes sum to exactly `total` bytes. */
function eventsOfTotalSize(total: number) {
  const text = (i: number, pad: number) =>
    JSON.stringify(eventData({ UID: `size-${i}`, additionalEventData: { pad: 'p'.repeat(pad) } }));
  const texts = [0, 1, 2, 3].map((i) => text(i, 200_000));
  const used = texts.reduce((sum, t) => sum + t.length, 0);
  texts.push(text(4, total - used - text(4, 0).length));
  expect(texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0)).toBe(total);
  return texts.map((t, i) => auditEvent(`size-${i}-${total}`, t));
}

describe('PutAuditEvents', () => {
  it('stores valid events, reports the invalid ones, and finds them in the history', async () => {
    const good = eventData({ eventName: 'ApproveRefund', UID: 'refund-1' });
    const goodText = JSON.stringify(good, null, 1); // the caller's exact bytes must survive
    const response = await putAuditEvents(server.url, adminKey, channelArn, [
      auditEvent('good-1', goodText),
      auditEvent('bad-json', '{not json'),
      auditEvent('bad-checksum', { ...eventData(), UID: 'x' }, false),
      { ...auditEvent('bad-checksum', eventData()), id: 'bad-sum', eventDataChecksum: 'AAAA' },
      auditEvent('missing-field', (({ eventName: _eventName, ...rest }) => rest)(eventData())),
      auditEvent('aws-source', eventData({ eventSource: 'iam.amazonaws.com' })),
      auditEvent('other-recipient', eventData({ recipientAccountId: '999988887777' })),
      auditEvent('long-field', eventData({ eventName: 'x'.repeat(2000) })),
    ]);
    expect(response.status).toBe(200);
    const out = response.json() as unknown as PutAuditEventsOutput;
    expect(out.successful.map((s) => s.id)).toEqual(['good-1', 'bad-checksum']);
    expect(Object.fromEntries(out.failed.map((f) => [f.id, f.errorCode]))).toEqual({
      'bad-json': 'InvalidData',
      'bad-sum': 'InvalidChecksum',
      'missing-field': 'FieldNotFound',
      'aws-source': 'InvalidEventSource',
      'other-recipient': 'InvalidRecipient',
      'long-field': 'FieldTooLong',
    });

    const eventID = out.successful[0]!.eventID;
    const { Events } = await admin.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: eventID }] }));
    expect(Events).toHaveLength(1);
    const event = Events![0]!;
    expect(event).toMatchObject({ EventName: 'ApproveRefund', EventSource: 'payments.example.com', Username: 'app-user-1' });
    expect(event.CloudTrailEvent).toContain(`"eventData":${goodText}}`);
    expect(JSON.parse(event.CloudTrailEvent!)).toMatchObject({
      eventCategory: 'ActivityAuditLog',
      eventType: 'ActivityLog',
      eventID,
      recipientAccountId: '111122223333',
      metadata: { channelARN: channelArn },
      eventData: good,
    });
    for (const [AttributeKey, AttributeValue] of [['EventName', 'ApproveRefund'], ['EventSource', 'payments.example.com'], ['Username', 'app-user-1']] as const) {
      const found = await admin.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey, AttributeValue }] }));
      expect(found.Events!.map((e) => e.EventId)).toContain(eventID);
    }
  });

  it('refuses eventData with a duplicate key or nested deeper than 64 levels, per event, and stores the rest', async () => {
    const text = JSON.stringify(eventData({ eventSource: 'payments.example.com', UID: 'dup-1' }));
    const twoSources = text.replace('"eventSource":"payments.example.com"', '"eventSource":"payments.example.com","eventSource":"shadow.example.com"');
    const deep = JSON.stringify(eventData({ UID: 'deep-1', additionalEventData: JSON.parse('{"a":'.repeat(63) + '{}' + '}'.repeat(63)) as object }));
    const response = await putAuditEvents(server.url, adminKey, channelArn, [auditEvent('dup-key', twoSources), auditEvent('too-deep', deep), auditEvent('fine', eventData({ UID: 'fine-1' }))]);
    expect(response.status).toBe(200);
    const out = response.json() as unknown as PutAuditEventsOutput;
    expect(out.successful.map((s) => s.id)).toEqual(['fine']);
    expect(out.failed).toEqual([
      { id: 'dup-key', errorCode: 'InvalidData', errorMessage: 'eventData has the key "eventSource" more than once in one object.' },
      { id: 'too-deep', errorCode: 'InvalidData', errorMessage: 'eventData nests objects and arrays more than 64 levels deep.' },
    ]);
    const shadow = await admin.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'shadow.example.com' }] }));
    expect(shadow.Events).toEqual([]);
  });

  it('records the call itself once, as a management event', async () => {
    await putAuditEvents(server.url, adminKey, channelArn, [auditEvent('one'), auditEvent('two')]);
    const { Events } = await admin.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'cloudtrail-data.amazonaws.com' }], MaxResults: 1 }),
    );
    expect(JSON.parse(Events![0]!.CloudTrailEvent!)).toMatchObject({
      eventName: 'PutAuditEvents',
      managementEvent: true,
      eventCategory: 'Management',
      requestParameters: { channelArn, auditEventCount: 2 },
      resources: [{ type: 'AWS::CloudTrail::Channel', ARN: channelArn }],
    });
  });

  it('does not store retried ids twice', async () => {
    const events = [auditEvent('retry-a'), auditEvent('retry-b')];
    const first = (await putAuditEvents(server.url, adminKey, channelArn, events)).json() as unknown as PutAuditEventsOutput;
    const second = (await putAuditEvents(server.url, adminKey, channelArn, [...events, auditEvent('retry-c')])).json() as unknown as PutAuditEventsOutput;
    expect(second.successful.slice(0, 2)).toEqual(first.successful);
    for (const { eventID } of second.successful) {
      const { Events } = await admin.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: eventID }] }));
      expect(Events).toHaveLength(1);
    }
  });

  it.each([
    ['101 events', () => Array.from({ length: 101 }, (_, i) => auditEvent(`e${i}`)), 'ValidationException'],
    ['no events', () => [], 'ValidationException'],
    ['1 MB + 1 byte of eventData', () => eventsOfTotalSize(1024 * 1024 + 1), 'ValidationException'],
    ['a duplicated id', () => [auditEvent('same'), auditEvent('same')], 'DuplicatedAuditEventId'],
  ])('refuses %s', async (_name, events, code) => {
    const response = await putAuditEvents(server.url, adminKey, channelArn, events());
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe(code);
  });

  it('accepts exactly 1 MB of eventData', async () => {
    const response = await putAuditEvents(server.url, adminKey, channelArn, eventsOfTotalSize(1024 * 1024));
    expect(response.status).toBe(200);
    expect((response.json() as unknown as PutAuditEventsOutput).successful).toHaveLength(5);
  });

  it('refuses a key without ingest permission, another account, unknown and malformed channels', async () => {
    const reader = userWithKey(server.accountId, 'reader', 'OpenTrailReadOnly');
    const denied = await putAuditEvents(server.url, reader, channelArn, [auditEvent('x')]);
    expect(denied.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');

    opentrail('accounts', 'create', '--account-id', '999988887777');
    const stranger = userWithKey('999988887777', 'owner', 'OpenTrailFullAccess');
    const foreign = await putAuditEvents(server.url, stranger, channelArn, [auditEvent('x')]);
    expect(foreign.headers.get('x-amzn-errortype')).toBe('ChannelInsufficientPermission');

    const unknown = await putAuditEvents(server.url, adminKey, channelArn.replace(/[0-9a-f-]{36}$/, '00000000-0000-0000-0000-000000000000'), [auditEvent('x')]);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('ChannelNotFound');
    const malformed = await putAuditEvents(server.url, adminKey, 'arn:nope', [auditEvent('x')]);
    expect(malformed.headers.get('x-amzn-errortype')).toBe('InvalidChannelARN');

    const ingester = userWithKey(server.accountId, 'ingester', 'OpenTrailIngestOnly');
    const ok = await putAuditEvents(server.url, ingester, channelArn, [auditEvent('from-ingester')]);
    expect((ok.json() as unknown as PutAuditEventsOutput).successful).toHaveLength(1);
  });

  it('refuses a request signed for the control plane', async () => {
    const response = await putAuditEvents(server.url, adminKey, channelArn, [auditEvent('x')], { region: 'us-east-1' }).then(async () =>
      // Signed for `cloudtrail` rather than `cloudtrail-data`:
      import('../support/signed-request.js').then(async ({ sendSigned }) =>
        sendSigned({ url: server.url, path: '/PutAuditEvents', query: { channelArn }, service: 'cloudtrail', headers: { 'content-type': 'application/json' }, body: '{"auditEvents":[]}', ...adminKey }),
      ),
    );
    expect(response.json().__type).toBe('InvalidSignatureException');
  });

  it('answers malformed bodies with AWS errors', async () => {
    const response = await putAuditEvents(server.url, adminKey, channelArn, undefined, { rawBody: '{"auditEvents": "nope"}' });
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
    const missing = await putAuditEvents(server.url, adminKey, channelArn, undefined, { rawBody: '{}' });
    expect(missing.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });
});
