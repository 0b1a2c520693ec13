/**
 * The PostgreSQL schema, in parts (./schema/*.ts), each an ordered list of migrations. A node
 * applies on start what its database has not seen yet, all in one transaction under an advisory
 * lock: nodes that start together wait for each other, and the second finds everything done.
 * Each part counts its applied migrations in schema_parts, so a part can grow without renumbering
 * the others.
 */
import type { Pool } from 'pg';
import { inTransaction } from './pool.js';
import { EVENTS_SCHEMA } from './schema/events.js';
import { IDENTITY_SCHEMA } from './schema/identity.js';
import { LEASES_SCHEMA } from './schema/leases.js';
import { MONITORING_SCHEMA } from './schema/monitoring.js';
import { TRAILS_SCHEMA } from './schema/trails.js';

/** Any constant every node agrees on: the lock that serialises schema changes. */
const SCHEMA_LOCK = 0x4f54_0001;

/** In dependency order: a part may refer to the tables of those before it. */
export const SCHEMA_PARTS: readonly { name: string; migrations: readonly string[] }[] = [
  { name: 'events', migrations: EVENTS_SCHEMA },
  { name: 'leases', migrations: LEASES_SCHEMA },
  { name: 'identity', migrations: IDENTITY_SCHEMA },
  { name: 'trails', migrations: TRAILS_SCHEMA },
  { name: 'monitoring', migrations: MONITORING_SCHEMA },
];

export async function applySchema(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_parts (part TEXT PRIMARY KEY, applied INTEGER NOT NULL)');
    const rows = await client.query<{ part: string; applied: number }>('SELECT part, applied FROM schema_parts');
    const applied = new Map(rows.rows.map((r) => [r.part, r.applied]));
    for (const part of SCHEMA_PARTS) {
      const done = applied.get(part.name) ?? 0;
      if (done > part.migrations.length) throw new Error(`the database's ${part.name} schema is newer than this OpenTrail (${done} > ${part.migrations.length} migrations)`);
      for (const migration of part.migrations.slice(done)) await client.query(migration);
      if (done < part.migrations.length) {
        await client.query('INSERT INTO schema_parts (part, applied) VALUES ($1, $2) ON CONFLICT (part) DO UPDATE SET applied = EXCLUDED.applied', [part.name, part.migrations.length]);
      }
    }
  });
}
