/**
 * LookupEvents latency with a large history: p50/p99 over the HTTP API (real SDK client, SigV4,
 * and the call's own durable record) beside the same SQL run directly on SQLite in this process.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { LookupAttribute as SdkLookupAttribute } from '@aws-sdk/client-cloudtrail';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { systemClock } from '../src/core/clock.js';
import { openStores } from '../src/server/open-stores.js';
import type { LookupAttribute, PreparedEvent } from '../src/store/event-store.js';
import { buildLookupSql } from '../src/store/sqlite/lookup-sql.js';
import { startServer } from '../test/support/server-process.js';
import { consoleBench } from './console.bench.js';
import { ms, summarize, table, timeEach } from './support/stats.js';
import { BENCH_ACCOUNT, SOURCES, USERS, syntheticEvents } from './support/synthetic.js';

const DAY = 86_400_000;
const ACCESS_KEY_ID = 'AKIABENCHMARK0000001';
const SECRET = 'bench-secret-0123456789abcdefghijklmnopq';

export interface LookupBenchOptions {
  dataDir: string;
  events: number;
  queries: number;
}

const queryShapes: { name: string; attributes: (i: number) => LookupAttribute[] }[] = [
  { name: 'one attribute (Username)', attributes: (i) => [{ key: 'Username', value: `user-${i % USERS}` }] },
  {
    name: 'three attributes (Username, EventSource, ReadOnly)',
    attributes: (i) => [
      { key: 'Username', value: `user-${i % USERS}` },
      { key: 'EventSource', value: SOURCES[i % SOURCES.length]! },
      { key: 'ReadOnly', value: 'true' },
    ],
  },
];

export async function lookupBench(options: LookupBenchOptions): Promise<string> {
  const now = Date.now();
  const config = loadConfig({ dataDir: options.dataDir }, {});
  const stores = await openStores(config, systemClock);
  await stores.identity.bootstrap({ accountId: BENCH_ACCOUNT, accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET });
  const fillStart = process.hrtime.bigint();
  let batch: PreparedEvent[] = [];
  for (const event of syntheticEvents(options.events, now - 30 * DAY, 30 * DAY - 60_000)) {
    batch.push(event);
    if (batch.length === 5000) {
      await stores.events.append(batch);
      batch = [];
    }
  }
  await stores.events.append(batch);
  const fillSeconds = Number(process.hrtime.bigint() - fillStart) / 1e9;
  await stores.close();

  const rows: string[][] = [];
  let consoleTables = '';
  const db = new Database(join(options.dataDir, 'opentrail.db'), { readonly: true });
  const server = await startServer({ dataDir: options.dataDir, accountId: BENCH_ACCOUNT, accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET });
  const client = new CloudTrailClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
    maxAttempts: 1,
  });
  try {
    for (const shape of queryShapes) {
      const direct = await timeEach(options.queries, (i) => {
        const { sql, params } = buildLookupSql({
          accountId: BENCH_ACCOUNT,
          region: 'us-east-1',
          attributes: shape.attributes(i),
          startMs: now - 90 * DAY,
          endMs: Date.now(),
          insights: false,
          limit: 51,
        });
        return db.prepare(sql).raw().all(...params);
      });
      // Warm the connection and the server's statement cache before timing.
      await client.send(new LookupEventsCommand({ MaxResults: 1 }));
      const http = await timeEach(options.queries, async (i) =>
        client.send(
          new LookupEventsCommand({
            LookupAttributes: shape.attributes(i).map(({ key, value }): SdkLookupAttribute => ({ AttributeKey: key, AttributeValue: value })),
            MaxResults: 50,
          }),
        ),
      );
      const d = summarize(direct);
      const h = summarize(http);
      rows.push([shape.name, String(options.queries), ms(d.p50), ms(d.p99), ms(h.p50), ms(h.p99)]);
    }
    consoleTables = await consoleBench({ url: server.url, accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, db, nowMs: now, queries: options.queries, events: options.events });
  } finally {
    client.destroy();
    db.close();
    await server.stop();
  }
  return [
    `LookupEvents over ${options.events.toLocaleString('en-US')} events (filled at ${Math.round(options.events / fillSeconds).toLocaleString('en-US')} events/s through the store), 50 results per page`,
    table(['query', 'n', 'SQLite direct p50', 'SQLite direct p99', 'HTTP API p50', 'HTTP API p99'], rows),
    'HTTP API = AWS SDK v3 client → SigV4 → policy check → query → the call\'s own record fsynced → response.',
    '',
    consoleTables,
  ].join('\n');
}
