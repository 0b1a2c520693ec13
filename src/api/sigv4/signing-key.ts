/**
 * Task 3 and 4 of SigV4: the signing key, an HMAC chain that scopes the secret to one day,
 * region and service, and the final HMAC over the string to sign.
 */
import { createHmac } from 'node:crypto';
import { TERMINATOR } from './string-to-sign.js';

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * Derives the SigV4 signing key:
 * `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
 * @param secret - The plaintext secret access key.
 * @param date - The credential-scope date, `YYYYMMDD`.
 * @param region - The credential-scope region, e.g. `us-east-1`.
 * @param service - The credential-scope service, e.g. `cloudtrail`.
 */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), TERMINATOR);
}

/** The hex signature of a string to sign under a signing key from {@link deriveSigningKey}. */
export function computeSignature(signingKey: Buffer, stringToSignText: string): string {
  return createHmac('sha256', signingKey).update(stringToSignText, 'utf8').digest('hex');
}
