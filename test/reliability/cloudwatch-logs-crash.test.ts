/**
 * CloudWatch Logs forwarding survives kill -9 at any moment: over several rounds the server is
 * killed while calls arrive and their records are being forwarded to a hosted log group; after
 * the last restart every acknowledged call's record is in the group's stream exactly once.
 */
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { isConnectionError } from '../support/connection-errors.js';
import { eventually } from '../support/log-files.js';
import { forwardingTrail, streamMessages } from '../support/monitoring.js';
import { removeDir, startServer, tempDataDir } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const dataDir = tempDataDir();
afterAll(() => removeDir(dataDir));
const KEY = { accessKeyId: 'AKIAFORWARDCRASH0001', secretAccessKey: 'forward-crash-secret-0123456789abcdef' };
const ROUNDS = 4;
const GROUP = 'CloudTrail/crash';

async function start(): Promise<ServerProcess> {
  return startServer({ dataDir, ...KEY });
}

describe('CloudWatch Logs forwarding crash safety', () => {
  it('forwards every acknowledged call exactly once across repeated kill -9', async () => {
    let server = await start();
    const stream = await forwardingTrail(server, { trail: 'crashy', bucket: 'crash-bucket', logGroup: GROUP });

    const acknowledged = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      let stop = false;
      let killing = false;
      const client = cloudTrailClient(server);
      const callers = Array.from({ length: 4 }, async () => {
        while (!stop) {
          try {
            const answer = await client.send(new DescribeTrailsCommand({}));
            acknowledged.add(answer.$metadata.requestId!);
          } catch (error) {
            // Only a connection lost to the kill is tolerated.
            if (!killing || !isConnectionError(error)) throw error;
            return;
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 800 + Math.floor(Math.random() * 1200)));
      killing = true;
      await server.kill();
      stop = true;
      await Promise.all(callers);
      client.destroy();
      server = await start();
    }

    const forwarded = await eventually(
      async () => {
        const ids = (await streamMessages(server, GROUP, stream)).map((r) => r.requestID as string);
        const set = new Set(ids);
        return [...acknowledged].every((id) => set.has(id)) ? ids : undefined;
      },
      60_000,
      'every acknowledged call in the log group',
    );
    expect(acknowledged.size).toBeGreaterThan(100);
    expect(forwarded.length).toBe(new Set(forwarded).size);
    expect(await server.stop()).toBe(0);
  });
});
