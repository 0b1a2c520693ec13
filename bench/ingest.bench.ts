/**
 * Ingest throughput: PutAuditEvents over HTTP with SigV4 and durable acknowledgements at 1, 8
 * and 64 concurrent clients (100 events per call), beside two baselines measured in the same
 * run without HTTP: the raw batched insert of the same rows into the event log's schema with one
 * synchronous index per lookup attribute (the design before the index moved behind the log), and
 * an fsync'd append of the same records to a file, batches of 100: how far we are from the disk.
 *
 * The soak (BENCH_ONLY=soak): a steady 80 % of the 8-client rate for BENCH_SOAK_SECONDS
 * (600), the server's RSS printed every 30 s.
 */
import { CloudTrailClient, CreateChannelCommand } from '@aws-sdk/client-cloudtrail';
import Database from 'better-sqlite3';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { auditRecord } from '../src/core/audit-event.js';
import { startServer } from '../test/support/server-process.js';
import { INDEXED_EVENT_LOG_SCHEMA } from './support/indexed-schema.js';
import { signCalls, runLoad } from './support/load.js';
import { resetPeakRss } from './support/s3-calls.js';
import { runSoak } from './support/soak.js';
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

type RawRow = ReturnType<typeof rawRows>[number];

/** The records the baselines write: the ones PutAuditEvents makes of the same eventData. */
function rawRows(events: number) {
  const channelArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:channel/raw`;
  return Array.from({ length: events }, (_, i) => {
    const data = eventData('raw', i);
    const facts = { eventId: crypto.randomUUID(), eventTimeMs: Date.now(), region: 'us-east-1', accountId: ACCOUNT, channelArn, ingestionTime: new Date().toISOString() };
    return { accountId: ACCOUNT, region: 'us-east-1', ...auditRecord(facts, data, JSON.parse(data) as Record<string, unknown>) };
  });
}

/**
 * Baseline: the same rows into the event log's schema with one synchronous index per lookup
 * attribute (as it was before [throughput]), WAL and synchronous=FULL as the store opens it,
 * plain batched inserts of 1,000.
 */
function rawInsertRate(file: string, rows: RawRow[]): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -65536');
  db.exec(INDEXED_EVENT_LOG_SCHEMA);
  const insertEvent = db.prepare(
    `INSERT INTO events (account_id, region, event_time, is_insight, event_id, event_name, read_only, username, event_source, access_key_id, record)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const events = rows.length;
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

/** Baseline: the disk's own limit for this work, each batch of 100 records written and fsynced. */
function fsyncAppendRate(file: string, rows: RawRow[]): number {
  const fd = openSync(file, 'a');
  const start = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += EVENTS_PER_CALL) {
    writeSync(fd, rows.slice(i, i + EVENTS_PER_CALL).map((row) => `${row.json}\n`).join(''));
    fsyncSync(fd);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(fd);
  return rows.length / seconds;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

export async function ingestBench(options: IngestBenchOptions): Promise<string> {
  const rows = rawRows(options.events);
  const raw = rawInsertRate(join(options.dataDir, 'raw.db'), rows);
  const append = fsyncAppendRate(join(options.dataDir, 'append.jsonl'), rows);
  const server = await startServer({ dataDir: join(options.dataDir, 'server'), accountId: ACCOUNT, ...KEY, env: { OPENTRAIL_LOG_LEVEL: 'error' } });
  const results: string[][] = [];
  const pid = server.process.pid!;
  let peakPerLevel = true;
  try {
    const admin = new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
    const channelArn = (await admin.send(new CreateChannelCommand({ Name: 'bench', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-bench' }] })))
      .ChannelArn!;
    admin.destroy();
    for (const concurrency of options.levels) {
      const calls = await signCalls(server.url, KEY, channelArn, callBodies(`c${concurrency}`, options.events));
      peakPerLevel = resetPeakRss(pid) && peakPerLevel;
      const result = await runLoad(server.url, calls, concurrency);
      const rate = (result.okCalls * EVENTS_PER_CALL) / result.seconds;
      const latency = summarize(result.latenciesMs);
      results.push([
        String(concurrency),
        String(result.okCalls * EVENTS_PER_CALL),
        String(result.failedCalls),
        Math.round(rate).toLocaleString('en-US'),
        Math.round(raw).toLocaleString('en-US'),
        (rate / raw).toFixed(2),
        Math.round(append).toLocaleString('en-US'),
        (rate / append).toFixed(2),
        ms(latency.p50),
        ms(latency.p99),
        `${peakRssMb(pid).toFixed(0)} MB`,
      ]);
    }
  } finally {
    await server.stop();
  }
  // Where the peak cannot be reset, each row's is the peak of the run so far.
  const peakNote = peakPerLevel ? "peak RSS is the server's during each row (VmHWM reset before it)" : "peak RSS is the server's from its start to the end of each row";
  return [
    `PutAuditEvents ingest, ${EVENTS_PER_CALL} events per call, SigV4, acknowledged after fsync (${peakNote})`,
    table(['clients', 'events', 'failed calls', 'OpenTrail events/s', 'raw SQLite events/s', 'ratio', "fsync'd append events/s", 'ratio to append', 'call p50', 'call p99', 'server peak RSS'], results),
  ].join('\n');
}

export interface SoakBenchOptions {
  dataDir: string;
  seconds: number;
  /** Events used to measure the peak (8 clients) before the soak. */
  peakEvents: number;
}

/** The soak: the 8-client peak measured first, then 80 % of it for `seconds`, RSS every 30 s. */
export async function soakBench(options: SoakBenchOptions, print: (line: string) => void): Promise<string> {
  const server = await startServer({ dataDir: join(options.dataDir, 'server'), accountId: ACCOUNT, ...KEY, env: { OPENTRAIL_LOG_LEVEL: 'error' } });
  try {
    const admin = new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
    const channelArn = (await admin.send(new CreateChannelCommand({ Name: 'soak', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-soak' }] }))).ChannelArn!;
    admin.destroy();
    const peakCalls = await signCalls(server.url, KEY, channelArn, callBodies('peak', options.peakEvents));
    const peak = await runLoad(server.url, peakCalls, 8);
    const peakRate = (peak.okCalls * EVENTS_PER_CALL) / peak.seconds;
    const offered = Math.round(peakRate * 0.8);
    print(`soak: peak ${Math.round(peakRate)} events/s (8 clients, ${options.peakEvents} events); offering ${offered} events/s for ${options.seconds} s`);
    const rssMb = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.process.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    const samples = await runSoak({
      url: server.url,
      credentials: KEY,
      channelArn,
      eventsPerSecond: offered,
      seconds: options.seconds,
      sampleSeconds: 30,
      eventsPerCall: EVENTS_PER_CALL,
      body: (call) => JSON.stringify({ auditEvents: Array.from({ length: EVENTS_PER_CALL }, (_, j) => ({ id: `soak-${call}-${j}`, eventData: eventData('soak', call * EVENTS_PER_CALL + j) })) }),
      rssMb,
      onSample: (s) => print(`  ${String(s.atSeconds).padStart(4)} s  RSS ${s.rssMb.toFixed(0)} MB  acked ${Math.round(s.ackedPerSecond)} events/s  failed calls ${s.failedCalls}  not sent ${s.notSent}`),
    });
    const rss = samples.map((s) => s.rssMb);
    const rows = samples.map((s) => [String(s.atSeconds), `${s.rssMb.toFixed(0)} MB`, Math.round(s.ackedPerSecond).toLocaleString('en-US'), String(s.failedCalls), String(s.notSent)]);
    return [
      `Soak: ${offered.toLocaleString('en-US')} events/s offered (80 % of the 8-client peak, ${Math.round(peakRate).toLocaleString('en-US')}) for ${options.seconds} s; server RSS every 30 s (min ${Math.min(...rss).toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB, peak ${peakRssMb(server.process.pid!).toFixed(0)} MB)`,
      table(['at', 'server RSS', 'acknowledged events/s', 'failed calls (total)', 'calls not sent (total)'], rows),
    ].join('\n');
  } finally {
    await server.stop();
  }
}
