/**
 * Trail delivery: (1) end-to-end latency from a PutAuditEvents call to its events being in a log
 * file visible in the bucket, at a steady offered rate; (2) log file build throughput (records →
 * JSON → gzip → SHA-256) beside `gzip -6 | sha256sum` on the same bytes, in the same run.
 */
import { CloudTrailClient, CreateChannelCommand, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { buildLogFile } from '../src/core/log-file.js';
import { BIN, startServer } from '../test/support/server-process.js';
import { bucketKeys, readLogFile } from '../test/support/log-files.js';
import { signCalls } from './support/load.js';
import type { PreparedCall } from './support/load.js';
import { ms, summarize, table } from './support/stats.js';
import { BENCH_ACCOUNT, syntheticEvents } from './support/synthetic.js';

const KEY = { accessKeyId: 'AKIABENCHDELIVERY001', secretAccessKey: 'bench-delivery-secret-0123456789abcdef' };
const EVENTS_PER_CALL = 100;

export interface DeliveryBenchOptions {
  dataDir: string;
  /** Offered events per second. */
  rate: number;
  seconds: number;
  deliveryIntervalSeconds: number;
}

function body(run: number, call: number): string {
  const auditEvents = Array.from({ length: EVENTS_PER_CALL }, (_, e) => ({
    id: `d${run}-${call}-${e}`,
    eventData: JSON.stringify({
      version: '1.0',
      userIdentity: { type: 'CustomUser', principalId: `user-${e}` },
      eventSource: 'bench.example.com',
      eventName: 'Delivered',
      eventTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      UID: `d${run}-${call}-${e}`,
    }),
  }));
  return JSON.stringify({ auditEvents });
}

async function send(url: URL, agent: Agent, call: PreparedCall): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ hostname: url.hostname, port: Number(url.port), path: call.path, method: 'POST', headers: call.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(call.body);
  });
}

async function endToEnd(options: DeliveryBenchOptions): Promise<string[]> {
  const server = await startServer({ dataDir: options.dataDir, accountId: BENCH_ACCOUNT, ...KEY, args: ['--delivery-interval', String(options.deliveryIntervalSeconds)], env: { OPENTRAIL_LOG_LEVEL: 'error' } });
  spawnSync(process.execPath, [BIN, 'buckets', 'create', 'bench-bucket', '--data-dir', options.dataDir]);
  const bucketDir = join(options.dataDir, 'buckets', 'bench-bucket');
  try {
    const admin = new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
    await admin.send(new CreateTrailCommand({ Name: 'bench-trail', S3BucketName: 'bench-bucket' }));
    await admin.send(new StartLoggingCommand({ Name: 'bench-trail' }));
    const channelArn = (await admin.send(new CreateChannelCommand({ Name: 'bench', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds' }] }))).ChannelArn!;
    admin.destroy();

    const calls = Math.round((options.rate * options.seconds) / EVENTS_PER_CALL);
    const prepared = await signCalls(server.url, KEY, channelArn, Array.from({ length: calls }, (_, i) => body(1, i)));
    const url = new URL(server.url);
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const sentAt = new Map<string, number>();
    const seenAt = new Map<string, number>();
    const seenKeys = new Set<string>();
    let failed = 0;
    const failures = new Map<string, number>();
    let watching = true;
    let deadline = Number.POSITIVE_INFINITY;
    const watcher = (async () => {
      while (watching || seenAt.size < sentAt.size) {
        for (const key of bucketKeys(bucketDir)) {
          if (seenKeys.has(key)) continue;
          seenKeys.add(key);
          const now = performance.now();
          for (const record of readLogFile(bucketDir, key)) if (!seenAt.has(record.eventID as string)) seenAt.set(record.eventID as string, now);
        }
        if (!watching && performance.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const gap = 1000 / (options.rate / EVENTS_PER_CALL);
    const start = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < prepared.length; i++) {
      const wait = start + i * gap - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const t = performance.now();
      inflight.push(
        send(url, agent, prepared[i]!).then(({ status, body: text }) => {
          if (status !== 200) {
            failed++;
            failures.set(text.slice(0, 120), (failures.get(text.slice(0, 120)) ?? 0) + 1);
            return;
          }
          for (const { eventID } of (JSON.parse(text) as { successful: { eventID: string }[] }).successful) sentAt.set(eventID, t);
        }),
      );
    }
    await Promise.all(inflight);
    const offeredSeconds = (performance.now() - start) / 1000;
    deadline = performance.now() + 30_000;
    watching = false;
    await watcher;
    agent.destroy();
    const latencies = [...sentAt].filter(([id]) => seenAt.has(id)).map(([id, t]) => seenAt.get(id)! - t);
    const summary = summarize(latencies);
    for (const [text, count] of failures) process.stderr.write(`failed calls (${count}): ${text}\n`);
    if (failed > 0) {
      const errors = server.output().split('\n').filter((line) => line.includes('"level":50'));
      process.stderr.write(`server errors (first 3 of ${errors.length}):\n${errors.slice(0, 3).join('\n')}\n`);
    }
    return [
      String(options.rate),
      (sentAt.size / offeredSeconds).toFixed(0),
      String(options.deliveryIntervalSeconds),
      `${latencies.length}/${sentAt.size}`,
      String(failed),
      ms(summary.p50),
      ms(summary.p99),
    ];
  } finally {
    await server.stop();
  }
}

function buildThroughput(): string[][] {
  const records = [...syntheticEvents(50_000, Date.now() - 3_600_000, 3_600_000)].map((e) => e.json);
  const rows: string[][] = [];
  const t0 = performance.now();
  let ours = buildLogFile(records);
  for (let i = 0; i < 4; i++) ours = buildLogFile(records);
  const oursSeconds = (performance.now() - t0) / 1000 / 5;
  const t1 = performance.now();
  for (let i = 0; i < 5; i++) execFileSync('sh', ['-c', 'gzip -6 | sha256sum'], { input: ours.json, maxBuffer: 1 << 30 });
  const shellSeconds = (performance.now() - t1) / 1000 / 5;
  const mb = ours.json.length / 1e6;
  rows.push(['OpenTrail buildLogFile (JSON → gzip → SHA-256)', `${mb.toFixed(1)} MB`, `${(mb / oursSeconds).toFixed(1)} MB/s`, `${(records.length / oursSeconds / 1000).toFixed(0)}k events/s`]);
  rows.push(['gzip -6 | sha256sum (same JSON)', `${mb.toFixed(1)} MB`, `${(mb / shellSeconds).toFixed(1)} MB/s`, `${(records.length / shellSeconds / 1000).toFixed(0)}k events/s`]);
  return rows;
}

export async function deliveryBench(options: DeliveryBenchOptions): Promise<string> {
  const e2e = await endToEnd(options);
  return [
    `Trail delivery end to end: PutAuditEvents call → its events in a log file visible in the bucket (file store), ${options.seconds} s at a steady offered rate`,
    table(['offered events/s', 'acknowledged events/s', 'delivery interval s', 'delivered/acknowledged', 'failed calls', 'latency p50', 'latency p99'], [e2e]),
    '',
    'Log file build throughput, 50,000 records, mean of 5 runs',
    table(['pipeline', 'input', 'throughput', 'records'], buildThroughput()),
  ].join('\n');
}
