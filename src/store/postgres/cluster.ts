/**
 * What nodes sharing one database must agree on beyond the schema: that only one of them does a
 * one-time job at a time (the first start's bootstrap), and that they all seal secrets with the
 * same master key. A node with another key would seal access keys the others cannot open; it is
 * refused at start instead.
 */
import type { Pool } from 'pg';
import type { SecretBox } from '../../iam/secret-box.js';

/** Runs `work` while holding a database-wide lock of that name; other nodes asking for it wait. */
export async function withClusterLock<T>(pool: Pool, name: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A session whose unlock failed still holds the lock: it is closed, not handed back to the pool,
  // so the lock goes with it instead of blocking every node.
  let unlocked = false;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
      unlocked = true;
    }
  } finally {
    client.release(!unlocked);
  }
}

const KEY_CHECK_PLAINTEXT = 'opentrail master key check';

export class MasterKeyMismatchError extends Error {
  constructor() {
    super(
      'this node\'s master key is not the one the database\'s secrets are sealed with: every node sharing a database needs the same OPENTRAIL_MASTER_KEY',
    );
    this.name = 'MasterKeyMismatchError';
  }
}

/** The first node seals a known text with its key; every later node must be able to open it. */
export async function checkMasterKey(pool: Pool, box: SecretBox): Promise<void> {
  await pool.query('INSERT INTO master_key_check (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [box.seal(KEY_CHECK_PLAINTEXT)]);
  const row = await pool.query<{ sealed: string }>('SELECT sealed FROM master_key_check WHERE id = 1');
  let opened: string | undefined;
  try {
    opened = box.open(row.rows[0]!.sealed);
  } catch {
    opened = undefined;
  }
  if (opened !== KEY_CHECK_PLAINTEXT) throw new MasterKeyMismatchError();
}
