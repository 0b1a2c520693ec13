/**
 * A trail with log file validation whose files sit in a real S3 API (moto), for tests and
 * benchmarks of `validate-logs`: an OpenTrail server delivers and signs with short periods,
 * some activity spans several digest periods, logging stops, and once the final digest is in
 * nothing more is written. Then the bucket can be snapshotted, tampered with and restored, and
 * both validators run against it:
 *
 *   const data = await buildDigestDataset({ digestIntervalSeconds: 2, activitySeconds: 10 });
 *   await data.snapshot(); ... tamper through data.s3 ...; data.ours([...]); data.stock([...]);
 *   await data.restore();  // the bucket as snapshotted
 *   await data.stop();
 */
import { CloudTrailClient, CreateTrailCommand, LookupEventsCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startMoto } from './moto.js';
import type { MotoServer } from './moto.js';
import { BIN, removeDir, startServer } from './server-process.js';
import type { ServerProcess } from './server-process.js';

export interface StoredCopy {
  body: Buffer;
  metadata: Record<string, string>;
}

export interface DatasetOptions {
  accountId?: string;
  trailName?: string;
  bucket?: string;
  digestIntervalSeconds: number;
  /** Seconds of API calls (each one an event the trail delivers). */
  activitySeconds: number;
  /** API calls in flight at once during the activity (default 1, about 10 calls a second each). */
  parallelCalls?: number;
  /** The server's data directory (default: a temporary one, removed by stop()). */
  dataDir?: string;
}

export interface DigestDataset {
  readonly moto: MotoServer;
  readonly server: ServerProcess;
  /** An S3 client on moto, to tamper with. */
  readonly s3: S3Client;
  readonly bucket: string;
  readonly accountId: string;
  readonly trailArn: string;
  /** A minute before the trail was created: a --start-time that covers everything. */
  readonly startTime: Date;
  /** What snapshot() saw, by key (sorted). */
  readonly objects: Map<string, StoredCopy>;
  /** Digest keys and log file keys of the snapshot, oldest first. */
  digestKeys(): string[];
  logKeys(): string[];
  /** Saves every object of the bucket (bytes and user metadata). */
  snapshot(): Promise<void>;
  /** Deletes every object and puts the snapshot back. */
  restore(): Promise<void>;
  put(key: string, body: Buffer, metadata?: Record<string, string>): Promise<void>;
  delete(key: string): Promise<void>;
  /** `opentrail validate-logs` (the compiled CLI) against the server and moto; killed after `timeoutMs` (default 120 s). */
  ours(args: readonly string[], timeoutMs?: number): Promise<RunResult>;
  /** The stock `aws cloudtrail validate-logs` against the same; killed after `timeoutMs` (default 300 s). */
  stock(args: readonly string[], timeoutMs?: number): Promise<RunResult>;
  /** Stops the server and moto, and removes the server's data directory unless the caller gave it. */
  stop(): Promise<void>;
}

export interface RunResult {
  /** Null when it was killed (timeout). */
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without blocking the event loop: moto's stderr is a pipe this process drains,
 * and a spawnSync would let it fill up until moto blocks on its request log and stops answering.
 */
async function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function listAll(s3: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ...(token !== undefined && { ContinuationToken: token }) }));
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys.sort();
}

