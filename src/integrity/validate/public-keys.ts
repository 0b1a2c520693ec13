/**
 * The public keys a validation run knows: first the keys for the requested range, as the CLI
 * loads them (one ListPublicKeys call for [start, end + 2 h]); a digest signed with a key outside
 * them (one read from before the range for the Merkle tree) asks again for its own time ± 1 h.
 */
import type { KeyLookup } from './digest-check.js';
import type { PublicKey, PublicKeySource } from './types.js';

const HOUR = 3_600_000;

export class PublicKeyBook {
  readonly #source: PublicKeySource;
  readonly #keys = new Map<string, Buffer>();
  readonly #ranges = new Map<string, Promise<PublicKey[]>>();

  constructor(source: PublicKeySource) {
    this.#source = source;
  }

  /** The keys of a range (asked once per range), added to those known. */
  async load(startMs: number, endMs: number): Promise<PublicKey[]> {
    const id = `${startMs}/${endMs}`;
    let loading = this.#ranges.get(id);
    if (loading === undefined) {
      loading = this.#source(startMs, endMs).then((keys) => {
        for (const key of keys) this.#keys.set(key.fingerprint, key.der);
        return keys;
      });
      this.#ranges.set(id, loading);
    }
    return loading;
  }

  readonly lookup: KeyLookup = async (fingerprint, times) => {
    const known = this.#keys.get(fingerprint);
    if (known !== undefined) return known;
    await this.load(Math.floor(times.startMs / HOUR) * HOUR - HOUR, Math.ceil(times.endMs / HOUR) * HOUR + HOUR);
    return this.#keys.get(fingerprint);
  };
}
