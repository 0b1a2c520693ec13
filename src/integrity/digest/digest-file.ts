/**
 * CloudTrail digest files (facts §5.1–5.3) with OpenTrail's Merkle extension, as pure functions:
 * the document's exact bytes, the string to sign, the signature, the S3 object to write, and a
 * parser for validators.
 *
 * Format decisions:
 *
 * - CloudTrail's fields in the order of AWS's published example, compact JSON (no whitespace),
 *   UTF-8. Every field is always written: `newestEventTime`/`oldestEventTime` are null when no
 *   log file is listed, and all five `previous*` fields are null in a starting digest.
 * - Times are `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds, truncated).
 * - The extension lives under names CloudTrail does not use: a top-level `openTrailMerkle`
 *   (after `logFiles`) and an `openTrailLeafRange` per log file (after its CloudTrail fields).
 *   `aws cloudtrail validate-logs` ignores unknown fields, and the signature covers them.
 * - The bytes are signed exactly as they are gzipped: nothing is ever re-serialised.
 */
import { createHash, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { deterministicGzip } from '../../core/log-file.js';
import { isoSeconds } from '../../core/time-format.js';

export const SIGNATURE_ALGORITHM = 'SHA256withRSA';
export const HASH_ALGORITHM = 'SHA-256';
/** RFC 6962 leaf and node hashing (0x00 / 0x01 domain separation) over SHA-256. */
export const LEAF_HASHING = 'RFC6962';

export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  /** Lowercase hex SHA-256 of the uncompressed log file. */
  hashValue: string;
  /** ISO 8601 with a zone (`Z` or `±HH:MM`); written as `YYYY-MM-DDTHH:MM:SSZ`. */
  newestEventTime: string;
  oldestEventTime: string;
  /** OpenTrail extension: leaf indices (inclusive) of this file's records in the trail+region Merkle tree. */
  leafRange: { first: number; last: number };
}

/** The digest this one chains to. */
export interface PreviousDigest {
  bucket: string;
  key: string;
  /** Lowercase hex SHA-256 of its uncompressed bytes. */
  hashValue: string;
  /** Its signature, lowercase hex. */
  signature: string;
}

export interface DigestInput {
  accountId: string;
  /** The delivery-time window `[start, end]` the digest covers, epoch ms (written to the second). */
  startTimeMs: number;
  endTimeMs: number;
  /** Where the digest is written; `key` comes from `digestKey` (src/core/log-file.ts). */
  bucket: string;
  key: string;
  /** Fingerprint of the signing key: 32 lowercase hex digits. */
  publicKeyFingerprint: string;
  /** Absent in a starting digest. */
  previous?: PreviousDigest;
  logFiles: readonly DigestLogFile[];
  /** OpenTrail extension: the tree head at digestEndTime. */
  merkle: { treeSize: number; rootHash: string };
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX32 = /^[0-9a-f]{32}$/;
const HEX = /^(?:[0-9a-f]{2})+$/;
const ACCOUNT_ID = /^\d{12}$/;
/** What `digestJson` writes for every time. */
const DIGEST_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** Accepted event times: ISO 8601 date-time with a zone; never Date.parse's local-time forms. */
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new RangeError(message);
}

function digestTime(ms: number, what: string): string {
  check(Number.isFinite(ms), `${what} is not a time: ${ms}`);
  const text = isoSeconds(ms);
  check(DIGEST_TIME.test(text), `${what} is not representable as YYYY-MM-DDTHH:MM:SSZ: ${ms}`);
  return text;
}

/** Date.parse rolls over (Feb 30, hour 24): accept only dates and times that exist. */
function isCalendarTime(value: string): boolean {
  const local = `${value.slice(0, 19)}Z`;
  const ms = Date.parse(local);
  return !Number.isNaN(ms) && isoSeconds(ms) === local;
}

