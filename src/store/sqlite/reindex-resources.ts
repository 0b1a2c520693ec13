/**
 * A migration in code: the resources of every stored event indexed again by the lookup keys of
 * today (core/lookup-keys.ts), so that LookupEvents names them as CloudTrail does (a bucket by
 * its name, an IAM user by its user name, ...) for events stored before as well as after.
 */
import { lookupKeysOf } from '../../core/lookup-keys.js';
import type { CloudTrailRecord } from '../../core/record.js';
import type { SqliteDatabase } from './database.js';

const BATCH = 5_000;

export function reindexEventResources(db: SqliteDatabase): void {
  const read = db.prepare('SELECT seq, account_id, region, event_time, record FROM events WHERE seq > ? ORDER BY seq LIMIT ?').raw();
  const clear = db.prepare('DELETE FROM event_resources WHERE seq > ? AND seq <= ?');
  const insert = db.prepare('INSERT INTO event_resources (seq, account_id, region, event_time, resource_type, resource_name) VALUES (?, ?, ?, ?, ?, ?)');
  let after = 0;
  for (;;) {
    const rows = read.all(after, BATCH) as [number, string, string, number, string][];
    if (rows.length === 0) return;
    clear.run(after, rows.at(-1)![0]);
    for (const [seq, accountId, region, eventTime, json] of rows) {
      let record: CloudTrailRecord;
      try {
        record = JSON.parse(json) as CloudTrailRecord;
      } catch {
        continue; // stored bytes that are not JSON were never indexed by resource either
      }
      for (const resource of lookupKeysOf(record).resources) insert.run(seq, accountId, region, eventTime, resource.type, resource.name);
    }
    after = rows.at(-1)![0];
  }
}
