import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { SecretBox } from '../../iam/secret-box.js';
import { verifyDigestSignature } from '../digest/digest-reader.js';
import { signDigest } from '../digest/digest-writer.js';
import { SigningKeyRing } from './key-ring.js';
import { MemorySigningKeyStore } from '../../../test/support/memory-signing-key-store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);

function setup() {
  const store = new MemorySigningKeyStore();
  const box = new SecretBox(randomBytes(32));
  const clock = new ManualClock(T0);
  return { store, box, clock, ring: new SigningKeyRing({ store, box, clock }) };
}

describe('SigningKeyRing', () => {
  it('creates the current key and its successor on first use, then reuses them', async () => {
    const { store, ring } = setup();
    const key = await ring.current('us-east-1');
    expect(key).toMatchObject({ region: 'us-east-1', validFromMs: T0, validToMs: T0 + 30 * DAY });
    const rows = store.rows();
    expect(rows.map((r) => [r.validFromMs, r.validToMs])).toEqual([
      [T0, T0 + 30 * DAY],
      [T0 + 20 * DAY, T0 + 50 * DAY],
    ]);
    expect(rows.every((r) => !r.sealedPrivateKey.includes('PRIVATE'))).toBe(true);
    expect((await ring.current('us-east-1')).fingerprint).toBe(key.fingerprint);
    expect(store.adds).toBe(2);
    expect(await ring.regions()).toEqual(['us-east-1']);
  });

  it('serialises concurrent first uses of a region', async () => {
    const { store, ring } = setup();
    const keys = await Promise.all([ring.current('eu-west-1'), ring.forRange('eu-west-1'), ring.current('eu-west-1')]);
    expect(store.adds).toBe(2);
    expect(new Set(keys.flat().map((k) => k.fingerprint)).size).toBe(1);
  });

  it('rotates: the successor signs once its window opens, and the next one is published', async () => {
    const { store, clock, ring } = setup();
    const first = await ring.current('us-west-2');
    clock.advance(20 * DAY);
    const second = await ring.current('us-west-2');
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.validFromMs).toBe(T0 + 20 * DAY);
    expect(store.rows()).toHaveLength(3);
    // In the overlap both keys are listed; no range gives the current key.
    expect((await ring.forRange('us-west-2')).map((k) => k.fingerprint)).toEqual([second.fingerprint]);
    const listed = await ring.forRange('us-west-2', T0 + 19 * DAY, clock.now() + 2 * 3_600_000);
    expect(listed.map((k) => k.fingerprint)).toEqual([second.fingerprint, first.fingerprint]);
    // A digest that ended before the handover is signed with the key valid then.
    expect((await ring.current('us-west-2', T0 + 19 * DAY)).fingerprint).toBe(first.fingerprint);
    // Before the region's first key: the current key.
    expect((await ring.current('us-west-2', T0 - DAY)).fingerprint).toBe(second.fingerprint);
  });

  it('keeps regions apart', async () => {
    const { ring } = setup();
    const a = await ring.current('us-east-1');
    const b = await ring.current('ap-northeast-1');
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect((await ring.regions()).sort()).toEqual(['ap-northeast-1', 'us-east-1']);
  });

  it('hands out keys that sign, from a second ring on the same store (a restart)', async () => {
    const { store, box, clock, ring } = setup();
    const key = await ring.current('us-east-1');
    const restarted = new SigningKeyRing({ store, box, clock });
    const reopened = await restarted.current('us-east-1');
    expect(reopened.fingerprint).toBe(key.fingerprint);
    expect(verifyDigestSignature('s', signDigest('s', reopened.privateKey), key.publicKeyDer)).toBe(true);
    expect(store.adds).toBe(2);
  });

  it('two rings racing on one store settle on one key per window', async () => {
    const { store, box, clock } = setup();
    const one = new SigningKeyRing({ store, box, clock });
    const two = new SigningKeyRing({ store, box, clock });
    const [a, b] = await Promise.all([one.current('sa-east-1'), two.current('sa-east-1')]);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(store.rows()).toHaveLength(2);
  });

  it('refuses a stored key whose window was stretched', async () => {
    const { store, ring } = setup();
    await ring.current('us-east-1');
    const row = store.rows()[0]!;
    row.validToMs += 365 * DAY;
    const fresh = new SigningKeyRing({ store, box: new SecretBox(randomBytes(32)), clock: new ManualClock(T0) });
    await expect(fresh.current('us-east-1')).rejects.toThrow(/does not open/);
    await expect(ring.current('us-east-1')).rejects.toThrow(/window/);
  });

  it('rejects a bad policy up front', () => {
    const { store, box, clock } = setup();
    expect(() => new SigningKeyRing({ store, box, clock, policy: { lifetimeMs: DAY, overlapMs: DAY } })).toThrow(RangeError);
  });
});
