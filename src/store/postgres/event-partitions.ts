/**
 * The event log's day partitions (schema/events.ts). Appends make sure the days of their events
 * have partitions before their transaction starts: creating one locks the parent table, which
 * must not happen while the log head's lock is held. Retention drops the days wholly before
 * its cutoff and deletes the rest row by row in the one day it cuts through.
 *
 * Creating or dropping a partition takes an exclusive lock on both event tables while other
 * nodes' appends and lookups hold one of them and want the other: a deadlock waiting to happen.
 * So the tables are locked in the order appends take them, with a short lock timeout, and the
 * partition work (never the append or the lookup) is what gives way and tries again.
 */
import { setTimeout } from 'node:timers/promises';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from './pool.js';

const DAY_MS = 86_400_000;
/** Serialises partition creation and dropping across nodes (CREATE ... IF NOT EXISTS still races on the catalog). */
const PARTITION_LOCK = 0x4f54_0002;
/** In the order an append locks them. */
const TABLES = ['events', 'event_resources'] as const;
/** How long partition work waits for a table lock before it gives way and retries. */
const LOCK_TIMEOUT_MS = 200;
const ATTEMPTS = 50;
const PARTITION_NAME = /^events_p(\d{8})$/;

/** SQLSTATE 55P03 (lock timeout) or 40P01 (chosen as a deadlock's victim). */
function gaveWay(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '55P03' || code === '40P01';
}

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
    // Another node has usually made them already: finding that out takes no table lock.
    const absent = await this.#pool.query<{ name: string }>(
      'SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL',
      [[...missing].flatMap((day) => TABLES.map((table) => `${table}_p${suffixOf(day)}`))],
    );
    if (absent.rows.length > 0) {
      await this.#partitionWork(async (client) => {
        for (const day of missing) {
          const suffix = suffixOf(day);
          for (const table of TABLES) {
            await client.query(`CREATE TABLE IF NOT EXISTS ${table}_p${suffix} PARTITION OF ${table} FOR VALUES FROM (${day}) TO (${day + DAY_MS})`);
          }
        }
      });
    }
    for (const day of missing) this.#known.add(day);
  }

  /** Partition DDL under the cross-node lock, retried when it gives way to a table lock held by appends or lookups. */
  async #partitionWork<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await inTransaction(this.#pool, async (client) => {
          await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
          await client.query(`SET LOCAL lock_timeout = ${LOCK_TIMEOUT_MS}`);
          return work(client);
        });
      } catch (error) {
        if (!gaveWay(error) || attempt === ATTEMPTS) throw error;
        await setTimeout(Math.random() * LOCK_TIMEOUT_MS);
      }
    }
  }

  /** Removes every event before the cutoff; answers how many. */
  async purgeBefore(cutoffMs: number): Promise<number> {
    return this.#partitionWork(async (client) => {
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
