/**
 * Nothing acknowledged is lost: a server killed with SIGKILL while answering a stream of
 * concurrent calls must, after a restart, show every call it had answered in the history.
 */
import { LookupEventsCommand, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { afterAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { removeDir, startServer, tempDataDir } from '../support/server-process.js';

const dataDir = tempDataDir();
afterAll(() => removeDir(dataDir));

describe('crash safety', () => {
  it('keeps every acknowledged event across kill -9', async () => {
    const first = await startServer({ dataDir, accessKeyId: 'AKIACRASHTEST0000001' });
    const client = cloudTrailClient(first);
    const acknowledged: string[] = [];
    let stop = false;
    // 16 concurrent callers, each sending calls back to back until the kill.
    const callers = Array.from({ length: 16 }, async () => {
      while (!stop) {
        try {
          const out = await client.send(new LookupEventsCommand({ MaxResults: 1 }));
          acknowledged.push(out.$metadata.requestId!);
        } catch {
          return; // the server is gone
        }
      }
    });
    // Kill once a good number of calls were answered (bounded in time too).
    const deadline = Date.now() + 20_000;
    while (acknowledged.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await first.kill();
    stop = true;
    await Promise.all(callers);
    client.destroy();
    expect(acknowledged.length).toBeGreaterThan(0);

    const second = await startServer({ dataDir, accessKeyId: 'AKIACRASHTEST0000001' });
    const reader = cloudTrailClient(second);
    const recorded = new Set<string>();
    for await (const page of paginateLookupEvents({ client: reader }, {})) {
      for (const event of page.Events ?? []) recorded.add((JSON.parse(event.CloudTrailEvent!) as { requestID: string }).requestID);
    }
    const missing = acknowledged.filter((id) => !recorded.has(id));
    expect(missing).toEqual([]);
    reader.destroy();
    expect(await second.stop()).toBe(0);
  });
});
