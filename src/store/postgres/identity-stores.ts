/** The PostgreSQL adapter of the identity port, over the shared pool. */
import type { Pool } from 'pg';
import type { IdentityStore } from '../../iam/identity-store.js';
import { PostgresIdentityStore } from './identity-store.js';

export function postgresIdentityStore(pool: Pool): IdentityStore {
  return new PostgresIdentityStore(pool);
}
