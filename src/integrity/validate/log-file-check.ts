/**
 * One log file: read it, inflate its single gzip member, compare the SHA-256 of the content with
 * the digest's hashValue (the AWS CLI's `cloudtrail validate-logs` (AWS CLI Command Reference, and the behaviour of the stock CLI)), and hash its records into Merkle leaves (RFC 6962 leaf
 * hashes of each record's exact UTF-8 text, in file order).
 */
import { createHash } from 'node:crypto';
import { splitRecords } from '../../core/log-file-records.js';
import { HASH_SIZE, leafHash } from '../merkle/index.js';
import { gunzipMember, GzipFormatError } from './gzip-member.js';
import type { ObjectReader } from './types.js';

export const NOT_FOUND = 'not found';
export const HASH_MISMATCH = "hash value doesn't match";

export type LogFileResult =
  | {
      valid: true;
      /** The records' leaf hashes, 32 bytes each, concatenated; undefined when the records could not be split. */
      leaves: Buffer | undefined;
      /** Why the records could not be split into leaves. */
      leafProblem?: string;
    }
  | { valid: false; reason: string };

/** Leaf hashes of a log file's records, concatenated. Throws LogFileFormatError when it is not a log file. */
export function recordLeaves(content: Buffer): Buffer {
  const records = splitRecords(content.toString('utf8'));
  const out = Buffer.allocUnsafe(records.length * HASH_SIZE);
  records.forEach((record, i) => out.set(leafHash(Buffer.from(record, 'utf8')), i * HASH_SIZE));
  return out;
}

export async function checkLogFile(reader: ObjectReader, file: { bucket: string; key: string; hashValue: string }, wantLeaves: boolean): Promise<LogFileResult> {
  let body: Buffer;
  try {
    const object = await reader.getObject(file.bucket, file.key);
    if (object === undefined) return { valid: false, reason: NOT_FOUND };
    body = object.body;
  } catch (error) {
    return { valid: false, reason: `could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  let content: Buffer;
  try {
    content = await gunzipMember(body);
  } catch (error) {
    if (error instanceof GzipFormatError) return { valid: false, reason: `invalid format: ${error.message}` };
    throw error;
  }
  if (createHash('sha256').update(content).digest('hex') !== file.hashValue) return { valid: false, reason: HASH_MISMATCH };
  if (!wantLeaves) return { valid: true, leaves: undefined };
  try {
    return { valid: true, leaves: recordLeaves(content) };
  } catch (error) {
    return { valid: true, leaves: undefined, leafProblem: (error as Error).message };
  }
}
