/**
 * Task 2 of SigV4: the string to sign, which binds the hashed canonical request to an instant
 * and a credential scope.
 */
import { sha256Hex } from './canonical-request.js';
import { ALGORITHM } from './authorization-header.js';

/** The fixed last element of every SigV4 credential scope. */
export const TERMINATOR = 'aws4_request';

/** The credential scope `YYYYMMDD/region/service/aws4_request`. */
export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/${TERMINATOR}`;
}

/**
 * Builds the SigV4 string to sign, four lines: the algorithm `AWS4-HMAC-SHA256`, the request
 * time, the credential scope, and the hex SHA-256 of the canonical request.
 * @param amzDate - The request time in ISO 8601 basic format, `YYYYMMDDTHHMMSSZ`.
 * @param scope - The credential scope, see {@link credentialScope}.
 * @param canonicalRequestText - The output of `canonicalRequest`.
 */
export function stringToSign(amzDate: string, scope: string, canonicalRequestText: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequestText)}`;
}
