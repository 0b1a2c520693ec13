/**
 * Digest signing keys (the CloudTrail User Guide, 'Custom implementations of CloudTrail log file integrity validation', and the API Reference, ListPublicKeys): RSA-2048 with e=65537, one set per region, each with a
 * validity window. The public key travels as DER PKCS#1 RSAPublicKey (ListPublicKeys `Value` is
 * its base64), and the fingerprint is the lowercase hex MD5 of those DER bytes.
 *
 * At rest the private key is sealed with the SecretBox. The sealed text holds the PKCS#8 PEM
 * together with the key's region and validity window, so editing the plain columns of a stored
 * key (to stretch its window, or to pair it with another public key) makes it fail to open.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { SecretBox } from '../../iam/secret-box.js';

export interface SigningKey {
  region: string;
  /** Lowercase hex MD5 of `publicKeyDer`. */
  fingerprint: string;
  /** DER PKCS#1 RSAPublicKey. */
  publicKeyDer: Buffer;
  privateKey: KeyObject;
  /** Validity window, epoch ms, both ends included. */
  validFromMs: number;
  validToMs: number;
}

/** A signing key as the store keeps it: public parts in the clear, the private key sealed. */
export interface StoredSigningKey {
  region: string;
  fingerprint: string;
  publicKeyDer: Buffer;
  validFromMs: number;
  validToMs: number;
  /** `SecretBox.seal` of a JSON envelope holding the PKCS#8 PEM, region and window. */
  sealedPrivateKey: string;
}

const MODULUS_BITS = 2048;
const PUBLIC_EXPONENT = 65537;

/** Lowercase hex MD5 of the DER bytes: CloudTrail's public key fingerprint. */
export function fingerprintOf(publicKeyDer: Buffer): string {
  return createHash('md5').update(publicKeyDer).digest('hex');
}

/** ListPublicKeys `Value` on the wire: plain base64 of the DER PKCS#1 public key. */
export function publicKeyValue(key: Pick<SigningKey, 'publicKeyDer'>): string {
  return key.publicKeyDer.toString('base64');
}

function checkWindow(region: string, validFromMs: number, validToMs: number): void {
  if (region === '') throw new RangeError('region must not be empty');
  if (!Number.isFinite(validFromMs) || !Number.isFinite(validToMs) || validFromMs >= validToMs) {
    throw new RangeError(`validity window must be finite and non-empty: ${validFromMs}..${validToMs}`);
  }
}

function fromPrivateKey(region: string, privateKey: KeyObject, validFromMs: number, validToMs: number): SigningKey {
  const publicKeyDer = createPublicKey(privateKey).export({ type: 'pkcs1', format: 'der' });
  return { region, fingerprint: fingerprintOf(publicKeyDer), publicKeyDer, privateKey, validFromMs, validToMs };
}

/** A new RSA-2048 (e=65537) signing key. Blocks for a moment; servers use the async variant. */
export function generateSigningKey(region: string, validFromMs: number, validToMs: number): SigningKey {
  checkWindow(region, validFromMs, validToMs);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: MODULUS_BITS, publicExponent: PUBLIC_EXPONENT });
  return fromPrivateKey(region, privateKey, validFromMs, validToMs);
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** `generateSigningKey` off the event loop (libuv thread pool). */
export async function generateSigningKeyAsync(region: string, validFromMs: number, validToMs: number): Promise<SigningKey> {
  checkWindow(region, validFromMs, validToMs);
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: MODULUS_BITS, publicExponent: PUBLIC_EXPONENT });
  return fromPrivateKey(region, privateKey, validFromMs, validToMs);
}

/** What the sealed text holds. `v` versions the envelope. */
interface Envelope {
  v: 1;
  region: string;
  validFromMs: number;
  validToMs: number;
  privateKeyPem: string;
}

export function sealSigningKey(key: SigningKey, box: SecretBox): StoredSigningKey {
  const privateKeyPem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const envelope: Envelope = { v: 1, region: key.region, validFromMs: key.validFromMs, validToMs: key.validToMs, privateKeyPem };
  return {
    region: key.region,
    fingerprint: key.fingerprint,
    publicKeyDer: Buffer.from(key.publicKeyDer),
    validFromMs: key.validFromMs,
    validToMs: key.validToMs,
    sealedPrivateKey: box.seal(JSON.stringify(envelope)),
  };
}

/**
 * Opens a stored key. Throws when the sealed text does not open (tampered, another master key)
 * or when the clear fields disagree with it: region, window, public key or fingerprint.
 */
export function openSigningKey(stored: StoredSigningKey, box: SecretBox): SigningKey {
  const where = `signing key ${stored.fingerprint} (${stored.region})`;
  let envelope: Partial<Envelope>;
  try {
    envelope = JSON.parse(box.open(stored.sealedPrivateKey)) as Partial<Envelope>;
  } catch {
    throw new Error(`${where}: the sealed private key does not open`);
  }
  if (envelope.v !== 1 || typeof envelope.privateKeyPem !== 'string') {
    throw new Error(`${where}: unknown sealed key format`);
  }
  if (envelope.region !== stored.region || envelope.validFromMs !== stored.validFromMs || envelope.validToMs !== stored.validToMs) {
    throw new Error(`${where}: region or validity window differ from the sealed ones`);
  }
  const privateKey = createPrivateKey({ key: envelope.privateKeyPem, format: 'pem' });
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error(`${where}: not an RSA key`);
  const key = fromPrivateKey(stored.region, privateKey, stored.validFromMs, stored.validToMs);
  if (!key.publicKeyDer.equals(stored.publicKeyDer) || key.fingerprint !== stored.fingerprint) {
    throw new Error(`${where}: the public key or fingerprint does not belong to the sealed private key`);
  }
  return key;
}
