/**
 * Delivery survives kill -9 at any moment: over several rounds the server is killed while
 * events arrive and log files are being written; after the last restart every acknowledged
 * event is in the bucket exactly once, and no event appears twice.
 */
import { isConnectionError } from '../support/connection-errors.js';
import { CreateChannelCommand, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent, eventData, putAuditEvents } from '../support/audit-events.js';
import type { PutAuditEventsOutput } from '../support/audit-events.js';
import { cloudTrailClient } from '../support/clients.js';
import { bucketKeys, eventually, readLogFile } from '../support/log-files.js';
import { BIN, removeDir, startServer, tempDataDir } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const dataDir = tempDataDir();
afterAll(() => removeDir(dataDir));
const KEY = { accessKeyId: 'AKIADELIVERYCRASH001', secretAccessKey: 'delivery-crash-secret-0123456789abcdef' };
const ROUNDS = 4;

async function start(): Promise<ServerProcess> {
  return startServer({ dataDir, ...KEY, args: ['--delivery-interval', '1'] });
}

describe('delivery crash safety', () => {
  it('delivers every acknowledged event exactly once across repeated kill -9', async () => {
    let server = await start();
    spawnSync(process.execPath, [BIN, 'buckets', 'create', 'crash-bucket', '--data-dir', dataDir]);
    const admin = cloudTrailClient(server);
    await admin.send(new CreateTrailCommand({ Name: 'crashy', S3BucketName: 'crash-bucket' }));
    await admin.send(new StartLoggingCommand({ Name: 'crashy' }));
    const channelArn = (await admin.send(new CreateChannelCommand({ Name: 'crash', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-x' }] })))
      .ChannelArn!;
    admin.destroy();

    const acknowledged = new Set<string>();
    let call = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let stop = false;
      let killing = false;
      const senders = Array.from({ length: 4 }, async () => {
        while (!stop) {
          const n = call++;
          const events = Array.from({ length: 25 }, (_, e) => auditEvent(`r${round}-c${n}-e${e}`, eventData({ UID: `r${round}-c${n}-e${e}` })));
          let response;
          try {
            response = await putAuditEvents(server.url, KEY, channelArn, events);
          } catch (error) {
            // Only a connection lost to the kill is tolerated.
            if (!killing || !isConnectionError(error)) throw error;
            return;
          }
          expect(response.status, response.body).toBe(200);
          for (const { eventID } of (response.json() as unknown as PutAuditEventsOutput).successful) acknowledged.add(eventID);
        }
      });
      // Let deliveries happen, then kill at a moment that varies from round to round.
      await new Promise((resolve) => setTimeout(resolve, 1200 + Math.floor(Math.random() * 1500)));
      killing = true;
      await server.kill();
      stop = true;
      await Promise.all(senders);
      server = await start();
    }

    const dir = join(dataDir, 'buckets', 'crash-bucket');
    const delivered = await eventually(
      () => {
        const ids = bucketKeys(dir).flatMap((key) => readLogFile(dir, key).map((r) => r.eventID as string));
        const set = new Set(ids);
        return [...acknowledged].every((id) => set.has(id)) ? ids : undefined;
      },
      60_000,
      'every acknowledged event in the bucket',
    );
    expect(acknowledged.size).toBeGreaterThan(100);
    expect(delivered.length).toBe(new Set(delivered).size);
    expect(await server.stop()).toBe(0);
  });
});
