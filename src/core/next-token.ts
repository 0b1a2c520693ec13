/**
 * LookupEvents paging tokens. A token carries where the last page ended, the log position the
 * first page saw (so later pages show the same snapshot even while events keep arriving), and a
 * fingerprint of the query, since CloudTrail requires a token to be reused with identical
 * parameters. Tokens grant nothing: every lookup is scoped to the caller's account anyway.
 */
import { createHash } from 'node:crypto';

export interface PageToken {
  fingerprint: string;
  timeMs: number;
  seq: number;
  maxSeq: number;
}

export function queryFingerprint(parameters: unknown): string {
  return createHash('sha256').update(JSON.stringify(parameters)).digest('base64url').slice(0, 22);
}

export function encodePageToken(token: PageToken): string {
  return Buffer.from(JSON.stringify([1, token.fingerprint, token.timeMs, token.seq, token.maxSeq])).toString('base64url');
}

/** The token, or undefined when it is not one of ours. */
export function decodePageToken(text: string): PageToken | undefined {
  if (text.length > 512 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 5 || value[0] !== 1) return undefined;
  const [, fingerprint, timeMs, seq, maxSeq] = value as unknown[];
  if (typeof fingerprint !== 'string' || ![timeMs, seq, maxSeq].every((n) => Number.isSafeInteger(n))) return undefined;
  return { fingerprint, timeMs: timeMs as number, seq: seq as number, maxSeq: maxSeq as number };
}
