/**
 * The organization of an organization trail, for `opentrail validate-logs`: its files lie
 * under AWSLogs/<o-id>/<account>/. The stock CLI asks Organizations (DescribeOrganization);
 * OpenTrail's command reads the server's own store instead (the data directory it validates
 * a file: store from anyway), read-only, so it works without Organizations permissions.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { OpenTrailConfig } from '../config/config.js';
import { sqliteFileOf } from '../config/config.js';
import { SqliteIdentityStore } from '../store/sqlite/identity-store.js';

/** The organization whose management account owns the trail, or why it cannot be found. */
export async function organizationOfTrailOwner(config: OpenTrailConfig, ownerAccountId: string): Promise<{ orgId: string } | { problem: string }> {
  const file = sqliteFileOf(config);
  if (!existsSync(file)) return { problem: `no OpenTrail database at ${file} to find the trail's organization in` };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const organization = await new SqliteIdentityStore(db).organizationOfAccount(ownerAccountId);
    if (organization === undefined || organization.managementAccountId !== ownerAccountId) {
      return { problem: `account ${ownerAccountId} manages no organization in ${file}` };
    }
    return { orgId: organization.orgId };
  } finally {
    db.close();
  }
}
