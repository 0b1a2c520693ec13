/**
 * Back-pressure reaches the gateway before the upstream does: when the event log refuses work
 * (too many events waiting for a commit), a forwarded call is refused with the service's own
 * throttling answer (S3's SlowDown) and never reaches its upstream. Driven in process, over real
 * SQLite stores and a real HTTP server, with an event log that reports itself overloaded.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StoreOverloadedError } from '../../src/store/event-store.js';
import type { CountingUpstream } from '../support/counting-upstream.js';
import { startInProcessGateway } from '../support/in-process-gateway.js';
import type { InProcessGateway } from '../support/in-process-gateway.js';
import type { InProcessPipeline } from '../support/in-process-pipeline.js';

let env: InProcessPipeline;
let upstream: CountingUpstream;
let gateway: InProcessGateway;
let port: number;
let overloaded = false;

beforeAll(async () => {
  gateway = await startInProcessGateway({
    events: (real) => ({
      append: async (records, changes) => (overloaded ? Promise.reject(new StoreOverloadedError(100_000)) : real.append(records, changes)),
      hasCapacity: (n) => !overloaded && real.hasCapacity(n),
      lookup: async (query) => real.lookup(query),
      volume: async (query, periodMs) => real.volume(query, periodMs),
      readRange: async (...args) => real.readRange(...args),
      readAfter: async (...args) => real.readAfter(...args),
      lastSeq: async () => real.lastSeq(),
      onAppended: (listener) => real.onAppended(listener),
      purgeBefore: async (cutoff) => real.purgeBefore(cutoff),
      close: async () => real.close(),
    }),
  });
  ({ env, upstream, port } = gateway);
});

afterAll(async () => {
  await gateway?.close();
});

async function send(method: 'PUT' | 'GET', key: string): Promise<{ status: number; body: string }> {
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: env.admin, sha256: Sha256, uriEscapePath: false });
  const body = method === 'PUT' ? 'hello' : undefined;
  const signed = await signer.sign(
    new HttpRequest({
      method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path: `/bucket/${key}`,
      headers: { host: `127.0.0.1:${port}`, ...(body !== undefined && { 'content-length': String(body.length) }), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      ...(body !== undefined && { body }),
    }),
    { signingDate: new Date(env.clock.now()) },
  );
  const response = await fetch(`http://127.0.0.1:${port}/bucket/${key}`, { method, headers: signed.headers, ...(body !== undefined && { body }) });
  return { status: response.status, body: await response.text() };
}

const putObject = async (key: string) => send('PUT', key);

it('forwards a call while the log keeps up', async () => {
  expect((await putObject('first.txt')).status).toBe(200);
  expect(upstream.received).toEqual(['PUT /bucket/first.txt']);
});

it('refuses a read too, though a read needs no journal entry', async () => {
  expect((await send('GET', 'first.txt')).status).toBe(200);
  overloaded = true;
  try {
    const refused = await send('GET', 'first.txt');
    expect(refused.status).toBe(503);
    expect(refused.body).toContain('<Code>SlowDown</Code>');
  } finally {
    overloaded = false;
  }
  expect(upstream.received.filter((r) => r === 'GET /bucket/first.txt')).toHaveLength(1);
});

it('journals writes but not reads', async () => {
  const { default: Database } = await import('better-sqlite3');
  expect((await send('PUT', 'third.txt')).status).toBe(200);
  expect((await send('GET', 'third.txt')).status).toBe(200);
  // Both recorded; the journal is empty again (the write's entry left with its record).
  const db = new Database(`${env.dataDir}/opentrail.db`, { readonly: true });
  const names = db.prepare("SELECT json_extract(record, '$.eventName') AS name FROM events ORDER BY seq DESC LIMIT 2").pluck().all();
  const inFlight = db.prepare('SELECT COUNT(*) FROM forwarded_calls_in_flight').pluck().get();
  db.close();
  expect(names).toEqual(['GetObject', 'PutObject']);
  expect(inFlight).toBe(0);
});

it('refuses a call with SlowDown, before it reaches the upstream, while the log is overloaded', async () => {
  overloaded = true;
  try {
    const refused = await putObject('second.txt');
    expect(refused.status).toBe(503);
    expect(refused.body).toContain('<Code>SlowDown</Code>');
  } finally {
    overloaded = false;
  }
  expect(upstream.received).not.toContain('PUT /bucket/second.txt');
});
