/**
 * Two `opentrail serve` processes on one PostgreSQL database and one S3 API (moto), as a
 * deployment behind a load balancer would run them. Both start at once on the empty database
 * (one bootstraps, the other finds its account), events are ingested through both, and the node
 * running delivery is killed with SIGKILL in the middle. The other node takes its leases over
 * and carries on from the stored cursors. Afterwards every acknowledged event is in the history
 * once and in the delivered log files once, and `opentrail validate-logs` validates the chain.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { CreateChannelCommand, CreateTrailCommand, GetTrailStatusCommand, LookupEventsCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, eventData, putAuditEvents } from '../support/audit-events.js';
import type { PutAuditEventsOutput } from '../support/audit-events.js';
import { cloudTrailClient } from '../support/clients.js';
import { LOG_FILE_KEY, eventually, logFileRecords } from '../support/log-files.js';
import { motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { BIN, removeDir, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const ready = (await postgresAvailable()) && motoAvailable();
const BUCKET = 'two-nodes';
const KEY = { accessKeyId: 'AKIATWONODESTEST0001', secretAccessKey: 'two-nodes-secret-0123456789abcdefghijk' };
const BATCHES_BEFORE_KILL = 8;
const BATCHES_AFTER_KILL = 8;
const EVENTS_PER_BATCH = 25;

let moto: MotoServer;
let database: { url: string; drop(): Promise<void> };
let nodes: ServerProcess[] = [];
let s3: S3Client;
const startedAt = new Date(Date.now() - 60_000);

async function listKeys(): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ...(token !== undefined && { ContinuationToken: token }) }));
    for (const object of page.Contents ?? []) keys.push(object.Key!);
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys;
}

async function objectBytes(key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

/** Every record delivered to the bucket, and the log files the digests there cover. */
async function bucketContents(): Promise<{ eventIds: string[]; logFiles: string[]; digested: Set<string> }> {
  const keys = await listKeys();
  const logFiles = keys.filter((k) => LOG_FILE_KEY.test(k));
  const eventIds = (await Promise.all(logFiles.map(async (k) => logFileRecords(await objectBytes(k))))).flat().map((r) => r.eventID as string);
  const digested = new Set<string>();
  for (const key of keys.filter((k) => k.includes('/CloudTrail-Digest/'))) {
    const digest = JSON.parse(gunzipSync(await objectBytes(key)).toString('utf8')) as { logFiles: { s3Object: string }[] };
    for (const file of digest.logFiles) digested.add(file.s3Object);
  }
  return { eventIds, logFiles, digested };
}

async function leaseHolder(name: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const rows = await client.query<{ holder: string }>('SELECT holder FROM leases WHERE name = $1 AND expires_at > (extract(epoch FROM clock_timestamp()) * 1000)', [name]);
    return rows.rows[0]?.holder;
  } finally {
    await client.end();
  }
}

/** Sends batches through one node; answers the eventIDs it acknowledged (200 and listed as successful). */
async function ingest(node: ServerProcess, channelArn: string, prefix: string, batches: number, acknowledged: Set<string>): Promise<void> {
  for (let b = 0; b < batches; b++) {
    const events = Array.from({ length: EVENTS_PER_BATCH }, (_, e) => auditEvent(`${prefix}-${b}-${e}`, eventData({ UID: `${prefix}-${b}-${e}` })));
    let response;
    try {
      response = await putAuditEvents(node.url, KEY, channelArn, events);
    } catch {
      return; // the node is gone: what it did not answer was not acknowledged
    }
    if (response.status !== 200) continue;
    for (const ok of (response.json() as unknown as PutAuditEventsOutput).successful) acknowledged.add(ok.eventID);
  }
}

async function historyEventIds(client: CloudTrailClient): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new LookupEventsCommand({ StartTime: startedAt, MaxResults: 50, ...(token !== undefined && { NextToken: token }) }));
    ids.push(...(page.Events ?? []).map((e) => e.EventId!));
    token = page.NextToken;
  } while (token !== undefined);
  return ids;
}

