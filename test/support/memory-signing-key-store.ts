/**
 * A SigningKeyStore in memory, with the port's contract (keys
 * are copied in and out; one key per region and validFromMs).
 */
import type { SigningKeyStore } from '../../src/integrity/keys/key-ring.js';
import type { StoredSigningKey } from '../../src/integrity/keys/signing-key.js';

function copy(key: StoredSigningKey): StoredSigningKey {
  return { ...key, publicKeyDer: Buffer.from(key.publicKeyDer) };
}

export class MemorySigningKeyStore implements SigningKeyStore {
  readonly #keys: StoredSigningKey[] = [];
  /** Calls to `add`, for tests that count key generation. */
  adds = 0;

  async list(region: string): Promise<StoredSigningKey[]> {
    return Promise.resolve(this.#keys.filter((k) => k.region === region).map(copy));
  }

  async add(key: StoredSigningKey): Promise<boolean> {
    this.adds++;
    if (this.#keys.some((k) => k.region === key.region && k.validFromMs === key.validFromMs)) return Promise.resolve(false);
    this.#keys.push(copy(key));
    return Promise.resolve(true);
  }

  async listRegions(): Promise<string[]> {
    return Promise.resolve([...new Set(this.#keys.map((k) => k.region))].sort());
  }

  /** Test access to the stored rows, to tamper with them. */
  rows(): StoredSigningKey[] {
    return this.#keys;
  }
}
