import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../iam/secret-box.js';
import { verifyDigestSignature } from '../digest/digest-reader.js';
import { signDigest } from '../digest/digest-writer.js';
import { fingerprintOf, generateSigningKey, generateSigningKeyAsync, openSigningKey, publicKeyValue, sealSigningKey } from './signing-key.js';
import type { SigningKey, StoredSigningKey } from './signing-key.js';

/**
 * The three sample keys of AWS's ListPublicKeys sample response (CloudTrail User Guide,
 * "Custom implementations of CloudTrail log file integrity validation"). The third is served
 * as SubjectPublicKeyInfo, yet its fingerprint is still the MD5 of the Value's bytes.
 */
const AWS_SAMPLES = [
  {
    value:
      'MIIBCgKCAQEAn11L2YZ9h7onug2ILi1MWyHiMRsTQjfWE+pHVRLk1QjfWhirG+lpOa8NrwQ/r7Ah5bNL6HepznOU9XTDSfmmnP97mqyc7z/upfZdS/AHhYcGaz7n6Wc/RRBU6VmiPCrAUojuSk6/GjvA8iOPFsYDuBtviXarvuLPlrT9kAd4Lb+rFfR5peEgBEkhlzc5HuWO7S0y+KunqxX6jQBnXGMtxmPBPP0FylgWGNdFtks/4YSKcgqwH0YDcawP9GGGDAeCIqPWIXDLG1jOjRRzWfCmD0iJUkz8vTsn4hq/5ZxRFE7UBAUiVcGbdnDdvVfhF9C3dQiDq3k7adQIziLT0cShgQIDAQAB',
    fingerprint: '8eba5db5bea9b640d1c96a77256fe7f2',
    pkcs1: true,
  },
  {
    value:
      'MIIBCgKCAQEApfYL2FiZhpN74LNWVUzhR+VheYhwhYm8w0n5Gf6i95ylW5kBAWKVEmnAQG7BvS5g9SMqFDQx52fW7NWV44IvfJ2xGXT+wT+DgR6ZQ+6yxskQNqV5YcXj4Aa5Zz4jJfsYjDuO2MDTZNIzNvBNzaBJ+r2WIWAJ/Xq54kyF63B6WE38vKuDE7nSd1FqQuEoNBFLPInvgggYe2Ym1Refe2z71wNcJ2kY+q0h1BSHrSM8RWuJIw7MXwF9iQncg9jYzUlNJomozQzAG5wSRfbplcCYNY40xvGd/aAmO0m+Y+XFMrKwtLCwseHPvj843qVno6x4BJN9bpWnoPo9sdsbGoiK3QIDAQAB',
    fingerprint: '8933b39ddc64d26d8e14ffbf6566fee4',
    pkcs1: true,
  },
  {
    value:
      'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqlzPJbvZJ42UdcmLfPUqXYNfOs6I8lCfao/tOs8CmzPOEdtLWugB9xoIUz78qVHdKIqxbaG4jWHfJBiOSSFBM0lt8cdVo4TnRa7oG9io5pysS6DJhBBAeXsicufsiFJR+wrUNh8RSLxL4k6G1+BhLX20tJkZ/erT97tDGBujAelqseGg3vPZbTx9SMfOLN65PdLFudLP7Gat0Z9p5jw/rjpclKfo9Bfc3heeBxWGKwBBOKnFAaN9V57pOaosCvPKmHd9bg7jsQkI9Xp22IzGLsTFJZYVA3KiTAElDMu80iFXPHEq9hKNbt9e4URFam+1utKVEiLkR2disdCmPTK0VQIDAQAB',
    fingerprint: '31e8b5433410dfb61a9dc45cc65b22ff',
    pkcs1: false,
  },
];

const FROM = Date.UTC(2026, 0, 1);
const TO = FROM + 30 * 86_400_000;

describe('fingerprintOf', () => {
  it.each(AWS_SAMPLES.map((s) => [s.fingerprint, s] as const))('AWS sample key %s: md5 of the Value bytes', (_fp, sample) => {
    const der = Buffer.from(sample.value, 'base64');
    expect(fingerprintOf(der)).toBe(sample.fingerprint);
    if (sample.pkcs1) {
      const key = createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
      expect(key.export({ type: 'pkcs1', format: 'der' }).equals(der)).toBe(true);
    }
  });
});

