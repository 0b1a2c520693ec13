/**
 * The gateway killed with SIGKILL during a burst of proxied PutObject calls: after a restart on
 * the same data directory, every PutObject whose 200 a client saw is in the trail's delivered
 * log files (data events are not in LookupEvents), with the request id the client got; the
 * calls journaled but not recorded at the kill are recorded at the restart as OutcomeUnknown
 * (there may be none in a run); and no call is recorded twice.
 *
 * The upstream is the bench's fast in-memory S3 (bench/support/s3-upstream.ts), in this test
 * process, so it lives on across the server's restart.
 */
import { CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import Database from 'better-sqlite3';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sendS3, signS3 } from '../../bench/support/s3-calls.js';
import { startFastS3Upstream } from '../../bench/support/s3-upstream.js';
import type { FastS3Upstream } from '../../bench/support/s3-upstream.js';
import { runAdminCli } from '../support/admin-cli.js';
import { cloudTrailClient } from '../support/clients.js';
import { isConnectionError } from '../support/connection-errors.js';
import { bucketKeys, eventually, readLogFile } from '../support/log-files.js';
import { removeDir, startServer, tempDataDir } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const dataDir = tempDataDir();
const KEY = { accessKeyId: 'AKIAGATEWAYCRASH0001', secretAccessKey: 'gateway-crash-secret-0123456789abcdefg' };
const UPSTREAM_ENV = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };
const BUCKET = 'crash';
const CLIENTS = 16;

let upstream: FastS3Upstream | undefined;
let running: ServerProcess | undefined;
afterAll(async () => {
  await running?.kill();
  await upstream?.stop();
  removeDir(dataDir);
});

type Record = { [field: string]: unknown };

async function start(upstreamUrl: string): Promise<ServerProcess> {
  running = await startServer({ dataDir, ...KEY, args: ['--upstream', `s3=${upstreamUrl}`, '--delivery-interval', '1'], env: UPSTREAM_ENV });
  return running;
}

/** Every PutObject record of the bucket in the trail's delivered log files. */
function deliveredPuts(): Record[] {
  const dir = join(dataDir, 'buckets', 'audit');
  return bucketKeys(dir)
    .filter((key) => key.endsWith('.json.gz') && key.includes('/CloudTrail/'))
    .flatMap((key) => readLogFile(dir, key))
    .filter((r) => r.eventName === 'PutObject' && (r.requestParameters as Record | undefined)?.bucketName === BUCKET);
}

/** How many PutObject events of the bucket the event log holds (read-only, beside the running server). */
function storedPutCount(): number {
  const db = new Database(join(dataDir, 'opentrail.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`SELECT record FROM events WHERE event_name = 'PutObject'`).all() as { record: string }[];
    return rows.filter((row) => ((JSON.parse(row.record) as Record).requestParameters as Record | undefined)?.bucketName === BUCKET).length;
  } finally {
    db.close();
  }
}

const keyOf = (record: Record): string => String((record.requestParameters as Record).key);

describe('gateway crash safety', () => {
  it('records every acknowledged PutObject, and the ones in flight as OutcomeUnknown, across kill -9', async () => {
    upstream = await startFastS3Upstream('memory');
    const first = await start(upstream.url);
    runAdminCli(dataDir, 'buckets', 'create', 'audit');
    const trails = cloudTrailClient(first);
    await trails.send(new CreateTrailCommand({ Name: 'objects', S3BucketName: 'audit' }));
    await trails.send(
      new PutEventSelectorsCommand({
        TrailName: 'objects',
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: [`arn:aws:s3:::${BUCKET}/`] }] }],
      }),
    );
    await trails.send(new StartLoggingCommand({ Name: 'objects' }));
    trails.destroy();

    const gateway = { url: first.url, credentials: KEY };
    const acknowledged = new Map<string, string>(); // key → the request id the client got
    const attempted = new Set<string>();
    let stop = false;
    let killing = false;
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const body = Buffer.alloc(512, 0x63);
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; !stop; i++) {
        const key = `c${c}/k${i}`;
        const call = await signS3(gateway, 'PUT', `/${BUCKET}/${key}`, body);
        attempted.add(key);
        let answer;
        try {
          answer = await sendS3(first.url, call, agent);
        } catch (error) {
          // Only a connection lost to the kill is tolerated.
          if (!killing || !isConnectionError(error)) throw error;
          return;
        }
        if (killing && answer.status !== 200) return; // the server went down mid-answer
        expect(answer.status, answer.body.toString('utf8')).toBe(200);
        acknowledged.set(key, String(answer.headers['x-amz-request-id']));
      }
    });
    const deadline = Date.now() + 20_000;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    while (acknowledged.size < 50 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    killing = true;
    await first.kill();
    stop = true;
    await Promise.all(clients);
    agent.destroy();
    expect(acknowledged.size).toBeGreaterThan(0);
    const unanswered = [...attempted].filter((key) => !acknowledged.has(key));

    const second = await start(upstream.url);
    // Everything the event log holds for the bucket gets delivered (the recovered calls too).
    const stored = storedPutCount();
    const delivered = await eventually(() => {
      const records = deliveredPuts();
      return records.length >= stored ? records : undefined;
    }, 60_000, `${stored} PutObject records delivered`);

    // Every acknowledged call: recorded, successful, with the request id its client got.
    const byKey = new Map<string, Record[]>();
    for (const record of delivered) byKey.set(keyOf(record), [...(byKey.get(keyOf(record)) ?? []), record]);
    const missing = [...acknowledged].filter(([key, requestId]) => !byKey.get(key)?.some((r) => r.errorCode === undefined && r.requestID === requestId));
    expect(missing).toEqual([]);

    // No call twice: by event id, by request id, and (each key was put once) by key.
    const eventIds = delivered.map((r) => r.eventID);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    const requestIds = delivered.map((r) => r.requestID);
    expect(new Set(requestIds).size).toBe(requestIds.length);
    expect([...byKey].filter(([, records]) => records.length > 1)).toEqual([]);

    // The calls journaled but not recorded at the kill: recorded now as of unknown outcome,
    // each one a call its client never saw answered.
    const unknown = delivered.filter((r) => r.errorCode === 'OutcomeUnknown');
    expect(unknown.map(keyOf).filter((key) => acknowledged.has(key))).toEqual([]);
    expect(unknown.map(keyOf).every((key) => unanswered.includes(key))).toBe(true);
    const logged = /"calls":(\d+)[^\n]*recorded forwarded calls whose outcome/.exec(second.output());
    expect(Number(logged?.[1] ?? 0)).toBe(unknown.length);
    // Calls the upstream stored but whose answer the client never got are recorded too (either way).
    const storedUpstream = [...upstream.received.keys()].map((path) => path.slice(BUCKET.length + 2));
    const unrecorded = storedUpstream.filter((key) => !byKey.has(key));
    expect(unrecorded).toEqual([]);
    console.log(
      `gateway crash: ${attempted.size} PutObject sent, ${acknowledged.size} acknowledged, ${unanswered.length} unanswered at the kill; ` +
        `${delivered.length} delivered records, ${unknown.length} recovered as OutcomeUnknown, ${storedUpstream.length} objects at the upstream`,
    );
    expect(await second.stop()).toBe(0);
    running = undefined;
  }, 120_000);
});
