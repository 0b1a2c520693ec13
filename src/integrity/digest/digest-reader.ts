/**
 * Reading a digest back, for validators: parsing its document, the string to sign of what was
 * read, and checking its signature. The format is described in ./digest-format.ts.
 */
import { createPublicKey, verify } from 'node:crypto';
import { isObject } from '../../core/is-object.js';
import { DIGEST_TIME, digestStringToSign, HASH_ALGORITHM, HEX64, isCalendarTime, isIndex, LEAF_HASHING } from './digest-format.js';

export interface ParsedLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  /** Null when absent (validate-logs ignores it and always uses SHA-256). */
  hashAlgorithm: string | null;
  newestEventTime: string | null;
  oldestEventTime: string | null;
  /** OpenTrail extension; null in CloudTrail's own digests. */
  openTrailLeafRange: { first: number; last: number } | null;
}

export interface ParsedMerkle {
  treeSize: number;
  rootHash: string;
  hashAlgorithm: string;
  leafHashing: string;
}

/**
 * A digest document as read back, field names as in the JSON. What validate-logs requires is
 * required here too (with the types it needs); what it ignores is null when absent.
 */
export interface ParsedDigest {
  awsAccountId: string | null;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string | null;
  newestEventTime: string | null;
  oldestEventTime: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  /** Must be present; null in a starting digest. */
  previousDigestSignature: string | null;
  logFiles: ParsedLogFile[];
  /** OpenTrail extension; null in CloudTrail's own digests. */
  openTrailMerkle: ParsedMerkle | null;
}

class FormatError extends Error {}

type Json = Record<string, unknown>;

function requiredString(o: Json, field: string, where: string): string {
  const value = o[field];
  if (typeof value !== 'string') throw new FormatError(`${where}${field} is ${value === undefined ? 'missing' : 'not a string'}`);
  return value;
}

