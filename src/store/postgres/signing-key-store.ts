/** The digest signing keys on PostgreSQL (as sqlite/signing-key-store.ts). */
import type { Pool } from 'pg';
import type { SigningKeyStore, StoredSigningKey } from '../../integrity/keys/index.js';

export class PostgresSigningKeyStore implements SigningKeyStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async list(region: string): Promise<StoredSigningKey[]> {
    const result = await this.#pool.query<StoredSigningKey>(
      `SELECT region, fingerprint, public_key_der AS "publicKeyDer", valid_from AS "validFromMs", valid_to AS "validToMs", private_key_sealed AS "sealedPrivateKey"
         FROM signing_keys WHERE region = $1 ORDER BY valid_from`,
      [region],
    );
    return result.rows;
  }

  /** False when a key of that region and start exists already (another node made it first). */
  async add(key: StoredSigningKey): Promise<boolean> {
    const result = await this.#pool.query(
      `INSERT INTO signing_keys (region, valid_from, valid_to, fingerprint, public_key_der, private_key_sealed) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING`,
      [key.region, key.validFromMs, key.validToMs, key.fingerprint, key.publicKeyDer, key.sealedPrivateKey],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async listRegions(): Promise<string[]> {
    return (await this.#pool.query<{ region: string }>('SELECT region FROM signing_keys GROUP BY region ORDER BY region COLLATE "C"')).rows.map((r) => r.region);
  }
}