/** Waits until the bucket's listing has not changed for `quietMs` (the final digest is in). */
async function settle(s3: S3Client, bucket: string, quietMs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let since = Date.now();
  for (;;) {
    const now = (await listAll(s3, bucket)).join('\n');
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
    if (Date.now() > deadline) throw new Error(`bucket ${bucket} kept changing for ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** A digest whose previous pointer names its own key: an earlier digest at that key was overwritten. */
async function overwrittenDigest(s3: S3Client, bucket: string): Promise<string | undefined> {
  for (const key of await listAll(s3, bucket)) {
    if (!key.includes('/CloudTrail-Digest/')) continue;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const digest = JSON.parse(gunzipSync(await object.Body!.transformToByteArray()).toString()) as { previousDigestS3Object: string | null };
    if (digest.previousDigestS3Object === key) return key;
  }
  return undefined;
}

/**
 * Builds the dataset, again (up to 3 times) when the server overwrote a digest: digest keys keep
 * the end time to the second, so with 1-2 s periods the final digest after StopLogging can land
 * in the same second as the last periodic one and replace it (a server limitation, reported;
 * the stock CLI then follows the self-pointer forever).
 */
export async function buildDigestDataset(options: DatasetOptions): Promise<DigestDataset> {
  for (let attempt = 1; ; attempt++) {
    const dataDir = options.dataDir === undefined ? undefined : join(options.dataDir, `attempt-${attempt}`);
    if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
    const built = await buildOnce({ ...options, ...(dataDir !== undefined && { dataDir }) });
    const overwritten = await overwrittenDigest(built.s3, built.bucket);
    if (overwritten === undefined) return built;
    await built.stop();
    if (attempt === 3) throw new Error(`the server overwrote a digest in 3 attempts out of 3 (last: ${overwritten})`);
  }
}

async function buildOnce(options: DatasetOptions): Promise<DigestDataset> {
  const accountId = options.accountId ?? '111122223333';
  const trailName = options.trailName ?? 'validated';
  const bucket = options.bucket ?? 'validated-trail';
  const trailArn = `arn:aws:cloudtrail:us-east-1:${accountId}:trail/${trailName}`;
  const moto = await startMoto();
  let server: ServerProcess | undefined;
  const s3 = new S3Client(moto.clientConfig);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    server = await startServer({
      ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
      accountId,
      args: ['--delivery-interval', '1', '--digest-interval', String(options.digestIntervalSeconds), '--object-store', 's3:'],
      env: { ...moto.env, OPENTRAIL_LOG_LEVEL: 'error' },
    });
    const client = new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey }, maxAttempts: 1 });
    const startTime = new Date(Date.now() - 60_000);
    try {
      await client.send(new CreateTrailCommand({ Name: trailName, S3BucketName: bucket, EnableLogFileValidation: true }));
      await client.send(new StartLoggingCommand({ Name: trailName }));
      const until = Date.now() + options.activitySeconds * 1000;
      await Promise.all(
        Array.from({ length: options.parallelCalls ?? 1 }, async () => {
          while (Date.now() < until) {
            await client.send(new LookupEventsCommand({ MaxResults: 1 }));
            await sleep(100);
          }
        }),
      );
      await client.send(new StopLoggingCommand({ Name: trailName }));
    } finally {
      client.destroy();
    }
    await settle(s3, bucket, Math.max(4000, 3 * options.digestIntervalSeconds * 1000), 60_000);
    return dataset({ moto, server, s3, bucket, accountId, trailArn, startTime, ownsDataDir: options.dataDir === undefined });
  } catch (error) {
    s3.destroy();
    await server?.stop();
    if (server !== undefined && options.dataDir === undefined) removeDir(server.dataDir);
    await moto.stop();
    throw error;
  }
}

/**
 * Runs both validators against a server (DescribeTrails, ListPublicKeys) and moto (the files):
 * ours as the compiled CLI, the stock one as `aws` with the server's credentials file.
 */
export function validatorRunners(parts: { server: ServerProcess; moto: MotoServer; trailArn: string }): Pick<DigestDataset, 'ours' | 'stock'> {
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  return {
    async ours(args: readonly string[], timeoutMs = 120_000) {
      return run(
        process.execPath,
        [BIN, 'validate-logs', '--endpoint-url', parts.server.url, '--object-store', 's3:', '--trail-arn', parts.trailArn, ...args],
        {
          ...env,
          AWS_ACCESS_KEY_ID: parts.server.accessKeyId,
          AWS_SECRET_ACCESS_KEY: parts.server.secretAccessKey,
          AWS_ENDPOINT_URL_S3: parts.moto.url,
          AWS_REGION: 'us-east-1',
          AWS_CONFIG_FILE: join(parts.server.dataDir, 'no-such-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(parts.server.dataDir, 'no-such-credentials'),
        },
        timeoutMs,
      );
    },
    async stock(args: readonly string[], timeoutMs = 300_000) {
      return run(
        'aws',
        ['--profile', 'opentrail', '--region', 'us-east-1', 'cloudtrail', 'validate-logs', '--endpoint-url', parts.server.url, '--trail-arn', parts.trailArn, ...args],
        {
          ...env,
          AWS_SHARED_CREDENTIALS_FILE: join(parts.server.dataDir, 'credentials'),
          AWS_CONFIG_FILE: join(parts.server.dataDir, 'no-such-config'),
          AWS_ENDPOINT_URL_S3: parts.moto.url,
          AWS_PROFILE: '',
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
        },
        timeoutMs,
      );
    }
  };
}

interface Parts {
  moto: MotoServer;
  server: ServerProcess;
  s3: S3Client;
  bucket: string;
  accountId: string;
  trailArn: string;
  startTime: Date;
  ownsDataDir: boolean;
}

function dataset({ ownsDataDir, ...p }: Parts): DigestDataset {
  const { moto, server, s3, bucket } = p;
  const objects = new Map<string, StoredCopy>();
  const keysOf = (kind: string) => [...objects.keys()].filter((key) => key.includes(`/${kind}/`)).sort();
  const put = async (key: string, body: Buffer, metadata: Record<string, string> = {}) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: metadata }));
  };
  const del = async (key: string) => {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  };
  const runners = validatorRunners({ server, moto, trailArn: p.trailArn });
  return {
    ...p,
    objects,
    digestKeys: () => keysOf('CloudTrail-Digest'),
    logKeys: () => keysOf('CloudTrail'),
    async snapshot() {
      objects.clear();
      for (const key of await listAll(s3, bucket)) {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        objects.set(key, { body: Buffer.from(await object.Body!.transformToByteArray()), metadata: { ...object.Metadata } });
      }
    },
    async restore() {
      await Promise.all((await listAll(s3, bucket)).map(del));
      await Promise.all([...objects].map(async ([key, copy]) => put(key, copy.body, copy.metadata)));
    },
    put,
    delete: del,
    ...runners,
    async stop() {
      s3.destroy();
      await server.stop();
      if (ownsDataDir) removeDir(server.dataDir);
      await moto.stop();
    },
  };
}
