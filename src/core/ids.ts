import { randomBytes, randomUUID } from 'node:crypto';

/** Event ids and request ids are GUIDs, as CloudTrail's. */
export function newGuid(): string {
  return randomUUID();
}

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Access key ids look like AWS's: a 4-letter prefix (AKIA for long-term keys) and 16 base32 characters. */
export function newAccessKeyId(): string {
  const bytes = randomBytes(16);
  let id = 'AKIA';
  for (const b of bytes) id += ALNUM_UPPER[b % 32];
  return id;
}

/** 40-character secrets from the base64 alphabet, as AWS secret access keys. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** A 12-digit account id that does not start with 0 (some tools strip leading zeros). */
export function newAccountId(): string {
  const bytes = randomBytes(12);
  let id = String(1 + (bytes[0]! % 9));
  for (let i = 1; i < 12; i++) id += String(bytes[i]! % 10);
  return id;
}

/** Principal ids of IAM users start with AIDA. */
export function newUserPrincipalId(): string {
  return 'AIDA' + newAccessKeyId().slice(4);
}
