/**
 * SIGTERM finishes in bounded time whatever clients do: requests still in progress after
 * OPENTRAIL_DRAIN_TIMEOUT have their connections closed, and what was answered before is
 * durable. Before, a connection holding an unfinished request stalled shutdown for as long as
 * the client kept it open.
 *
 * The 30 s below bounds a test that would otherwise hang (the drain timeout is 1 s); it is not
 * a measurement.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { openRaw } from '../support/raw-http.js';
import { removeDir, startServer, tempDataDir } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const EXIT_BOUND_MS = 30_000;
const dataDir = tempDataDir();
const running: ServerProcess[] = [];

afterAll(async () => {
  for (const server of running) await server.kill();
  removeDir(dataDir);
});

/** The exit code, or a failure (and SIGKILL, so nothing is left running) when it does not come. */
async function stopWithin(server: ServerProcess, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the server did not exit within ${ms} ms of SIGTERM:\n${server.output()}`)), ms);
  });
  try {
    return await Promise.race([server.stop(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('graceful shutdown with stuck clients', () => {
  it('exits after the drain timeout, closing unfinished requests, and keeps what it answered', async () => {
    const accessKeyId = 'AKIADRAINTEST0000001';
    const first = await startServer({ dataDir, accessKeyId, env: { OPENTRAIL_DRAIN_TIMEOUT: '1' } });
    running.push(first);
    const client = cloudTrailClient(first);
    const answered = await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    client.destroy();

    const host = new URL(first.url).host;
    // Headers complete, body never finished: a request in flight that never ends.
    const unfinishedBody = await openRaw(first.url);
    unfinishedBody.write(`POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 1000\r\n\r\n{"Max`);
    // Headers never finished.
    const unfinishedHeaders = await openRaw(first.url);
    unfinishedHeaders.write(`POST / HTTP/1.1\r\nHost: ${host}\r\n`);
    // Let the server see both before the signal.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(await stopWithin(first, EXIT_BOUND_MS)).toBe(0);
    await unfinishedBody.closed();
    await unfinishedHeaders.closed();
    expect(first.output()).toMatch(/requests still in progress after the drain timeout/);

    const second = await startServer({ dataDir, accessKeyId });
    running.push(second);
    const reader = cloudTrailClient(second);
    const { Events } = await reader.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'LookupEvents' }] }));
    reader.destroy();
    const requestIds = (Events ?? []).map((event) => (JSON.parse(event.CloudTrailEvent!) as { requestID: string }).requestID);
    expect(requestIds).toContain(answered.$metadata.requestId);
    expect(await second.stop()).toBe(0);
  });
});
