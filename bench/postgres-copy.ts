/** COPY FROM STDIN of prepared events into the events schema (the benchmarks' baseline and loader). */
import type { PoolClient, Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PreparedEvent } from '../src/store/event-store.js';

/** COPY text format: backslash, tab, newline and carriage return are escaped; null is \N. */
function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

const line = (values: readonly (string | number | null | undefined)[]) => values.map(field).join('\t') + '\n';

async function copy(client: Client | PoolClient, sql: string, lines: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(lines), client.query(copyFrom(sql)));
}

/** Copies events numbered from firstSeq on (and their resources), in the caller's transaction if any. */
export async function copyEvents(client: Client | PoolClient, events: readonly PreparedEvent[], firstSeq: number): Promise<void> {
  await copy(
    client,
    'COPY events (seq, account_id, region, event_time, is_insight, in_history, to_trails, event_id, event_name, read_only, username, event_source, access_key_id, record) FROM STDIN',
    events.map((e, i) =>
      line([firstSeq + i, e.accountId, e.region, e.keys.eventTimeMs, e.keys.isInsight ? 1 : 0, e.keys.inEventHistory ? 1 : 0, 1, e.keys.eventId, e.keys.eventName, e.keys.readOnly, e.keys.username, e.keys.eventSource, e.keys.accessKeyId, e.json]),
    ),
  );
  const resources = events.flatMap((e, i) => e.keys.resources.map((r) => line([firstSeq + i, e.accountId, e.region, e.keys.eventTimeMs, r.type, r.name])));
  if (resources.length > 0) await copy(client, 'COPY event_resources (seq, account_id, region, event_time, resource_type, resource_name) FROM STDIN', resources);
}
