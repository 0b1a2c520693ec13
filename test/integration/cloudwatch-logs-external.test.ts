/**
 * Forwarding to an external CloudWatch Logs API: a real one (moto's, on loopback) through the
 * AWS SDK. Events are read back with FilterLogEvents; a batch redone after a partial put adds
 * only what was missing; a missing stream is made; a missing group fails the put.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalLogDestination } from '../../src/workers/cloudwatch-logs/external-destination.js';
import type { ForwardedEvent, LogGroupRef } from '../../src/workers/cloudwatch-logs/log-destination.js';
import { MOTO_ACCOUNT, MOTO_REGION, motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';

const hasMoto = motoAvailable();
const STREAM = `${MOTO_ACCOUNT}_CloudTrail_${MOTO_REGION}`;

function record(i: number, timestamp: number): ForwardedEvent {
  const eventId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return { timestamp, eventId, message: JSON.stringify({ eventVersion: '1.11', eventID: eventId, eventName: i % 2 === 0 ? 'StopLogging' : 'LookupEvents', eventSource: 'cloudtrail.amazonaws.com' }) };
}

describe.skipIf(!hasMoto)('ExternalLogDestination against moto', () => {
  let moto: MotoServer;
  let client: CloudWatchLogsClient;
  let destination: ExternalLogDestination;

  beforeAll(async () => {
    moto = await startMoto();
    client = new CloudWatchLogsClient(moto.clientConfig);
    destination = new ExternalLogDestination({ logger: pino({ level: 'silent' }), clientFor: () => new CloudWatchLogsClient(moto.clientConfig) });
  });
  afterAll(async () => {
    destination?.destroy();
    client?.destroy();
    await moto?.stop();
  });

  const group = (name: string): LogGroupRef => ({ accountId: MOTO_ACCOUNT, region: MOTO_REGION, logGroupName: name });

  async function messages(name: string): Promise<string[]> {
    const answer = await client.send(new FilterLogEventsCommand({ logGroupName: name }));
    return (answer.events ?? []).map((e) => (JSON.parse(e.message!) as { eventID: string }).eventID);
  }

  it('tells whether a group exists, makes the stream, and puts the events in order', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/forwarded' }));
    expect(await destination.exists(group('CloudTrail/forwarded'))).toBe(true);
    expect(await destination.exists(group('CloudTrail/forward'))).toBe(false);
    const now = Date.now();
    const events = [record(1, now - 2000), record(2, now - 1000), record(3, now)];
    await destination.put(group('CloudTrail/forwarded'), STREAM, events, false);
    expect(await messages('CloudTrail/forwarded')).toEqual(events.map((e) => e.eventId));
  });

  it('redoes a partly put batch without sending any event twice', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/redo' }));
    const now = Date.now();
    const events = Array.from({ length: 6 }, (_, i) => record(10 + i, now - 6000 + i * 1000));
    // The first attempt got three events in before it failed.
    await destination.put(group('CloudTrail/redo'), STREAM, events.slice(0, 3), false);
    await destination.put(group('CloudTrail/redo'), STREAM, events, true);
    expect(await messages('CloudTrail/redo')).toEqual(events.map((e) => e.eventId));
    // A redo of a batch that was wholly put adds nothing.
    await destination.put(group('CloudTrail/redo'), STREAM, events, true);
    expect(await messages('CloudTrail/redo')).toHaveLength(6);
  });

  it('leaves events of others in the stream alone when it reads back', async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/shared' }));
    const now = Date.now();
    await destination.put(group('CloudTrail/shared'), STREAM, [record(30, now - 500)], false);
    await client.send(new PutLogEventsCommand({ logGroupName: 'CloudTrail/shared', logStreamName: STREAM, logEvents: [{ timestamp: now - 400, message: 'not json' }] }));
    await destination.put(group('CloudTrail/shared'), STREAM, [record(30, now - 500), record(31, now)], true);
    const answer = await client.send(new FilterLogEventsCommand({ logGroupName: 'CloudTrail/shared' }));
    expect((answer.events ?? []).map((e) => e.message)).toHaveLength(3);
  });

  it('fails the put when the group is gone, so the trail retries it later', async () => {
    await expect(destination.put(group('CloudTrail/never-made'), STREAM, [record(40, Date.now())], false)).rejects.toThrow(/ResourceNotFound|does not exist/);
  });
});
