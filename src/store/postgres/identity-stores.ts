/** The PostgreSQL adapter of the identity port, over the shared pool. */
import type { Pool } from 'pg';
import type { IdentityStore } from '../../iam/identity-store.js';
import { unsupportedPort } from './unsupported.js';

export function postgresIdentityStore(_pool: Pool): IdentityStore {
  return unsupportedPort('identity');
}
