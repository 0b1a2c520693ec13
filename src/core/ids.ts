import { hash, randomBytes, randomUUID } from 'node:crypto';

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

/**
 * STS session tokens: opaque to clients, long like AWS's (hundreds of characters), and random
 * enough (256 bytes) that only a hash of them needs to be kept.
 */
export function newSessionToken(): string {
  return randomBytes(256).toString('base64');
}

/** A 12-digit account id that does not start with 0 (some tools strip leading zeros). */
export function newAccountId(): string {
  const bytes = randomBytes(12);
  let id = String(1 + (bytes[0]! % 9));
  for (let i = 1; i < 12; i++) id += String(bytes[i]! % 10);
  return id;
}

/** IAM's unique ids: 4-letter prefixes by kind, then 16 base32 characters. */
export type IamIdPrefix =
  | 'AIDA' // user
  | 'AROA' // role
  | 'AGPA' // group
  | 'ANPA' // managed policy
  | 'AKIA' // long-term access key
  | 'ASIA'; // temporary (STS) access key

export function newIamId(prefix: IamIdPrefix): string {
  return prefix + newAccessKeyId().slice(4);
}

/** Principal ids of IAM users start with AIDA. */
export function newUserPrincipalId(): string {
  return newIamId('AIDA');
}

/**
 * A GUID derived from a name (UUID version 8 over SHA-256): the same name always gives the
 * same id. PutAuditEvents uses (channel ARN, caller's event id), so a retried event gets the
 * eventID of its first delivery and the event log can refuse to store it twice.
 */
export function nameBasedGuid(name: string): string {
  // One-shot hash as hex (no Hash object per event: PutAuditEvents makes one per event).
  const hex = hash('sha256', name, 'hex');
  // The version nibble (8) replaces byte 6's high half; byte 8's top bits become 10 (the variant).
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
