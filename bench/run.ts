/**
 * `npm run bench`: every benchmark, each printed as a table beside its baseline measured in the
 * same run. Sizes can be lowered for a quick look (BENCH_INGEST_EVENTS, BENCH_DELIVERY_RATE,
 * BENCH_DELIVERY_SECONDS, BENCH_VALIDATE_LOGS, BENCH_LOOKUP_EVENTS, BENCH_QUERIES, BENCH_MERKLE_LEAVES, BENCH_IDENTITY_CALLS, BENCH_GATEWAY_CALLS, BENCH_GATEWAY_MOTO_CALLS, BENCH_GATEWAY_LARGE_MB, BENCH_PATTERN_EVENTS, BENCH_ALARM_PROBES, BENCH_INSIGHTS_DAYS, BENCH_INSIGHTS_EVENTS, BENCH_POSTGRES_EVENTS, BENCH_POSTGRES_LOOKUP_EVENTS, BENCH_SOAK_SECONDS;
 * BENCH_GATEWAY_MOTO=0 leaves the gateway's moto rows out); BENCH_ONLY=ingest|soak|delivery|validate|lookup|merkle|identity|gateway|patterns|alarms|insights|postgres (postgres-ingest, postgres-lookup)
 * runs one of them.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alarmLatencyBench } from './alarm-latency.bench.js';
import { deliveryBench } from './delivery.bench.js';
import { filterPatternsBench } from './filter-patterns.bench.js';
import { gatewayBench } from './gateway.bench.js';
import { identityBench } from './identity.bench.js';
import { ingestBench, soakBench } from './ingest.bench.js';
import { insightsBench } from './insights.bench.js';
import { insightsWorkerBench } from './insights-worker.bench.js';
import { lookupBench } from './lookup.bench.js';
import { postgresBench } from './postgres.bench.js';
import { postgresLookupBench } from './postgres-lookup.bench.js';
import { merkleBench } from './merkle.bench.js';
import { validateBench } from './validate.bench.js';

function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const root = mkdtempSync(join(tmpdir(), 'opentrail-bench-'));
const only = process.env.BENCH_ONLY;
try {
  if (only === undefined || only === 'ingest') {
    mkdirSync(join(root, 'ingest'));
    process.stdout.write(
      (await ingestBench({ dataDir: join(root, 'ingest'), events: envInt('BENCH_INGEST_EVENTS', 100_000), levels: [1, 8, 64] })) + '\n\n',
    );
  }
  // Ten minutes: only when asked for (BENCH_ONLY=soak), not in the full run.
  if (only === 'soak') {
    mkdirSync(join(root, 'soak'));
    const print = (line: string) => process.stdout.write(`${line}\n`);
    process.stdout.write(
      (await soakBench({ dataDir: join(root, 'soak'), seconds: envInt('BENCH_SOAK_SECONDS', 600), peakEvents: envInt('BENCH_INGEST_EVENTS', 100_000) }, print)) + '\n\n',
    );
  }
  if (only === undefined || only === 'delivery') {
    mkdirSync(join(root, 'delivery'));
    process.stdout.write(
      (await deliveryBench({ dataDir: join(root, 'delivery'), rate: envInt('BENCH_DELIVERY_RATE', 10_000), seconds: envInt('BENCH_DELIVERY_SECONDS', 10), deliveryIntervalSeconds: 1 })) + '\n\n',
    );
  }
  if (only === undefined || only === 'validate') {
    mkdirSync(join(root, 'validate'));
    process.stdout.write((await validateBench({ dataDir: join(root, 'validate'), logFiles: envInt('BENCH_VALIDATE_LOGS', 2016) })) + '\n\n');
  }
  if (only === undefined || only === 'identity') {
    mkdirSync(join(root, 'identity'));
    process.stdout.write((await identityBench({ dataDir: join(root, 'identity'), calls: envInt('BENCH_IDENTITY_CALLS', 1000) })) + '\n\n');
  }
  if (only === undefined || only === 'gateway') {
    mkdirSync(join(root, 'gateway'));
    process.stdout.write(
      (await gatewayBench({
        dataDir: join(root, 'gateway'),
        calls: envInt('BENCH_GATEWAY_CALLS', 2000),
        motoCalls: envInt('BENCH_GATEWAY_MOTO_CALLS', 300),
        largeMb: envInt('BENCH_GATEWAY_LARGE_MB', 256),
        moto: process.env.BENCH_GATEWAY_MOTO !== '0',
      })) + '\n\n',
    );
  }
  if (only === undefined || only === 'patterns') process.stdout.write(filterPatternsBench({ events: envInt('BENCH_PATTERN_EVENTS', 20_000) }) + '\n\n');
  if (only === undefined || only === 'alarms') {
    mkdirSync(join(root, 'alarms'));
    process.stdout.write((await alarmLatencyBench({ dataDir: join(root, 'alarms'), probes: envInt('BENCH_ALARM_PROBES', 50) })) + '\n\n');
  }
  if (only === undefined || only === 'insights') {
    process.stdout.write(insightsBench({ days: envInt('BENCH_INSIGHTS_DAYS', 42) }) + '\n\n');
    mkdirSync(join(root, 'insights'));
    process.stdout.write((await insightsWorkerBench({ dataDir: join(root, 'insights'), events: envInt('BENCH_INSIGHTS_EVENTS', 100_000), apis: 200 })) + '\n\n');
  }
  if (only === undefined || only === 'postgres' || only === 'postgres-ingest') process.stdout.write((await postgresBench({ events: envInt('BENCH_POSTGRES_EVENTS', 100_000) })) + '\n\n');
  if (only === undefined || only === 'postgres' || only === 'postgres-lookup') {
    mkdirSync(join(root, 'postgres-lookup'));
    process.stdout.write(
      (await postgresLookupBench({ dataDir: join(root, 'postgres-lookup'), events: envInt('BENCH_POSTGRES_LOOKUP_EVENTS', 1_000_000), queries: envInt('BENCH_QUERIES', 500) })) + '\n\n',
    );
  }
  if (only === undefined || only === 'merkle') process.stdout.write((await merkleBench({ leaves: envInt('BENCH_MERKLE_LEAVES', 1_000_000), dataDir: join(root, 'merkle') })) + '\n\n');
  if (only === undefined || only === 'lookup') process.stdout.write(
    (await lookupBench({
      dataDir: join(root, 'lookup'),
      events: envInt('BENCH_LOOKUP_EVENTS', 1_000_000),
      queries: envInt('BENCH_QUERIES', 500),
    })) + '\n',
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
