/**
 * One digest file's own checks, in the order `aws cloudtrail validate-logs` makes them
 * (the AWS CLI's `cloudtrail validate-logs` (AWS CLI Command Reference, and the behaviour of the stock CLI)), with its reasons: a single gzip member, JSON with the required fields, the
 * signature metadata, its location, a known fingerprint, and the RSA signature over the string to
 * sign. Reasons the stock CLI has are worded as it words them.
 */
import { createHash } from 'node:crypto';
import { parseDigest, parsedDigestStringToSign, verifyDigestSignature } from '../digest/digest-reader.js';
import type { StoredObject } from '../../objects/object-store.js';
import { gunzipMember, GzipFormatError } from './gzip-member.js';
import type { DigestOutcome } from './types.js';

/** The DER public key for a fingerprint, or undefined when ListPublicKeys does not know it. */
export type KeyLookup = (fingerprint: string, digestTimes: { startMs: number; endMs: number }) => Promise<Buffer | undefined>;

export const SIGNATURE_FAILED = 'signature verification failed';
export const MOVED = 'has been moved from its original location';

export async function checkDigest(
  object: StoredObject,
  location: { bucket: string; key: string; homeRegion: string },
  findKey: KeyLookup,
): Promise<DigestOutcome> {
  const invalid = (reason: string): DigestOutcome => ({ status: 'invalid', reason });
  let bytes: Buffer;
  try {
    bytes = await gunzipMember(object.body);
  } catch (error) {
    if (error instanceof GzipFormatError) return invalid(`invalid format: ${error.message}`);
    throw error;
  }
  const digest = parseDigest(bytes);
  if ('error' in digest) return invalid(`invalid format: ${digest.error}`);
  const signature = object.metadata.signature;
  if (signature === undefined || object.metadata['signature-algorithm'] === undefined) return invalid(SIGNATURE_FAILED);
  if (digest.digestS3Bucket !== location.bucket || digest.digestS3Object !== location.key) return invalid(MOVED);
  const startMs = Date.parse(digest.digestStartTime);
  const endMs = Date.parse(digest.digestEndTime);
  const fingerprint = digest.digestPublicKeyFingerprint;
  const der = await findKey(fingerprint, { startMs, endMs });
  if (der === undefined) return invalid(`public key not found in region ${location.homeRegion} for fingerprint ${fingerprint}`);
  let verified: boolean;
  try {
    verified = verifyDigestSignature(parsedDigestStringToSign(digest, bytes), signature, der);
  } catch {
    return invalid(`Unable to load PKCS #1 key with fingerprint ${fingerprint}`);
  }
  if (!verified) return invalid(SIGNATURE_FAILED);
  return {
    status: 'valid',
    verified: {
      bucket: location.bucket,
      key: location.key,
      digest,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      signature,
      startMs,
      endMs,
    },
  };
}
