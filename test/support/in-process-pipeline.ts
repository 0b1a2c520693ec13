/**
 * The real request pipeline over real SQLite stores in a temporary data directory, driven in
 * process with a ManualClock: for tests that need time to pass (session expiry) or a peer
 * address other than loopback (aws:SourceIp). Requests are signed by the real
 * @smithy/signature-v4 at the clock's time, so the server's skew check agrees with it.
 */
import { HostedLogDestination } from '../../src/workers/cloudwatch-logs/hosted-destination.js';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest as SmithyRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { pino } from 'pino';
import type { HttpRequest, HttpResponse } from '../../src/api/http-types.js';
import { RequestPipeline } from '../../src/api/pipeline.js';
import { defaults } from '../../src/config/config.js';
import { SigningKeyRing } from '../../src/integrity/keys/index.js';
import { SnsTopicDirectory } from '../../src/notify/sns-topics.js';
import { openObjectStore } from '../../src/objects/open-object-store.js';
import { openStores } from '../../src/server/open-stores.js';
import type { Stores } from '../../src/server/open-stores.js';
import { pipelineServices } from '../../src/server/pipeline-services.js';
import { ManualClock } from './manual-clock.js';
import { removeDir, tempDataDir } from './server-process.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SendOptions {
  service: string;
  region?: string;
  /** Form body (query services) or JSON text (CloudTrail, with `target`), or bytes (CBOR). */
  body: string | Uint8Array;
  /** Request path (default `/`). */
  path?: string;
  /** Headers besides host and the signature's; they replace the default content type. */
  headers?: Record<string, string>;
  /** X-Amz-Target of a JSON 1.1 call. */
  target?: string;
  credentials: Credentials;
  /** The peer address the pipeline sees (default 127.0.0.1). */
  remoteAddress?: string;
}

export interface InProcessPipeline {
  clock: ManualClock;
  /** What the pipeline's handlers call after a commit that changed metrics or alarms. */
  pokes: { count: number };
  stores: Stores;
  dataDir: string;
  admin: Credentials;
  accountId: string;
  send(options: SendOptions): Promise<HttpResponse>;
  close(): Promise<void>;
}

const ACCOUNT = '111122223333';

export async function startInProcessPipeline(startMs = Date.UTC(2026, 0, 15, 10, 0, 0)): Promise<InProcessPipeline> {
  const dataDir = tempDataDir();
  const config = { ...defaults, dataDir };
  const clock = new ManualClock(startMs);
  const stores = await openStores(config, clock);
  const key = await stores.identity.bootstrap({ accountId: ACCOUNT });
  if (key === undefined) throw new Error('bootstrap created no key');
  const logger = pino({ level: 'silent' });
  const pokes = { count: 0 };
  const pipeline = new RequestPipeline(
    pipelineServices(stores, {
      objects: openObjectStore(config.objectStore, { dataDir, secretBox: stores.secretBox }),
      topics: new SnsTopicDirectory(),
      logGroups: new HostedLogDestination(stores.logs, clock),
      keyRing: new SigningKeyRing({ store: stores.signingKeys, box: stores.secretBox, clock, policy: { lifetimeMs: 86_400_000, overlapMs: 3_600_000 } }),
      finishTrail: async () => undefined,
      clock,
      retentionDays: config.retentionDays,
      pokeAlarms: () => {
        pokes.count += 1;
      },
    }),
    { defaultRegion: 'us-east-1', logger },
  );

  return {
    clock,
    pokes,
    stores,
    dataDir,
    accountId: ACCOUNT,
    admin: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    async send(options) {
      const region = options.region ?? 'us-east-1';
      const json = options.target !== undefined;
      const unsigned = new SmithyRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 4747,
        path: options.path ?? '/',
        headers: {
          host: '127.0.0.1:4747',
          ...(options.headers ?? { 'content-type': json ? 'application/x-amz-json-1.1' : 'application/x-www-form-urlencoded; charset=utf-8' }),
          ...(json && { 'x-amz-target': options.target! }),
        },
        body: options.body,
      });
      const signer = new SignatureV4({ service: options.service, region, credentials: options.credentials, sha256: Sha256 });
      const signed = await signer.sign(unsigned, { signingDate: new Date(clock.now()) });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
      const request: HttpRequest = {
        method: 'POST',
        path: options.path ?? '/',
        query: '',
        headers,
        body: Buffer.from(options.body),
        remoteAddress: options.remoteAddress ?? '127.0.0.1',
      };
      return pipeline.handle(request);
    },
    async close() {
      await stores.close();
      removeDir(dataDir);
    },
  };
}
