/** The identity changes of ../identity-change.ts on PostgreSQL. Mirrors sqlite/identity-changes.ts. */
import type { PoolClient } from 'pg';
import type { IdentityChange } from '../identity-change.js';
import { UnsupportedOnPostgresError } from './unsupported.js';

export async function applyIdentityChange(_client: PoolClient, change: IdentityChange): Promise<void> {
  throw new UnsupportedOnPostgresError(change.kind);
}
