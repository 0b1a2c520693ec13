/**
 * A digest the user kept from an earlier run (`--trusted-digest`): its signed tree head is what
 * makes tail truncation detectable. It must be a signed OpenTrail digest of this trail, region and
 * bucket; its signature is checked with the keys ListPublicKeys returns.
 */
import { parseDigest, parsedDigestStringToSign, verifyDigestSignature } from '../digest/digest-reader.js';
import type { KeyLookup } from './digest-check.js';
import { gunzipMember, GzipFormatError } from './gzip-member.js';
import type { TrustedHead } from './merkle-check.js';

export interface TrustedDigestInput {
  /** Where the user keeps it (for messages). */
  path: string;
  /** The digest as stored (gzip) or its uncompressed JSON. */
  body: Buffer;
  /** Hex signature (the object's `signature` metadata). */
  signature: string;
}

export async function readTrustedDigest(
  input: TrustedDigestInput,
  expect: { bucket: string; keyPattern: RegExp; homeRegion: string },
  findKey: KeyLookup,
): Promise<TrustedHead | { problem: string }> {
  let bytes = input.body;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipMember(bytes);
    } catch (error) {
      if (error instanceof GzipFormatError) return { problem: `invalid format: ${error.message}` };
      throw error;
    }
  }
  const digest = parseDigest(bytes);
  if ('error' in digest) return { problem: `invalid format: ${digest.error}` };
  const location = `s3://${digest.digestS3Bucket}/${digest.digestS3Object}`;
  if (digest.digestS3Bucket !== expect.bucket || !expect.keyPattern.test(digest.digestS3Object)) {
    return { problem: `${location} is not a digest of this trail, region and bucket` };
  }
  const startMs = Date.parse(digest.digestStartTime);
  const endMs = Date.parse(digest.digestEndTime);
  const fingerprint = digest.digestPublicKeyFingerprint;
  const der = await findKey(fingerprint, { startMs, endMs });
  if (der === undefined) return { problem: `public key not found in region ${expect.homeRegion} for fingerprint ${fingerprint}` };
  let verified: boolean;
  try {
    verified = verifyDigestSignature(parsedDigestStringToSign(digest, bytes), input.signature.trim(), der);
  } catch {
    return { problem: `Unable to load PKCS #1 key with fingerprint ${fingerprint}` };
  }
  if (!verified) return { problem: 'signature verification failed' };
  if (digest.openTrailMerkle === null) return { problem: `${location} has no openTrailMerkle` };
  return { location, treeSize: digest.openTrailMerkle.treeSize, rootHash: digest.openTrailMerkle.rootHash, endMs };
}
