/**
 * The gateway in process: the real Gateway over the real SQLite stores of an in-process
 * pipeline (in-process-pipeline.ts, with its ManualClock), behind a real node:http server, with
 * a counting upstream for S3. For tests that need to change what the gateway is given (an event
 * log that refuses, a default region) or to sign at the clock's time.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { AuthFailureLimiter } from '../../src/api/auth-failure-limiter.js';
import { Gateway } from '../../src/api/gateway/gateway.js';
import { gatewayModels } from '../../src/api/gateway/models.js';
import { UpstreamClient } from '../../src/api/gateway/upstream-client.js';
import { nodeHttpAdapter } from '../../src/api/node-http.js';
import type { EventStore } from '../../src/store/event-store.js';
import { startCountingUpstream } from './counting-upstream.js';
import type { CountingUpstream } from './counting-upstream.js';
import { startInProcessPipeline } from './in-process-pipeline.js';
import type { InProcessPipeline } from './in-process-pipeline.js';

export interface InProcessGateway {
  env: InProcessPipeline;
  upstream: CountingUpstream;
  port: number;
  close(): Promise<void>;
}

export interface InProcessGatewayOptions {
  /** The event log the gateway writes to, given the real one (default: the real one). */
  events?: (real: EventStore) => EventStore;
  defaultRegion?: string;
}

export async function startInProcessGateway(options: InProcessGatewayOptions = {}): Promise<InProcessGateway> {
  const env = await startInProcessPipeline();
  const upstream = await startCountingUpstream();
  const gateway = new Gateway({
    identity: env.stores.identity,
    events: options.events?.(env.stores.events) ?? env.stores.events,
    bucketOwners: env.stores.bucketOwners,
    clock: env.clock,
    logger: pino({ level: 'silent' }),
    upstreams: new Map([['s3', new UpstreamClient({ url: upstream.url, credentials: { accessKeyId: 'up', secretAccessKey: 'up' } }, async () => Promise.reject(new Error('unused')))]]),
    models: gatewayModels,
    s3Domains: ['localhost'],
    authFailures: new AuthFailureLimiter(10),
    bufferedBodyLimit: 1024 * 1024,
    ...(options.defaultRegion !== undefined && { defaultRegion: options.defaultRegion }),
  });
  const limits = { maxBodyBytes: 1024, maxHeaderBytes: 16 * 1024, headersTimeoutSeconds: 10, requestTimeoutSeconds: 30 };
  const adapter = nodeHttpAdapter(async () => Promise.reject(new Error('only gateway calls here')), limits, () => undefined, gateway);
  const server: Server = createServer(adapter.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    env,
    upstream,
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await upstream.close();
      await env.close();
    },
  };
}
