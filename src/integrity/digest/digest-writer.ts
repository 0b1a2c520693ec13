/**
 * Writing a digest: the document's exact bytes, the string to sign, the signature and the S3
 * object, as pure functions. The format is described in ./digest-format.ts.
 */
import { sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { deterministicGzip } from '../../core/log-file.js';
import { isoSeconds } from '../../core/time-format.js';
import { DIGEST_TIME, digestStringToSign, HASH_ALGORITHM, HEX64, isCalendarTime, isIndex, LEAF_HASHING, sha256Hex, SIGNATURE_ALGORITHM } from './digest-format.js';

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

const HEX32 = /^[0-9a-f]{32}$/;
const HEX = /^(?:[0-9a-f]{2})+$/;
const ACCOUNT_ID = /^\d{12}$/;
/** Accepted event times: ISO 8601 date-time with a zone; never Date.parse's local-time forms. */
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new RangeError(message);
}

function digestTime(ms: number, what: string): string {
  check(Number.isFinite(ms), `${what} is not a time: ${ms}`);
  const text = isoSeconds(ms);
  check(DIGEST_TIME.test(text), `${what} is not representable as YYYY-MM-DDTHH:MM:SSZ: ${ms}`);
  return text;
}

function eventTimeMs(value: string, what: string): number {
  const ms = EVENT_TIME.test(value) && isCalendarTime(value) ? Date.parse(value) : Number.NaN;
  check(!Number.isNaN(ms), `${what} is not an ISO 8601 time with a zone: ${value}`);
  return ms;
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

/** RSASSA-PKCS1-v1_5 with SHA-256 over the UTF-8 string to sign; lowercase hex. */
export function signDigest(stringToSign: string, privateKey: KeyObject): string {
  // An 'rsa-pss' key would make Node sign with PSS, which the CLI's verifier rejects.
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError('digests are signed with an RSA private key');
  }
  return sign('sha256', Buffer.from(stringToSign, 'utf8'), privateKey).toString('hex');
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
