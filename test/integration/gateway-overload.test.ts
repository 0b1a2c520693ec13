/**
 * Back-pressure reaches the gateway before the upstream does: when the event log refuses work
 * (too many events waiting for a commit), a forwarded call is refused with the service's own
 * throttling answer (S3's SlowDown) and never reaches its upstream. Driven in process, over real
 * SQLite stores and a real HTTP server, with an event log that reports itself overloaded.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthFailureLimiter } from '../../src/api/auth-failure-limiter.js';
import { Gateway } from '../../src/api/gateway/gateway.js';
import { gatewayModels } from '../../src/api/gateway/models.js';
import { UpstreamClient } from '../../src/api/gateway/upstream-client.js';
import { nodeHttpAdapter } from '../../src/api/node-http.js';
import type { EventStore } from '../../src/store/event-store.js';
import { StoreOverloadedError } from '../../src/store/event-store.js';
import { startCountingUpstream } from '../support/counting-upstream.js';
import type { CountingUpstream } from '../support/counting-upstream.js';
import { startInProcessPipeline } from '../support/in-process-pipeline.js';
import type { InProcessPipeline } from '../support/in-process-pipeline.js';

let env: InProcessPipeline;
let upstream: CountingUpstream;
let server: Server;
let port: number;
let overloaded = false;

beforeAll(async () => {
  env = await startInProcessPipeline();
  upstream = await startCountingUpstream();
  const real = env.stores.events;
  const events: EventStore = {
    append: async (records, changes) => (overloaded ? Promise.reject(new StoreOverloadedError(100_000)) : real.append(records, changes)),
    hasCapacity: (n) => !overloaded && real.hasCapacity(n),
    lookup: async (query) => real.lookup(query),
    readRange: async (...args) => real.readRange(...args),
    lastSeq: async () => real.lastSeq(),
    purgeBefore: async (cutoff) => real.purgeBefore(cutoff),
    close: async () => real.close(),
  };
  const gateway = new Gateway({
    identity: env.stores.identity,
    events,
    bucketOwners: env.stores.bucketOwners,
    clock: env.clock,
    logger: pino({ level: 'silent' }),
    upstreams: new Map([['s3', new UpstreamClient({ url: upstream.url, credentials: { accessKeyId: 'up', secretAccessKey: 'up' } }, async () => Promise.reject(new Error('unused')))]]),
    models: gatewayModels,
    s3Domains: ['localhost'],
    authFailures: new AuthFailureLimiter(10),
    bufferedBodyLimit: 1024 * 1024,
  });
  const limits = { maxBodyBytes: 1024, maxHeaderBytes: 16 * 1024, headersTimeoutSeconds: 10, requestTimeoutSeconds: 30 };
  const adapter = nodeHttpAdapter(async () => Promise.reject(new Error('only gateway calls here')), limits, () => undefined, gateway);
  server = createServer(adapter.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await upstream?.close();
  await env?.close();
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
