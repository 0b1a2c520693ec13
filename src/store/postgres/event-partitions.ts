/**
 * The event log's day partitions (schema/events.ts). Appends make sure the days of their events
 * have partitions before their transaction starts: creating one locks the parent table, which
 * must not happen while the log head's lock is held. Retention drops the days wholly before
 * its cutoff and deletes the rest row by row in the one day it cuts through.
 */
import type { Pool } from 'pg';
import { inTransaction } from './pool.js';

const DAY_MS = 86_400_000;
/** Serialises partition creation and dropping across nodes (CREATE ... IF NOT EXISTS still races on the catalog). */
const PARTITION_LOCK = 0x4f54_0002;
const TABLES = ['event_resources', 'events'] as const;
const PARTITION_NAME = /^events_p(\d{8})$/;

function dayStart(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS) * DAY_MS;
}

/** `events_p20261202` for the day starting at dayMs (UTC). */
function suffixOf(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '');
}

function dayOfSuffix(suffix: string): number {
  return Date.UTC(Number(suffix.slice(0, 4)), Number(suffix.slice(4, 6)) - 1, Number(suffix.slice(6, 8)));
}

export class EventPartitions {
  readonly #pool: Pool;
  /** Days known to have partitions; a day dropped by another node's retention is before any append's day. */
  readonly #known = new Set<number>();

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Makes the partitions of the days these event times fall on, where missing. */
  async ensure(timesMs: Iterable<number>): Promise<void> {
    const missing = new Set<number>();
    for (const time of timesMs) {
      const day = dayStart(time);
      if (!this.#known.has(day)) missing.add(day);
    }
    if (missing.size === 0) return;
    await inTransaction(this.#pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      for (const day of missing) {
        const suffix = suffixOf(day);
        for (const table of TABLES) {
          await client.query(`CREATE TABLE IF NOT EXISTS ${table}_p${suffix} PARTITION OF ${table} FOR VALUES FROM (${day}) TO (${day + DAY_MS})`);
        }
      }
    });
    for (const day of missing) this.#known.add(day);
  }

  /** Removes every event before the cutoff; answers how many. */
  async purgeBefore(cutoffMs: number): Promise<number> {
    return inTransaction(this.#pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      const partitions = await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass`,
      );
      let removed = 0;
      for (const { name } of partitions.rows) {
        const suffix = PARTITION_NAME.exec(name)?.[1];
        if (suffix === undefined || dayOfSuffix(suffix) + DAY_MS > cutoffMs) continue;
        const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
        removed += Number(count.rows[0]!.n);
        for (const table of TABLES) await client.query(`DROP TABLE IF EXISTS ${table}_p${suffix}`);
        this.#known.delete(dayOfSuffix(suffix));
      }
      await client.query('DELETE FROM event_resources WHERE event_time < $1', [cutoffMs]);
      const deleted = await client.query('DELETE FROM events WHERE event_time < $1', [cutoffMs]);
      return removed + (deleted.rowCount ?? 0);
    });
  }
}