function eventTimeMs(value: string, what: string): number {
  const ms = EVENT_TIME.test(value) && isCalendarTime(value) ? Date.parse(value) : Number.NaN;
  check(!Number.isNaN(ms), `${what} is not an ISO 8601 time with a zone: ${value}`);
  return ms;
}

function isIndex(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * The digest document's exact bytes: UTF-8 compact JSON, CloudTrail's field names and order
 * (awsAccountId, digestStartTime, digestEndTime, digestS3Bucket, digestS3Object,
 * digestPublicKeyFingerprint, digestSignatureAlgorithm, newestEventTime, oldestEventTime,
 * previousDigestS3Bucket, previousDigestS3Object, previousDigestHashValue,
 * previousDigestHashAlgorithm, previousDigestSignature, logFiles, then openTrailMerkle).
 * Throws RangeError on input that would produce a digest validators reject (uppercase hex, a
 * start after the end, leaf ranges outside the tree, ...).
 */
export function digestJson(input: DigestInput): Buffer {
  check(ACCOUNT_ID.test(input.accountId), `accountId must be 12 digits: ${input.accountId}`);
  check(input.startTimeMs <= input.endTimeMs, 'startTimeMs is after endTimeMs');
  check(input.bucket !== '' && input.key !== '', 'bucket and key must not be empty');
  check(HEX32.test(input.publicKeyFingerprint), `publicKeyFingerprint must be 32 lowercase hex digits: ${input.publicKeyFingerprint}`);
  const { treeSize, rootHash } = input.merkle;
  check(isIndex(treeSize), `merkle.treeSize must be a non-negative integer: ${treeSize}`);
  check(HEX64.test(rootHash), `merkle.rootHash must be 64 lowercase hex digits: ${rootHash}`);
  const previous = input.previous;
  if (previous !== undefined) {
    check(previous.bucket !== '' && previous.key !== '', 'previous bucket and key must not be empty');
    check(HEX64.test(previous.hashValue), `previous.hashValue must be 64 lowercase hex digits: ${previous.hashValue}`);
    check(HEX.test(previous.signature), 'previous.signature must be lowercase hex');
  }

  let newest: number | undefined;
  let oldest: number | undefined;
  const logFiles = input.logFiles.map((file, i) => {
    check(HEX64.test(file.hashValue), `logFiles[${i}].hashValue must be 64 lowercase hex digits: ${file.hashValue}`);
    const { first, last } = file.leafRange;
    check(isIndex(first) && isIndex(last) && first <= last, `logFiles[${i}].leafRange is not a range of leaf indices: ${first}..${last}`);
    check(last < treeSize, `logFiles[${i}].leafRange ends at ${last}, outside a tree of ${treeSize} leaves`);
    const newestMs = eventTimeMs(file.newestEventTime, `logFiles[${i}].newestEventTime`);
    const oldestMs = eventTimeMs(file.oldestEventTime, `logFiles[${i}].oldestEventTime`);
    check(oldestMs <= newestMs, `logFiles[${i}].oldestEventTime is after its newestEventTime`);
    newest = newest === undefined ? newestMs : Math.max(newest, newestMs);
    oldest = oldest === undefined ? oldestMs : Math.min(oldest, oldestMs);
    return {
      s3Bucket: file.s3Bucket,
      s3Object: file.s3Object,
      hashValue: file.hashValue,
      hashAlgorithm: HASH_ALGORITHM,
      newestEventTime: digestTime(newestMs, `logFiles[${i}].newestEventTime`),
      oldestEventTime: digestTime(oldestMs, `logFiles[${i}].oldestEventTime`),
      openTrailLeafRange: { first, last },
    };
  });

  // Insertion order is the serialisation order.
  const document = {
    awsAccountId: input.accountId,
    digestStartTime: digestTime(input.startTimeMs, 'startTimeMs'),
    digestEndTime: digestTime(input.endTimeMs, 'endTimeMs'),
    digestS3Bucket: input.bucket,
    digestS3Object: input.key,
    digestPublicKeyFingerprint: input.publicKeyFingerprint,
    digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
    newestEventTime: newest === undefined ? null : digestTime(newest, 'newestEventTime'),
    oldestEventTime: oldest === undefined ? null : digestTime(oldest, 'oldestEventTime'),
    previousDigestS3Bucket: previous?.bucket ?? null,
    previousDigestS3Object: previous?.key ?? null,
    previousDigestHashValue: previous?.hashValue ?? null,
    previousDigestHashAlgorithm: previous === undefined ? null : HASH_ALGORITHM,
    previousDigestSignature: previous?.signature ?? null,
    logFiles,
    openTrailMerkle: { treeSize, rootHash, hashAlgorithm: HASH_ALGORITHM, leafHashing: LEAF_HASHING },
  };
  return Buffer.from(JSON.stringify(document), 'utf8');
}

/**
 * CloudTrail's string to sign (facts §5.3): digestEndTime as written, `bucket/key`, the lowercase
 * hex SHA-256 of the uncompressed digest bytes exactly as stored, and the previous signature or
 * the literal `null`; joined by `\n`, no trailing newline.
 */
export function digestStringToSign(p: {
  endTime: string;
  bucket: string;
  key: string;
  digestBytes: Buffer;
  previousSignature: string | null;
}): string {
  return [p.endTime, `${p.bucket}/${p.key}`, sha256Hex(p.digestBytes), p.previousSignature ?? 'null'].join('\n');
}

/** RSASSA-PKCS1-v1_5 with SHA-256 over the UTF-8 string to sign; lowercase hex. */
export function signDigest(stringToSign: string, privateKey: KeyObject): string {
  // An 'rsa-pss' key would make Node sign with PSS, which the CLI's verifier rejects.
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError('digests are signed with an RSA private key');
  }
  return sign('sha256', Buffer.from(stringToSign, 'utf8'), privateKey).toString('hex');
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

export interface SignedDigest {
  bucket: string;
  key: string;
  /** The uncompressed document (what is hashed and signed). */
  json: Buffer;
  /** What goes to S3 (deterministic gzip, a single member; no Content-Encoding header). */
  gzip: Buffer;
  /** Lowercase hex SHA-256 of `json`: the next digest's previousDigestHashValue. */
  sha256: string;
  /** digestEndTime as written. */
  endTime: string;
  stringToSign: string;
  /** Lowercase hex. */
  signature: string;
  /** S3 user metadata of the object: `x-amz-meta-signature`, `x-amz-meta-signature-algorithm`. */
  metadata: Record<string, string>;
  /** What the next digest of the chain passes as `previous`. */
  asPrevious: PreviousDigest;
}

/**
 * Serialises, signs and gzips a digest. The fingerprint comes from the signing key; when the
 * input names one too, it must be the same.
 */
export function buildSignedDigest(
  input: Omit<DigestInput, 'publicKeyFingerprint'> & { publicKeyFingerprint?: string },
  signingKey: { privateKey: KeyObject; fingerprint: string },
): SignedDigest {
  if (input.publicKeyFingerprint !== undefined && input.publicKeyFingerprint !== signingKey.fingerprint) {
    throw new RangeError('publicKeyFingerprint is not the signing key\'s fingerprint');
  }
  const json = digestJson({ ...input, publicKeyFingerprint: signingKey.fingerprint });
  const endTime = isoSeconds(input.endTimeMs);
  const stringToSign = digestStringToSign({
    endTime,
    bucket: input.bucket,
    key: input.key,
    digestBytes: json,
    previousSignature: input.previous?.signature ?? null,
  });
  const signature = signDigest(stringToSign, signingKey.privateKey);
  const sha256 = sha256Hex(json);
  return {
    bucket: input.bucket,
    key: input.key,
    json,
    gzip: deterministicGzip(json),
    sha256,
    endTime,
    stringToSign,
    signature,
    metadata: { signature, 'signature-algorithm': SIGNATURE_ALGORITHM },
    asPrevious: { bucket: input.bucket, key: input.key, hashValue: sha256, signature },
  };
}

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

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
