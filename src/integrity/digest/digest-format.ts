/**
 * CloudTrail digest files (the CloudTrail User Guide, 'CloudTrail digest file structure' and 'Custom implementations of CloudTrail log file integrity validation') with OpenTrail's Merkle extension: what the writer
 * (./digest-writer.ts: the document, its signature, the S3 object) and the reader
 * (./digest-reader.ts: parsing and checking, for validators) agree on.
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
import { createHash } from 'node:crypto';
import { isoSeconds } from '../../core/time-format.js';

export const SIGNATURE_ALGORITHM = 'SHA256withRSA';
export const HASH_ALGORITHM = 'SHA-256';
/** RFC 6962 leaf and node hashing (0x00 / 0x01 domain separation) over SHA-256. */
export const LEAF_HASHING = 'RFC6962';

/** Hashes (SHA-256 values, tree roots): 64 lowercase hex digits. */
export const HEX64 = /^[0-9a-f]{64}$/;
/** What the writer writes for every digest time, and the reader requires of the window's. */
export const DIGEST_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Date.parse rolls over (Feb 30, hour 24): accept only dates and times that exist. */
export function isCalendarTime(value: string): boolean {
  const local = `${value.slice(0, 19)}Z`;
  const ms = Date.parse(local);
  return !Number.isNaN(ms) && isoSeconds(ms) === local;
}

export function isIndex(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * CloudTrail's string to sign (the CloudTrail User Guide, 'Custom implementations of CloudTrail log file integrity validation'): digestEndTime as written, `bucket/key`, the lowercase
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
