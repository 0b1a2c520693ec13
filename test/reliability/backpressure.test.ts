/**
 * Overload is answered, not queued without bound: with a small commit queue, a burst of
 * concurrent PutAuditEvents calls gets ThrottlingException for some calls, while every call
 * that was acknowledged has its events stored, and the server keeps serving.
 */
import { CreateChannelCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent, eventData, putAuditEvents } from '../support/audit-events.js';
import type { PutAuditEventsOutput } from '../support/audit-events.js';
import { cloudTrailClient } from '../support/clients.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
afterAll(async () => {
  await server?.stop();
});

describe('back-pressure', () => {
  it('throttles a burst beyond the commit queue and loses nothing it acknowledged', async () => {
    server = await startServer({ env: { OPENTRAIL_MAX_PENDING_EVENTS: '250' } });
    const client = cloudTrailClient(server);
    const channelArn = (await client.send(new CreateChannelCommand({ Name: 'burst', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds' }] }))).ChannelArn!;
    const key = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
    const responses = await Promise.all(
      Array.from({ length: 40 }, async (_, c) =>
        putAuditEvents(server.url, key, channelArn, Array.from({ length: 100 }, (_, e) => auditEvent(`b${c}-${e}`, eventData({ UID: `b${c}-${e}` })))),
      ),
    );
    const throttled = responses.filter((r) => r.status === 400 && r.headers.get('x-amzn-errortype') === 'ThrottlingException');
    const ok = responses.filter((r) => r.status === 200);
    expect(throttled.length).toBeGreaterThan(0);
    expect(ok.length + throttled.length).toBe(responses.length);
    for (const response of ok.slice(0, 3)) {
      const { successful } = response.json() as unknown as PutAuditEventsOutput;
      const { Events } = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: successful[0]!.eventID }] }));
      expect(Events).toHaveLength(1);
    }
    // Still serving after the burst.
    expect((await client.send(new LookupEventsCommand({ MaxResults: 1 }))).Events).toHaveLength(1);
    client.destroy();
  });
});
