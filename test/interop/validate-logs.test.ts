/**
 * The stock `aws cloudtrail validate-logs` accepts OpenTrail's digest chain: OpenTrail answers
 * DescribeTrails and ListPublicKeys, a moto server holds the bucket. The chain spans several
 * digest periods, an empty period, a signing key rotation and a StopLogging/StartLogging gap.
 */
import { CreateTrailCommand, LookupEventsCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudTrailClient } from '../support/clients.js';
import { motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';
import { awsCliAvailable } from '../support/peers.js';
import { startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const hasAwsCli = awsCliAvailable();
const hasMoto = motoAvailable();
const BUCKET = 'validated-trail';
const ACCOUNT = '111122223333';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/validated`;

let moto: MotoServer;
let server: ServerProcess;
let client: CloudTrailClient;
let s3: S3Client;
let startedAt: Date;

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function activity(seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    await sleep(100);
  }
}

async function digestKeys(): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `AWSLogs/${ACCOUNT}/CloudTrail-Digest/` }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

export function validateLogs(server: ServerProcess, moto: MotoServer, args: string[]) {
  return spawnSync(
    'aws',
    ['--profile', 'opentrail', '--region', 'us-east-1', 'cloudtrail', 'validate-logs', '--endpoint-url', server.url, '--trail-arn', TRAIL_ARN, ...args],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_SHARED_CREDENTIALS_FILE: join(server.dataDir, 'credentials'),
        AWS_CONFIG_FILE: join(server.dataDir, 'no-such-config'),
        AWS_ENDPOINT_URL_S3: moto.url,
        AWS_PROFILE: '',
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
      },
      timeout: 120_000,
    },
  );
}

beforeAll(async () => {
  if (!hasAwsCli || !hasMoto) return;
  moto = await startMoto();
  s3 = new S3Client(moto.clientConfig);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  server = await startServer({
    accountId: ACCOUNT,
    args: ['--delivery-interval', '1', '--digest-interval', '2', '--object-store', 's3:'],
    env: { ...moto.env, OPENTRAIL_SIGNING_KEY_LIFETIME: '6' },
  });
  client = cloudTrailClient(server);
  startedAt = new Date(Date.now() - 60_000);
  await client.send(new CreateTrailCommand({ Name: 'validated', S3BucketName: BUCKET, EnableLogFileValidation: true }));
  await client.send(new StartLoggingCommand({ Name: 'validated' }));
  await activity(5);
  await sleep(4500); // a period without any log file: an empty digest
  await activity(3);
  await client.send(new StopLoggingCommand({ Name: 'validated' }));
  await sleep(4000); // the gap, and the final digest of the first chain
  await client.send(new StartLoggingCommand({ Name: 'validated' }));
  await activity(5);
  await sleep(4000);
}, 120_000);

afterAll(async () => {
  client?.destroy();
  s3?.destroy();
  await server?.stop();
  await moto?.stop();
});

describe.skipIf(!hasAwsCli || !hasMoto)('aws cloudtrail validate-logs', () => {
  it('validates the whole chain: several periods, an empty one, key rotation and a logging gap', async () => {
    const keys = await digestKeys();
    expect(keys.length).toBeGreaterThanOrEqual(6);
    const digests = await Promise.all(
      keys.map(async (Key) => {
        const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
        expect(object.Metadata).toMatchObject({ 'signature-algorithm': 'SHA256withRSA', signature: expect.stringMatching(/^[0-9a-f]+$/) as unknown });
        return JSON.parse(gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString()) as Record<string, unknown>;
      }),
    );
    // The signing key rotated during the run (6 s keys), and both chains started with null previous*.
    expect(new Set(digests.map((d) => d.digestPublicKeyFingerprint)).size).toBeGreaterThanOrEqual(2);
    expect(digests.filter((d) => d.previousDigestSignature === null).length).toBe(2);
    expect(digests.some((d) => (d.logFiles as unknown[]).length === 0)).toBe(true);
    const result = validateLogs(server, moto, ['--start-time', startedAt.toISOString(), '--verbose']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const summary = /(\d+)\/(\d+) digest files valid/.exec(result.stdout);
    expect(summary, result.stdout).not.toBeNull();
    // Digests keep coming every 2 s, so the CLI may see more than were listed above.
    expect(Number(summary![1])).toBeGreaterThanOrEqual(keys.length);
    expect(summary![1]).toBe(summary![2]);
    expect(result.stdout).toMatch(/\d+\/\d+ log files valid/);
    expect(result.stdout).not.toContain('INVALID');
    // The stop/start gap shows as CloudTrail shows it (a notice on stderr), not as an error.
    expect(result.stderr).toContain('No log files were delivered by CloudTrail between');
    expect(result.stderr).not.toContain('INVALID');
  });
});
