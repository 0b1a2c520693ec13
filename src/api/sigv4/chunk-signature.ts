/**
 * The signatures of an aws-chunked body (S3 "chunked upload"): each chunk is signed over the
 * previous signature, so the chunks form a chain seeded by the request's own signature, and a
 * signed trailer continues the chain from the final (empty) chunk.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
import { EMPTY_SHA256, sha256Hex } from './canonical-request.js';
import { computeSignature } from './signing-key.js';

/** What every signature of one chained body shares. */
export interface ChunkSigningContext {
  signingKey: Buffer;
  /** `YYYYMMDDTHHMMSSZ` of the request. */
  amzDate: string;
  /** `YYYYMMDD/region/service/aws4_request`. */
  scope: string;
}

/** The signature of one chunk whose data hashes to `dataSha256Hex`. */
export function chunkSignature(context: ChunkSigningContext, previousSignature: string, dataSha256Hex: string): string {
  const text = [
    'AWS4-HMAC-SHA256-PAYLOAD',
    context.amzDate,
    context.scope,
    previousSignature,
    EMPTY_SHA256,
    dataSha256Hex,
  ].join('\n');
  return computeSignature(context.signingKey, text);
}

/**
 * The canonical form of trailing headers that their signature covers: names lower-cased and
 * sorted, values trimmed, each `name:value\n`.
 */
export function canonicalTrailers(trailers: ReadonlyMap<string, string>): string {
  return [...trailers]
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
}

/** The signature of the trailing headers, chained from the final chunk's signature. */
export function trailerSignature(
  context: ChunkSigningContext,
  previousSignature: string,
  trailers: ReadonlyMap<string, string>,
): string {
  const text = [
    'AWS4-HMAC-SHA256-TRAILER',
    context.amzDate,
    context.scope,
    previousSignature,
    sha256Hex(canonicalTrailers(trailers)),
  ].join('\n');
  return computeSignature(context.signingKey, text);
}
