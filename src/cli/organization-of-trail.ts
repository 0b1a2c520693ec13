/**
 * The organization of an organization trail, for `opentrail validate-logs`: its files lie
 * under AWSLogs/<o-id>/<account>/. The stock CLI asks Organizations (DescribeOrganization);
 * OpenTrail's command reads the server's own store instead (the data directory it validates
 * a file: store from anyway), read-only, so it works without Organizations permissions.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { OpenTrailConfig } from '../config/config.js';
import { sqliteFileOf, storeKindOf } from '../config/config.js';
import type { IdentityStore } from '../iam/identity-store.js';
import { postgresIdentityStore } from '../store/postgres/identity-stores.js';
import { openPool } from '../store/postgres/pool.js';
import { SqliteIdentityStore } from '../store/sqlite/identity-store.js';

/** The organization whose management account owns the trail, or why it cannot be found. */
export async function organizationOfTrailOwner(config: OpenTrailConfig, ownerAccountId: string): Promise<{ orgId: string } | { problem: string }> {
  if (storeKindOf(config) === 'postgres') return organizationInPostgres(config.store, ownerAccountId);
  const file = sqliteFileOf(config);
  if (!existsSync(file)) return { problem: `no OpenTrail database at ${file} to find the trail's organization in` };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return await organizationManagedBy(new SqliteIdentityStore(db), ownerAccountId, file);
  } finally {
    db.close();
  }
}

async function organizationInPostgres(url: string, ownerAccountId: string): Promise<{ orgId: string } | { problem: string }> {
  const pool = openPool(url, 1);
  try {
    return await organizationManagedBy(postgresIdentityStore(pool), ownerAccountId, 'the PostgreSQL store');
  } finally {
    await pool.end();
  }
}

async function organizationManagedBy(store: IdentityStore, ownerAccountId: string, where: string): Promise<{ orgId: string } | { problem: string }> {
  const organization = await store.organizationOfAccount(ownerAccountId);
  if (organization === undefined || organization.managementAccountId !== ownerAccountId) {
    return { problem: `account ${ownerAccountId} manages no organization in ${where}` };
  }
  return { orgId: organization.orgId };
}
