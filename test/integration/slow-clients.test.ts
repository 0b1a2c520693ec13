/**
 * Slow clients get the configured limits: a client that has not sent its headers within
 * OPENTRAIL_HEADERS_TIMEOUT, or its whole request within OPENTRAIL_REQUEST_TIMEOUT, is answered
 * `RequestTimeout` (408, AWS-shaped JSON) and its connection closed. Before, node:http checked
 * its timeouts only every 30 s and answered with an empty body, and a trickled body was never
 * cut off in time.
 *
 * The waits below are bounds for a test that would otherwise hang, not measurements: the limits
 * are 1 s and 3 s, and each answer is awaited for up to 15 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRaw } from '../support/raw-http.js';
import type { RawAnswer } from '../support/raw-http.js';
import { removeDir, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { sendSigned, TARGET_PREFIX } from '../support/signed-request.js';

const ANSWER_BOUND_MS = 15_000;
let server: ServerProcess;

beforeAll(async () => {
  server = await startServer({ env: { OPENTRAIL_HEADERS_TIMEOUT: '1', OPENTRAIL_REQUEST_TIMEOUT: '3' } });
});

afterAll(async () => {
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

function expectRequestTimeout(answer: RawAnswer): void {
  expect(answer.status, answer.raw).toBe(408);
  expect(answer.headers['content-type']).toBe('application/x-amz-json-1.1');
  expect(answer.headers['x-amzn-errortype']).toBe('RequestTimeout');
  const body = JSON.parse(answer.body) as { __type?: string; message?: string };
  expect(body.__type).toBe('RequestTimeout');
  expect(body.message).toMatch(/headers within 1 s, the whole request within 3 s/);
}

describe('slow clients', () => {
  it('answers connections that send partial headers with RequestTimeout and closes them', async () => {
    const connections = await Promise.all([1, 2, 3].map(async () => openRaw(server.url)));
    for (const connection of connections) connection.write(`POST / HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nX-Amz-Tar`);
    const answers = await Promise.all(connections.map(async (connection) => connection.closed(ANSWER_BOUND_MS)));
    for (const answer of answers) expectRequestTimeout(answer);
  });

  it('answers a body trickled a byte at a time with RequestTimeout and closes the connection', async () => {
    const connection = await openRaw(server.url);
    connection.write(`POST / HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 1000\r\n\r\n`);
    // A byte every 500 ms keeps the connection busy far longer than the 3 s request limit.
    const trickle = setInterval(() => connection.write('{'), 500);
    try {
      expectRequestTimeout(await connection.closed(ANSWER_BOUND_MS));
    } finally {
      clearInterval(trickle);
    }
  });

  it('still serves a client that sends its request in time', async () => {
    const response = await sendSigned({
      url: server.url,
      body: '{}',
      headers: { 'x-amz-target': `${TARGET_PREFIX}.LookupEvents` },
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
    });
    expect(response.status).toBe(200);
  });
});
