/**
 * LookupEvents through the real AWS SDK against a real server process: every attribute,
 * AND-ed attributes, paging past 50 with the SDK paginator, time ranges, and CloudTrail's errors.
 */
import { LookupEventsCommand, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient, Event, LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
let client: CloudTrailClient;

async function lookupAll(client: CloudTrailClient, input: LookupEventsCommandInput): Promise<Event[]> {
  const events: Event[] = [];
  for await (const page of paginateLookupEvents({ client, pageSize: 50 }, input)) events.push(...(page.Events ?? []));
  return events;
}

beforeAll(async () => {
  server = await startServer();
  client = cloudTrailClient(server);
  // 60 calls, so the history holds more than one page of events.
  for (let i = 0; i < 60; i++) await client.send(new LookupEventsCommand({ MaxResults: 1 }));
});

afterAll(async () => {
  client?.destroy();
  expect(await server?.stop()).toBe(0);
});

describe('LookupEvents with the AWS SDK', () => {
  it('records its own calls and pages past 50 events newest first', async () => {
    const events = await lookupAll(client, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'LookupEvents' }] });
    expect(events.length).toBeGreaterThanOrEqual(60);
    const ids = new Set(events.map((e) => e.EventId));
    expect(ids.size).toBe(events.length);
    const times = events.map((e) => e.EventTime!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const first = events[0]!;
    expect(first.ReadOnly).toBe('true');
    expect(first.Username).toBe('admin');
    expect(first.AccessKeyId).toBe(server.accessKeyId);
    expect(first.EventSource).toBe('cloudtrail.amazonaws.com');
    const record = JSON.parse(first.CloudTrailEvent!) as Record<string, unknown>;
    expect(record).toMatchObject({
      eventVersion: '1.11',
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'LookupEvents',
      awsRegion: 'us-east-1',
      readOnly: true,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: server.accountId,
      eventCategory: 'Management',
      userIdentity: {
        type: 'IAMUser',
        accountId: server.accountId,
        arn: `arn:aws:iam::${server.accountId}:user/admin`,
        accessKeyId: server.accessKeyId,
        userName: 'admin',
      },
    });
    expect(record.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(record.requestID).toMatch(/^[0-9a-f-]{36}$/);
    expect(record.sourceIPAddress).toBe('127.0.0.1');
    expect(String(record.userAgent)).toContain('aws-sdk-js');
  });

  it('finds events by each attribute', async () => {
    const [sample] = (await client.send(new LookupEventsCommand({ MaxResults: 1 }))).Events!;
    const cases: [string, string][] = [
      ['EventId', sample!.EventId!],
      ['EventName', 'LookupEvents'],
      ['ReadOnly', 'true'],
      ['Username', 'admin'],
      ['EventSource', 'cloudtrail.amazonaws.com'],
      ['AccessKeyId', server.accessKeyId],
    ];
    for (const [key, value] of cases) {
      const { Events } = await client.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: key as 'EventId', AttributeValue: value }], MaxResults: 5 }),
      );
      expect(Events!.length, key).toBeGreaterThan(0);
      if (key === 'EventId') expect(Events!.map((e) => e.EventId)).toEqual([value]);
    }
    // Only lookups were made so far: the calls that changed something are the first start's.
    const writes = await client.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }] }),
    );
    expect(writes.Events?.map((e) => [e.EventName, e.Username])).toEqual([
      ['CreateAccessKey', 'root'],
      ['AttachUserPolicy', 'root'],
      ['CreateUser', 'root'],
    ]);
  });

  it('ANDs several attributes (beyond CloudTrail)', async () => {
    const both = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'LookupEvents' },
          { AttributeKey: 'Username', AttributeValue: 'admin' },
        ],
        MaxResults: 3,
      }),
    );
    expect(both.Events).toHaveLength(3);
    const contradiction = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'LookupEvents' },
          { AttributeKey: 'Username', AttributeValue: 'nobody' },
        ],
      }),
    );
    expect(contradiction.Events).toEqual([]);
  });

  it('honours time ranges', async () => {
    const future = await client.send(
      new LookupEventsCommand({ StartTime: new Date(Date.now() + 3_600_000), EndTime: new Date(Date.now() + 7_200_000) }),
    );
    expect(future.Events).toEqual([]);
    const recent = await client.send(
      new LookupEventsCommand({ StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 60_000), MaxResults: 2 }),
    );
    expect(recent.Events).toHaveLength(2);
  });

  it('keeps paging stable while new events arrive', async () => {
    const input = { LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'LookupEvents' }], MaxResults: 10 };
    const first = await client.send(new LookupEventsCommand(input));
    // The call above and these are new events; the next page must continue the first snapshot.
    await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    const second = await client.send(new LookupEventsCommand({ ...input, NextToken: first.NextToken }));
    const firstIds = new Set(first.Events!.map((e) => e.EventId));
    expect(second.Events!.some((e) => firstIds.has(e.EventId))).toBe(false);
    const lastOfFirst = first.Events!.at(-1)!.EventTime!.getTime();
    expect(second.Events!.every((e) => e.EventTime!.getTime() <= lastOfFirst)).toBe(true);
  });

  it.each([
    [{ MaxResults: 51 }, 'InvalidMaxResultsException'],
    [{ MaxResults: 0 }, 'InvalidMaxResultsException'],
    [{ StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) }, 'InvalidTimeRangeException'],
    [{ NextToken: 'garbage' }, 'InvalidNextTokenException'],
    [{ LookupAttributes: [{ AttributeKey: 'Nope' as 'EventId', AttributeValue: 'x' }] }, 'InvalidLookupAttributesException'],
    [{ LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: '_'.repeat(1001) }] }, 'InvalidLookupAttributesException'],
    [{ EventCategory: 'management' as 'insight' }, 'InvalidEventCategoryException'],
  ] as [LookupEventsCommandInput, string][])('rejects %j with %s', async (input, code) => {
    await expect(client.send(new LookupEventsCommand(input))).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
  });

  it('rejects a NextToken reused with other parameters', async () => {
    const page = await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    await expect(
      client.send(
        new LookupEventsCommand({
          MaxResults: 1,
          NextToken: page.NextToken,
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'LookupEvents' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });

  it('records failed calls with their error code', async () => {
    await client.send(new LookupEventsCommand({ MaxResults: 99 })).catch(() => undefined);
    const { Events } = await client.send(new LookupEventsCommand({ MaxResults: 5 }));
    const failed = Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>).find((r) => r.errorCode !== undefined);
    expect(failed).toMatchObject({ errorCode: 'InvalidMaxResultsException', requestParameters: { maxResults: 99 } });
  });

  it('keeps regions apart: the region of a request is its credential scope', async () => {
    const west = cloudTrailClient(server, { region: 'eu-west-1' });
    await west.send(new LookupEventsCommand({ MaxResults: 1 }));
    const { Events } = await west.send(new LookupEventsCommand({}));
    expect(Events!.length).toBe(1);
    expect(JSON.parse(Events![0]!.CloudTrailEvent!)).toMatchObject({ awsRegion: 'eu-west-1' });
    west.destroy();
  });
});