async function validateLogs(node: ServerProcess, trailArn: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'validate-logs', '--endpoint-url', node.url, '--object-store', 's3:', '--trail-arn', trailArn, '--start-time', startedAt.toISOString(), '--verbose'],
      {
        env: { ...process.env, ...moto.env, AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey, AWS_ENDPOINT_URL_S3: moto.url, AWS_REGION: 'us-east-1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

beforeAll(async () => {
  if (!ready) return;
  moto = await startMoto();
  s3 = new S3Client(moto.clientConfig);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  database = await createTestDatabase();
  const env = {
    ...moto.env,
    OPENTRAIL_STORE: database.url,
    OPENTRAIL_MASTER_KEY: randomBytes(32).toString('base64'),
    OPENTRAIL_LEASE_SECONDS: '3',
  };
  const args = ['--object-store', 's3:', '--delivery-interval', '1', '--digest-interval', '2'];
  // Together, on the empty database: the first start is made once.
  nodes = await Promise.all([startServer({ ...KEY, args, env }), startServer({ ...KEY, args, env })]);
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  for (const node of nodes) {
    await node.stop().catch(() => undefined);
    removeDir(node.dataDir);
  }
  await moto?.stop();
  await database?.drop();
});

describe.skipIf(!ready)('two nodes over one PostgreSQL database and one S3 API', () => {
  it('loses and repeats nothing acknowledged when the node running delivery is killed mid-ingest', async () => {
    const [first, second] = nodes as [ServerProcess, ServerProcess];
    const clients = nodes.map((node) => cloudTrailClient(node));
    const trail = await clients[0]!.send(new CreateTrailCommand({ Name: 'shared', S3BucketName: BUCKET, EnableLogFileValidation: true }));
    await clients[1]!.send(new StartLoggingCommand({ Name: 'shared' }));
    const channelArn = (await clients[1]!.send(new CreateChannelCommand({ Name: 'feed', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds' }] })))
      .ChannelArn!;

    const acknowledged = new Set<string>();
    await Promise.all([ingest(first, channelArn, 'a', BATCHES_BEFORE_KILL, acknowledged), ingest(second, channelArn, 'b', BATCHES_BEFORE_KILL, acknowledged)]);
    // Both nodes take part: the delivery lease is held by one of them; that one dies.
    const holder = await eventually(async () => leaseHolder('worker:delivery'), 30_000, 'a node holding the delivery lease');
    const doomed = nodes.find((node) => holder.includes(`:${node.process.pid}:`))!;
    expect(doomed, holder).toBeDefined();
    const survivor = doomed === first ? second : first;
    const survivorClient = clients[nodes.indexOf(survivor)]!;
    const killedDuring = Promise.all([ingest(doomed, channelArn, 'doomed', BATCHES_AFTER_KILL, acknowledged), ingest(survivor, channelArn, 'kept', BATCHES_AFTER_KILL, acknowledged)]);
    await doomed.kill();
    await killedDuring;
    await ingest(survivor, channelArn, 'after', BATCHES_AFTER_KILL, acknowledged);
    const survivorPid = survivor.process.pid;
    await eventually(async () => ((await leaseHolder('worker:delivery'))?.includes(`:${survivorPid}:`) === true ? true : undefined), 30_000, 'the survivor taking delivery over');

    // In the history once each.
    const history = await historyEventIds(survivorClient);
    const counts = new Map<string, number>();
    for (const id of history) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...acknowledged].filter((id) => counts.get(id) !== 1)).toEqual([]);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);

    // In the delivered files once each, and the chain closes over every file after StopLogging.
    await survivorClient.send(new StopLoggingCommand({ Name: 'shared' }));
    let progress = '';
    const delivered = await eventually(
      async () => {
        const contents = await bucketContents();
        const ids = new Set(contents.eventIds);
        const undelivered = [...acknowledged].filter((id) => !ids.has(id)).length;
        const undigested = contents.logFiles.filter((file) => !contents.digested.has(file)).length;
        progress = `${undelivered} of ${acknowledged.size} acknowledged events not delivered, ${undigested} of ${contents.logFiles.length} log files in no digest`;
        return undelivered === 0 && undigested === 0 ? contents : undefined;
      },
      90_000,
      'every acknowledged event delivered and digested',
    ).catch(async (error: unknown) => {
      const notes = survivor
        .output()
        .split('\n')
        .filter((line) => !line.includes('UnsupportedOnPostgresError'))
        .slice(-40)
        .join('\n');
      const keys = (await listKeys()).join('\n');
      const status = JSON.stringify(await survivorClient.send(new GetTrailStatusCommand({ Name: 'shared' })));
      throw new Error(`${(error as Error).message}: ${progress}\n${keys}\n${status}\n${notes}`);
    });
    expect(delivered.eventIds.length).toBe(new Set(delivered.eventIds).size);
    expect(acknowledged.size).toBeGreaterThan(EVENTS_PER_BATCH * BATCHES_BEFORE_KILL * 2);

    const validation = await validateLogs(survivor, trail.TrailARN!);
    expect(validation.output).toMatch(/digest files? valid/);
    expect(validation.output).not.toMatch(/INVALID/);
    expect(validation.status, validation.output).toBe(0);
    for (const client of clients) client.destroy();
  }, 300_000);
});
