/**
 * Ingest under concurrency, killed with SIGKILL mid-stream: after a restart every acknowledged
 * event is in the history exactly once, and retrying the calls that got no answer (same ids)
 * completes the set without duplicates.
 */
import { CreateChannelCommand, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent, eventData, putAuditEvents } from '../support/audit-events.js';
import type { AuditEventInput, PutAuditEventsOutput } from '../support/audit-events.js';
import { cloudTrailClient } from '../support/clients.js';
import { removeDir, startServer, tempDataDir } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { isConnectionError } from '../support/connection-errors.js';

const dataDir = tempDataDir();
afterAll(() => removeDir(dataDir));
const KEY = { accessKeyId: 'AKIAINGESTCRASH00001', secretAccessKey: 'ingest-crash-secret-0123456789abcdef' };
const SOURCE = 'crash.example.com';

/** How many times each UID of our source appears in the history. */
async function uidCounts(server: ServerProcess): Promise<Map<string, number>> {
  const client = cloudTrailClient(server);
  const counts = new Map<string, number>();
  const pages = paginateLookupEvents({ client }, { LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: SOURCE }] });
  for await (const page of pages) {
    for (const event of page.Events ?? []) {
      const uid = (JSON.parse(event.CloudTrailEvent!) as { eventData: { UID: string } }).eventData.UID;
      counts.set(uid, (counts.get(uid) ?? 0) + 1);
    }
  }
  client.destroy();
  return counts;
}

describe('ingest crash safety', () => {
  it('keeps every acknowledged event exactly once across kill -9 and retries', async () => {
    const first = await startServer({ dataDir, ...KEY });
    const admin = cloudTrailClient(first);
    const channelArn = (await admin.send(new CreateChannelCommand({ Name: 'crash', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-crash' }] })))
      .ChannelArn!;
    admin.destroy();

    const acknowledged = new Set<string>();
    const unanswered: AuditEventInput[][] = [];
    let stop = false;
    let killing = false;
    const callers = Array.from({ length: 16 }, async (_, c) => {
      for (let call = 0; !stop; call++) {
        const events = Array.from({ length: 20 }, (_, e) => {
          const uid = `c${c}-k${call}-e${e}`;
          return auditEvent(uid, eventData({ UID: uid, eventSource: SOURCE }));
        });
        let response;
        try {
          response = await putAuditEvents(first.url, KEY, channelArn, events);
        } catch (error) {
          // Only a connection lost to the kill is tolerated; the call is retried after the restart.
          if (!killing || !isConnectionError(error)) throw error;
          unanswered.push(events);
          return;
        }
        expect(response.status, response.body).toBe(200);
        const out = response.json() as unknown as PutAuditEventsOutput;
        expect(out.failed).toEqual([]);
        for (const { id } of out.successful) acknowledged.add(id);
      }
    });
    const deadline = Date.now() + 20_000;
    while (acknowledged.size < 4000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    killing = true;
    await first.kill();
    stop = true;
    await Promise.all(callers);
    expect(acknowledged.size).toBeGreaterThan(0);

    const second = await startServer({ dataDir, ...KEY });
    const afterCrash = await uidCounts(second);
    const missing = [...acknowledged].filter((id) => afterCrash.get(id) !== 1);
    expect(missing).toEqual([]);
    expect([...afterCrash.values()].every((n) => n === 1)).toBe(true);

    // Clients retry what got no answer; the ids already stored must not be stored again.
    for (const events of unanswered) {
      const response = await putAuditEvents(second.url, KEY, channelArn, events);
      expect(response.status).toBe(200);
    }
    const afterRetry = await uidCounts(second);
    const expected = acknowledged.size + unanswered.flat().filter((e) => !acknowledged.has(e.id)).length;
    expect(afterRetry.size).toBe(expected);
    expect([...afterRetry.values()].every((n) => n === 1)).toBe(true);
    expect(await second.stop()).toBe(0);
  });
});