describe('generateSigningKey', () => {
  let key: SigningKey;
  beforeAll(() => {
    key = generateSigningKey('eu-central-1', FROM, TO);
  });

  it('makes an RSA-2048, e=65537 key with a DER PKCS#1 public key and its MD5 fingerprint', () => {
    expect(key.privateKey.asymmetricKeyType).toBe('rsa');
    expect(key.privateKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
    expect(key).toMatchObject({ region: 'eu-central-1', validFromMs: FROM, validToMs: TO });
    expect(key.fingerprint).toBe(createHash('md5').update(key.publicKeyDer).digest('hex'));
    expect(key.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(publicKeyValue(key).startsWith('MIIBCgKCAQEA')).toBe(true);
    expect(key.publicKeyDer).toHaveLength(270);
    expect(verifyDigestSignature('x', signDigest('x', key.privateKey), key.publicKeyDer)).toBe(true);
  });

  it('makes a different key every time, also asynchronously', async () => {
    const other = await generateSigningKeyAsync('eu-central-1', FROM, TO);
    expect(other.fingerprint).not.toBe(key.fingerprint);
    expect(publicKeyValue(other).startsWith('MIIBCgKCAQEA')).toBe(true);
  });

  it.each([
    ['an empty window', FROM, FROM],
    ['a reversed window', TO, FROM],
    ['an open window', FROM, Number.POSITIVE_INFINITY],
  ])('rejects %s', (_name, from, to) => {
    expect(() => generateSigningKey('eu-central-1', from, to)).toThrow(RangeError);
  });
});

describe('sealed signing keys', () => {
  let key: SigningKey;
  let box: SecretBox;
  let stored: StoredSigningKey;
  beforeAll(() => {
    key = generateSigningKey('ap-south-1', FROM, TO);
    box = new SecretBox(randomBytes(32));
    stored = sealSigningKey(key, box);
  });

  it('keep the public parts in the clear and the private key sealed', () => {
    expect(stored).toMatchObject({ region: 'ap-south-1', fingerprint: key.fingerprint, validFromMs: FROM, validToMs: TO });
    expect(stored.publicKeyDer.equals(key.publicKeyDer)).toBe(true);
    expect(stored.sealedPrivateKey).not.toContain('PRIVATE KEY');
    expect(JSON.parse(box.open(stored.sealedPrivateKey))).toMatchObject({ v: 1, privateKeyPem: expect.stringContaining('-----BEGIN PRIVATE KEY-----') as unknown });
  });

  it('round-trip: the opened key signs what the original public key verifies', () => {
    const opened = openSigningKey(stored, box);
    expect(opened).toMatchObject({ region: key.region, fingerprint: key.fingerprint, validFromMs: FROM, validToMs: TO });
    expect(opened.publicKeyDer.equals(key.publicKeyDer)).toBe(true);
    expect(verifyDigestSignature('s', signDigest('s', opened.privateKey), key.publicKeyDer)).toBe(true);
  });

  it('fails when the sealed text is tampered with', () => {
    const [version, iv, tag, body] = stored.sealedPrivateKey.split(':') as [string, string, string, string];
    const bytes = Buffer.from(body, 'base64');
    bytes[10]! ^= 1;
    const tampered = { ...stored, sealedPrivateKey: [version, iv, tag, bytes.toString('base64')].join(':') };
    expect(() => openSigningKey(tampered, box)).toThrow(/does not open/);
    expect(() => openSigningKey({ ...stored, sealedPrivateKey: 'garbage' }, box)).toThrow(/does not open/);
  });

  it('fails under another master key', () => {
    expect(() => openSigningKey(stored, new SecretBox(randomBytes(32)))).toThrow(/does not open/);
  });

  it('fails when the clear fields were edited', () => {
    const other = generateSigningKey('ap-south-1', FROM, TO);
    expect(() => openSigningKey({ ...stored, validToMs: TO + 1 }, box)).toThrow(/window/);
    expect(() => openSigningKey({ ...stored, validFromMs: FROM - 1 }, box)).toThrow(/window/);
    expect(() => openSigningKey({ ...stored, region: 'us-east-1' }, box)).toThrow(/region/);
    expect(() => openSigningKey({ ...stored, publicKeyDer: other.publicKeyDer }, box)).toThrow(/public key/);
    expect(() => openSigningKey({ ...stored, fingerprint: other.fingerprint }, box)).toThrow(/fingerprint/);
    // Another key's sealed private key under this key's public parts.
    expect(() => openSigningKey({ ...stored, sealedPrivateKey: sealSigningKey(other, box).sealedPrivateKey }, box)).toThrow(/public key/);
  });
});
