/**
 * Ingest throughput: PutAuditEvents over HTTP with SigV4 and durable acknowledgements at 1, 8
 * and 64 concurrent clients (100 events per call), beside the raw batched insert rate of the
 * same rows into the same SQLite schema and indexes, without HTTP, measured in the same run.
 */
import { CloudTrailClient, CreateChannelCommand } from '@aws-sdk/client-cloudtrail';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditRecord } from '../src/core/audit-event.js';
import { openSqliteDatabase } from '../src/store/sqlite/database.js';
import { startServer } from '../test/support/server-process.js';
import { signCalls, runLoad } from './support/load.js';
import { ms, summarize, table } from './support/stats.js';

const ACCOUNT = '123456789012';
const KEY = { accessKeyId: 'AKIABENCHINGEST00001', secretAccessKey: 'bench-ingest-secret-0123456789abcdefgh' };
const EVENTS_PER_CALL = 100;

export interface IngestBenchOptions {
  dataDir: string;
  /** Events sent at each concurrency level. */
  events: number;
  levels: readonly number[];
}

function eventData(run: string, i: number): string {
  return JSON.stringify({
    version: '1.0',
    userIdentity: { type: 'CustomUser', principalId: `user-${i % 500}`, details: { team: 'payments' } },
    userAgent: 'payments-service/2.1',
    eventSource: 'payments.example.com',
    eventName: ['ApproveRefund', 'CreateInvoice', 'GetInvoice', 'DeleteCard'][i % 4],
    eventTime: new Date(Date.now() - (i % 3600) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    UID: `${run}-${i}`,
    requestParameters: { invoiceId: `inv-${i}`, amount: 12.5 },
    sourceIPAddress: `10.1.${i % 256}.${(i >> 8) % 256}`,
  });
}

function callBodies(run: string, events: number): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < events; i += EVENTS_PER_CALL) {
    const auditEvents = [];
    for (let j = i; j < Math.min(i + EVENTS_PER_CALL, events); j++) auditEvents.push({ id: `${run}-${j}`, eventData: eventData(run, j) });
    bodies.push(JSON.stringify({ auditEvents }));
  }
  return bodies;
}

/** The baseline: the same rows, the same schema and indexes, plain batched inserts. */
function rawInsertRate(file: string, events: number): number {
  const db = openSqliteDatabase(file);
  const insertEvent = db.prepare(
    `INSERT INTO events (account_id, region, event_time, is_insight, event_id, event_name, read_only, username, event_source, access_key_id, record)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const channelArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:channel/raw`;
  const rows = Array.from({ length: events }, (_, i) => {
    const data = eventData('raw', i);
    const facts = { eventId: crypto.randomUUID(), eventTimeMs: Date.now(), region: 'us-east-1', accountId: ACCOUNT, channelArn, ingestionTime: new Date().toISOString() };
    return { accountId: ACCOUNT, region: 'us-east-1', ...auditRecord(facts, data, JSON.parse(data) as Record<string, unknown>) };
  });
  const insertBatch = db.transaction((batch: typeof rows) => {
    for (const row of batch) {
      const k = row.keys;
      insertEvent.run(row.accountId, row.region, k.eventTimeMs, 0, k.eventId, k.eventName, k.readOnly, k.username, k.eventSource, k.accessKeyId, row.json);
    }
  });
  const start = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += 1000) insertBatch(rows.slice(i, i + 1000));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  db.close();
  return events / seconds;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

export async function ingestBench(options: IngestBenchOptions): Promise<string> {
  const raw = rawInsertRate(join(options.dataDir, 'raw.db'), options.events);
  const server = await startServer({ dataDir: join(options.dataDir, 'server'), accountId: ACCOUNT, ...KEY, env: { OPENTRAIL_LOG_LEVEL: 'error' } });
  const rows: string[][] = [];
  try {
    const admin = new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
    const channelArn = (await admin.send(new CreateChannelCommand({ Name: 'bench', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-bench' }] })))
      .ChannelArn!;
    admin.destroy();
    for (const concurrency of options.levels) {
      const calls = await signCalls(server.url, KEY, channelArn, callBodies(`c${concurrency}`, options.events));
      const result = await runLoad(server.url, calls, concurrency);
      const rate = (result.okCalls * EVENTS_PER_CALL) / result.seconds;
      const latency = summarize(result.latenciesMs);
      rows.push([
        String(concurrency),
        String(result.okCalls * EVENTS_PER_CALL),
        String(result.failedCalls),
        Math.round(rate).toLocaleString('en-US'),
        Math.round(raw).toLocaleString('en-US'),
        (rate / raw).toFixed(2),
        ms(latency.p50),
        ms(latency.p99),
      ]);
    }
    rows.forEach((row) => row.push(`${peakRssMb(server.process.pid!).toFixed(0)} MB`));
  } finally {
    await server.stop();
  }
  return [
    `PutAuditEvents ingest, ${EVENTS_PER_CALL} events per call, SigV4, acknowledged after fsync (peak RSS is the server's over the whole run)`,
    table(['clients', 'events', 'failed calls', 'OpenTrail events/s', 'raw SQLite events/s', 'ratio', 'call p50', 'call p99', 'server peak RSS'], rows),
  ].join('\n');
}
