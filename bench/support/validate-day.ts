/**
 * A day of a trail with log file validation in a real S3 API (moto), for the validate-logs
 * benchmark: ./validate-day-files.ts builds the log files and 24 hourly digests of yesterday
 * (UTC), signed with a key put into an OpenTrail data directory's key ring beforehand; then an
 * OpenTrail server runs on that directory with the trail (created, never started, so it writes
 * nothing itself) and answers DescribeTrails and ListPublicKeys for both validators.
 *
 *   const day = await buildValidateDay({ dataDir, logFiles: 2016 });
 *   await day.ours(['--start-time', ...]); await day.stock([...]);
 *   await day.stop();
 */
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync } from 'node:fs';
import pLimit from 'p-limit';
import { loadConfig } from '../../src/config/config.js';
import { SigningKeyRing } from '../../src/integrity/keys/index.js';
import type { SigningKey } from '../../src/integrity/keys/index.js';
import { FileObjectStore, fileStoreRoot } from '../../src/objects/file-object-store.js';
import { openStores } from '../../src/server/open-stores.js';
import { validatorRunners } from '../../test/support/digest-fixture.js';
import type { DigestDataset } from '../../test/support/digest-fixture.js';
import { startMoto } from '../../test/support/moto.js';
import type { MotoServer } from '../../test/support/moto.js';
import { startServer } from '../../test/support/server-process.js';
import type { ServerProcess } from '../../test/support/server-process.js';
import { BENCH_ACCOUNT } from './synthetic.js';
import { buildDayFiles, DAY } from './validate-day-files.js';
import type { DayObject } from './validate-day-files.js';

const HOUR = 3_600_000;
const REGION = 'us-east-1';

export interface ValidateDayOptions {
  /** The server's data directory (kept; the caller removes it). */
  dataDir: string;
  /** Log files in the day (default 2016: 84 per hourly digest). */
  logFiles?: number;
  bucket?: string;
  trailName?: string;
}

export interface ValidateDay extends Pick<DigestDataset, 'ours' | 'stock'> {
  readonly moto: MotoServer;
  readonly server: ServerProcess;
  readonly bucket: string;
  readonly trailArn: string;
  /** 00:00 and 24:00 UTC of the day: the range both validators are given. */
  readonly startTime: Date;
  readonly endTime: Date;
  readonly logFiles: number;
  readonly digests: number;
  readonly records: number;
  /** Milliseconds spent building and uploading the day. */
  readonly buildMs: number;
  /** Puts the same objects (bytes and metadata) into a file: store under `dataDir`. */
  copyTo(dataDir: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Puts a signing key valid from an hour before the day into the data directory's key ring, as
 * the server would have created it then (same rotation policy as the server's configuration),
 * and returns it opened.
 */
async function seedSigningKey(dataDir: string, dayStartMs: number): Promise<SigningKey> {
  const config = loadConfig({ dataDir }, {});
  const lifetimeMs = config.signingKeyLifetime * 1000;
  const stores = await openStores(config, { now: () => Date.now() }, { warn: () => undefined });
  try {
    const then = { now: () => dayStartMs - HOUR };
    const ring = new SigningKeyRing({ store: stores.signingKeys, box: stores.secretBox, clock: then, policy: { lifetimeMs, overlapMs: Math.floor(lifetimeMs / 3) } });
    return await ring.current(REGION, dayStartMs);
  } finally {
    await stores.close();
  }
}

async function putAll(s3: S3Client, bucket: string, objects: readonly DayObject[]): Promise<void> {
  // moto answers one request at a time per thread; a few in flight keep it busy without a queue.
  const limit = pLimit(8);
  await Promise.all(objects.map(async (o) => limit(async () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: o.body, Metadata: o.metadata })))));
}

export async function buildValidateDay(options: ValidateDayOptions): Promise<ValidateDay> {
  const started = performance.now();
  const bucket = options.bucket ?? 'bench-validate-day';
  const trailName = options.trailName ?? 'validated-day';
  const accountId = BENCH_ACCOUNT;
  const trailArn = `arn:aws:cloudtrail:${REGION}:${accountId}:trail/${trailName}`;
  // Yesterday (UTC): a whole day that has ended, so the default --end-time (now) covers it too.
  const dayStartMs = Math.floor(Date.now() / DAY) * DAY - DAY;
  mkdirSync(options.dataDir, { recursive: true });
  const signingKey = await seedSigningKey(options.dataDir, dayStartMs);
  const files = buildDayFiles({ accountId, region: REGION, trailName, bucket, dayStartMs, logFiles: options.logFiles ?? 2016, signingKey });

  const moto = await startMoto();
  const s3 = new S3Client(moto.clientConfig);
  let server: ServerProcess | undefined;
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    server = await startServer({ dataDir: options.dataDir, accountId, args: ['--object-store', 's3:'], env: { ...moto.env, OPENTRAIL_LOG_LEVEL: 'error' } });
    const client = new CloudTrailClient({ endpoint: server.url, region: REGION, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey }, maxAttempts: 1 });
    try {
      await client.send(new CreateTrailCommand({ Name: trailName, S3BucketName: bucket, EnableLogFileValidation: true }));
    } finally {
      client.destroy();
    }
    await putAll(s3, bucket, [...files.logs, ...files.digests]);
  } catch (error) {
    s3.destroy();
    await server?.stop();
    await moto.stop();
    throw error;
  }
  const running = server;
  return {
    ...validatorRunners({ server: running, moto, trailArn }),
    moto,
    server: running,
    bucket,
    trailArn,
    startTime: new Date(dayStartMs),
    endTime: new Date(dayStartMs + DAY),
    logFiles: files.logs.length,
    digests: files.digests.length,
    records: files.records,
    buildMs: performance.now() - started,
    async copyTo(dataDir) {
      const copy = new FileObjectStore({ root: fileStoreRoot(dataDir) });
      await copy.createBucket(bucket);
      for (const o of [...files.logs, ...files.digests]) await copy.putObject({ bucket, key: o.key, body: o.body, metadata: o.metadata });
    },
    async stop() {
      s3.destroy();
      await running.stop();
      await moto.stop();
    },
  };
}
