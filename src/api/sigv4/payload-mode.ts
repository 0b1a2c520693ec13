/**
 * What `x-amz-content-sha256` declares about the body. S3 (and so the gateway, which never holds
 * a body in memory) takes the payload hash from this header instead of hashing the body first;
 * the body is then checked against the declaration while it streams.
 */

/** How the body that follows a verified signature must be checked. */
export type PayloadMode =
  /** A hex SHA-256 of the whole body: check with `payloadHashCheck`. */
  | 'sha256'
  /** Not covered by the signature at all. */
  | 'unsigned'
  /** `aws-chunked`, every chunk signed. */
  | 'streaming-signed'
  /** `aws-chunked`, every chunk and the trailer signed. */
  | 'streaming-signed-trailer'
  /** `aws-chunked`, no signatures, a trailer (normally a checksum). */
  | 'streaming-unsigned-trailer';

const LITERALS: Readonly<Record<string, PayloadMode>> = {
  'UNSIGNED-PAYLOAD': 'unsigned',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': 'streaming-signed',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': 'streaming-signed-trailer',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': 'streaming-unsigned-trailer',
};

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** The mode an `x-amz-content-sha256` value declares; undefined for a value S3 would refuse. */
export function parsePayloadMode(value: string): PayloadMode | undefined {
  if (SHA256_HEX.test(value)) return 'sha256';
  return Object.hasOwn(LITERALS, value) ? LITERALS[value] : undefined;
}

/** True for the modes whose body is `Content-Encoding: aws-chunked`. */
export function isChunkedMode(mode: PayloadMode): boolean {
  return mode.startsWith('streaming-');
}
