/**
 * PostgreSQL for tests: the server at OPENTRAIL_TEST_POSTGRES (default 127.0.0.1:5432, trust
 * auth, database `test`), and throwaway databases each test creates and drops.
 */
import pg from 'pg';
import { peerAvailable } from './peers.js';

export const POSTGRES_URL = process.env.OPENTRAIL_TEST_POSTGRES ?? 'postgres://root@127.0.0.1:5432/test';

async function reachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `${POSTGRES_URL}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether PostgreSQL answers; under OPENTRAIL_REQUIRE_PEERS=1 its absence throws. */
export async function postgresAvailable(): Promise<boolean> {
  const problem = await reachable();
  return peerAvailable('postgresql', problem === undefined, problem ?? '');
}

let counter = 0;

/** A new empty database; returns its URL and what drops it (after every pool on it has ended). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `opentrail_test_${process.pid}_${Date.now()}_${++counter}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
