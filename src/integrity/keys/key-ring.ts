/**
 * The signing key port and the key ring over it: the ring creates keys as rotation requires,
 * seals them into the store, and hands out opened keys.
 */
import { KeyedMutex } from '../../concurrency/keyed-mutex.js';
import type { Clock } from '../../core/clock.js';
import type { SecretBox } from '../../iam/secret-box.js';
import { DEFAULT_ROTATION_POLICY, currentKey, keysForRange, rotationPlan } from './rotation.js';
import type { RotationPolicy } from './rotation.js';
import { generateSigningKeyAsync, openSigningKey, sealSigningKey } from './signing-key.js';
import type { SigningKey, StoredSigningKey } from './signing-key.js';

/**
 * Where signing keys live. Keys are never updated or deleted: a digest signed years ago must
 * still verify.
 */
export interface SigningKeyStore {
  /** Every key of the region, in any order. */
  list(region: string): Promise<StoredSigningKey[]>;
  /**
   * Stores a key unless the region already has one with the same validFromMs (then keeps the
   * stored one and returns false). This makes concurrent rotation by two processes settle on
   * one key per window: a unique (region, validFromMs) and INSERT OR IGNORE.
   */
  add(key: StoredSigningKey): Promise<boolean>;
  /** Regions that have at least one key. */
  listRegions(): Promise<string[]>;
}

export interface SigningKeyRingOptions {
  store: SigningKeyStore;
  box: SecretBox;
  clock: Clock;
  policy?: RotationPolicy;
}

export class SigningKeyRing {
  readonly #store: SigningKeyStore;
  readonly #box: SecretBox;
  readonly #clock: Clock;
  readonly #policy: RotationPolicy;
  /** Opened keys by their sealed text: opening parses a PEM, so do it once. */
  readonly #opened = new Map<string, SigningKey>();
  /** Rotations run one at a time per region. */
  readonly #rotating = new KeyedMutex();

  constructor(options: SigningKeyRingOptions) {
    this.#store = options.store;
    this.#box = options.box;
    this.#clock = options.clock;
    this.#policy = options.policy ?? DEFAULT_ROTATION_POLICY;
    // Fail now rather than at the first digest.
    rotationPlan([], 0, this.#policy);
  }

  /**
   * The key to sign with, after creating any key rotation requires. `atMs` (default now) is the
   * digest's end time: the newest key valid then, so the key is listed by ListPublicKeys for any
   * range around the digest even when it is signed late; when no key was valid then (before the
   * region's first key), the current key.
   */
  async current(region: string, atMs?: number): Promise<SigningKey> {
    const now = this.#clock.now();
    const keys = await this.#rotated(region, now);
    const key = (atMs === undefined ? undefined : currentKey(keys, atMs)) ?? currentKey(keys, now);
    if (key === undefined) throw new Error(`no signing key is valid in ${region} at ${now}`);
    return key;
  }

  /** ListPublicKeys: `keysForRange` over the region's keys, after rotation. */
  async forRange(region: string, startMs?: number, endMs?: number): Promise<SigningKey[]> {
    const now = this.#clock.now();
    return keysForRange(await this.#rotated(region, now), startMs, endMs, now);
  }

  /** Regions that have keys. */
  async regions(): Promise<string[]> {
    return this.#store.listRegions();
  }

  /** Every key of the region, opened, after adding what rotation requires at `now`. */
  async #rotated(region: string, now: number): Promise<SigningKey[]> {
    const run = async (): Promise<SigningKey[]> => {
      let stored = await this.#store.list(region);
      const plan = rotationPlan(stored, now, this.#policy);
      if (plan.length > 0) {
        for (const window of plan) {
          const key = await generateSigningKeyAsync(region, window.validFromMs, window.validToMs);
          await this.#store.add(sealSigningKey(key, this.#box));
        }
        // Another process may have won a window: read back what the store kept.
        stored = await this.#store.list(region);
      }
      return stored.map((s) => this.#open(s));
    };
    return this.#rotating.runExclusive(region, run);
  }

  #open(stored: StoredSigningKey): SigningKey {
    const cached = this.#opened.get(stored.sealedPrivateKey);
    // The sealed text binds region and window, not the clear public key: compare it too.
    if (
      cached !== undefined &&
      cached.region === stored.region &&
      cached.validFromMs === stored.validFromMs &&
      cached.validToMs === stored.validToMs &&
      cached.fingerprint === stored.fingerprint &&
      cached.publicKeyDer.equals(stored.publicKeyDer)
    ) {
      return cached;
    }
    const key = openSigningKey(stored, this.#box);
    this.#opened.set(stored.sealedPrivateKey, key);
    return key;
  }
}
