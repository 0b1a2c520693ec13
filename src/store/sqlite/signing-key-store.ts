/** Signing keys on SQLite: INSERT OR IGNORE on (region, valid_from), so rotation races settle on one key. */
import type { SigningKeyStore } from '../../integrity/keys/index.js';
import type { StoredSigningKey } from '../../integrity/keys/index.js';
import type { SqliteDatabase } from './database.js';
import { StatementCache } from './statement-cache.js';

interface KeyRow {
  region: string;
  valid_from: number;
  valid_to: number;
  fingerprint: string;
  public_key_der: Buffer;
  private_key_sealed: string;
}

export class SqliteSigningKeyStore implements SigningKeyStore {
  readonly #statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.#statements = new StatementCache(db);
  }

  async list(region: string): Promise<StoredSigningKey[]> {
    const rows = this.#statements.get('SELECT * FROM signing_keys WHERE region = ? ORDER BY valid_from').all(region) as KeyRow[];
    return Promise.resolve(
      rows.map((r) => ({
        region: r.region,
        fingerprint: r.fingerprint,
        publicKeyDer: r.public_key_der,
        validFromMs: r.valid_from,
        validToMs: r.valid_to,
        sealedPrivateKey: r.private_key_sealed,
      })),
    );
  }

  async add(key: StoredSigningKey): Promise<boolean> {
    const info = this.#statements
      .get('INSERT OR IGNORE INTO signing_keys (region, valid_from, valid_to, fingerprint, public_key_der, private_key_sealed) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key.region, key.validFromMs, key.validToMs, key.fingerprint, key.publicKeyDer, key.sealedPrivateKey);
    return Promise.resolve(info.changes > 0);
  }

  async listRegions(): Promise<string[]> {
    return Promise.resolve(this.#statements.get('SELECT DISTINCT region FROM signing_keys ORDER BY region').pluck().all() as string[]);
  }
}