/** Absent or null → null; present → must be a string. */
function optionalString(o: Json, field: string, where: string): string | null {
  const value = o[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new FormatError(`${where}${field} is not a string or null`);
  return value;
}

function index(o: Json, field: string, where: string): number {
  const value = o[field];
  if (typeof value !== 'number' || !isIndex(value)) throw new FormatError(`${where}${field} is not a non-negative integer`);
  return value;
}

function parseMerkle(value: unknown): ParsedMerkle | null {
  if (value === undefined) return null;
  if (!isObject(value)) throw new FormatError('openTrailMerkle is not an object');
  const where = 'openTrailMerkle.';
  const merkle = {
    treeSize: index(value, 'treeSize', where),
    rootHash: requiredString(value, 'rootHash', where),
    hashAlgorithm: requiredString(value, 'hashAlgorithm', where),
    leafHashing: requiredString(value, 'leafHashing', where),
  };
  if (!HEX64.test(merkle.rootHash)) throw new FormatError('openTrailMerkle.rootHash is not 64 lowercase hex digits');
  if (merkle.hashAlgorithm !== HASH_ALGORITHM) throw new FormatError(`openTrailMerkle.hashAlgorithm is not ${HASH_ALGORITHM}`);
  if (merkle.leafHashing !== LEAF_HASHING) throw new FormatError(`openTrailMerkle.leafHashing is not ${LEAF_HASHING}`);
  return merkle;
}

function parseLogFile(value: unknown, i: number): ParsedLogFile {
  const where = `logFiles[${i}].`;
  if (!isObject(value)) throw new FormatError(`logFiles[${i}] is not an object`);
  let leafRange: ParsedLogFile['openTrailLeafRange'] = null;
  const range = value.openTrailLeafRange;
  if (range !== undefined) {
    if (!isObject(range)) throw new FormatError(`${where}openTrailLeafRange is not an object`);
    leafRange = { first: index(range, 'first', `${where}openTrailLeafRange.`), last: index(range, 'last', `${where}openTrailLeafRange.`) };
    if (leafRange.first > leafRange.last) throw new FormatError(`${where}openTrailLeafRange starts after it ends`);
  }
  return {
    s3Bucket: requiredString(value, 's3Bucket', where),
    s3Object: requiredString(value, 's3Object', where),
    hashValue: requiredString(value, 'hashValue', where),
    hashAlgorithm: optionalString(value, 'hashAlgorithm', where),
    newestEventTime: optionalString(value, 'newestEventTime', where),
    oldestEventTime: optionalString(value, 'oldestEventTime', where),
    openTrailLeafRange: leafRange,
  };
}

/**
 * Reads an uncompressed digest document. Errors name the first problem: not UTF-8 JSON, not an
 * object, a field validate-logs requires missing or of the wrong type (previousDigestSignature
 * must be present, possibly null), digestStartTime/digestEndTime not `YYYY-MM-DDTHH:MM:SSZ`,
 * or a malformed OpenTrail extension. Unknown fields are ignored, as the CLI does.
 */
export function parseDigest(bytes: Buffer): ParsedDigest | { error: string } {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { error: 'not UTF-8 JSON' };
  }
  if (!isObject(document)) return { error: 'not a JSON object' };
  try {
    const o = document;
    if (!('previousDigestSignature' in o)) throw new FormatError('previousDigestSignature is missing');
    if (!Array.isArray(o.logFiles)) throw new FormatError(`logFiles is ${o.logFiles === undefined ? 'missing' : 'not an array'}`);
    const parsed: ParsedDigest = {
      awsAccountId: optionalString(o, 'awsAccountId', ''),
      digestStartTime: requiredString(o, 'digestStartTime', ''),
      digestEndTime: requiredString(o, 'digestEndTime', ''),
      digestS3Bucket: requiredString(o, 'digestS3Bucket', ''),
      digestS3Object: requiredString(o, 'digestS3Object', ''),
      digestPublicKeyFingerprint: requiredString(o, 'digestPublicKeyFingerprint', ''),
      digestSignatureAlgorithm: optionalString(o, 'digestSignatureAlgorithm', ''),
      newestEventTime: optionalString(o, 'newestEventTime', ''),
      oldestEventTime: optionalString(o, 'oldestEventTime', ''),
      previousDigestS3Bucket: optionalString(o, 'previousDigestS3Bucket', ''),
      previousDigestS3Object: optionalString(o, 'previousDigestS3Object', ''),
      previousDigestHashValue: optionalString(o, 'previousDigestHashValue', ''),
      previousDigestHashAlgorithm: optionalString(o, 'previousDigestHashAlgorithm', ''),
      previousDigestSignature: optionalString(o, 'previousDigestSignature', ''),
      logFiles: (o.logFiles as unknown[]).map(parseLogFile),
      openTrailMerkle: parseMerkle(o.openTrailMerkle),
    };
    for (const field of ['digestStartTime', 'digestEndTime'] as const) {
      if (!DIGEST_TIME.test(parsed[field]) || !isCalendarTime(parsed[field])) {
        throw new FormatError(`${field} is not YYYY-MM-DDTHH:MM:SSZ`);
      }
    }
    return parsed;
  } catch (error) {
    if (error instanceof FormatError) return { error: error.message };
    throw error;
  }
}

/** The string to sign of a parsed digest and its uncompressed bytes (what a validator checks). */
export function parsedDigestStringToSign(digest: ParsedDigest, digestBytes: Buffer): string {
  return digestStringToSign({
    endTime: digest.digestEndTime,
    bucket: digest.digestS3Bucket,
    key: digest.digestS3Object,
    digestBytes,
    previousSignature: digest.previousDigestSignature,
  });
}

/**
 * Checks a hex signature against the DER PKCS#1 RSAPublicKey (ListPublicKeys `Value`, decoded).
 * False for a wrong or malformed signature (hex is read strictly, either case, as Python's
 * `unhexlify` does); throws when the key itself does not load as PKCS#1 (validate-logs reports
 * that separately: "Unable to load PKCS #1 key").
 */
export function verifyDigestSignature(stringToSign: string, signatureHex: string, publicKeyDer: Buffer): boolean {
  const publicKey = createPublicKey({ key: publicKeyDer, format: 'der', type: 'pkcs1' });
  // OpenSSL also derives a public key from private key DER here: accept only an RSAPublicKey,
  // which is what the CLI's PKCS#1 loader accepts.
  if (!publicKey.export({ type: 'pkcs1', format: 'der' }).equals(publicKeyDer)) {
    throw new TypeError('not a DER PKCS#1 RSAPublicKey');
  }
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  try {
    return verify('sha256', Buffer.from(stringToSign, 'utf8'), publicKey, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
