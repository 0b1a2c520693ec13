/**
 * Task 1 of SigV4: the canonical request, rebuilt from what arrived on the wire. The rules are
 * those of the non-S3 services, and where the spec is silent they follow what the AWS SDKs
 * (botocore, smithy) do, because a verifier only has to agree with the clients that sign.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createHash } from 'node:crypto';
import type { HeaderRecord } from './types.js';
import { percentDecode, uriEncode, uriEncodeBytes } from './uri-encoding.js';

/** The hex SHA-256 of the empty string, which is also the payload hash of a request without a body. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Hex SHA-256, the digest SigV4 uses for payloads and canonical requests (strings hash as UTF-8). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * How the path becomes the canonical URI. `double` is the rule of every service but S3 (normalise,
 * then encode the already-encoded wire path again); `s3` is S3's (the path exactly as sent: the
 * client encoded each segment once, and S3 keys may legitimately contain `//`, `.` or `..`).
 */
export type UriEncoding = 'double' | 's3';

/**
 * The canonical URI of a raw request path. With `double` (the default), dot segments are removed
 * and empty segments dropped (as the SDKs do: `//a/./b/../` is `/a/`), then every segment is
 * URI-encoded. The raw path is already percent-encoded by the client, so this encodes it a second
 * time: that is the non-S3 "double encoding", which happens naturally when starting from the wire
 * form. With `s3` the raw path is the canonical URI as is (`/` when empty), since S3 signers sign
 * the path they send and S3 does not normalise object keys.
 */
export function canonicalUri(rawPath: string, uriEncoding: UriEncoding = 'double'): string {
  if (uriEncoding === 's3') return rawPath === '' ? '/' : rawPath;
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  if (segments.length === 0) return '/';
  const leading = rawPath.startsWith('/') ? '/' : '';
  const trailing = rawPath.endsWith('/') ? '/' : '';
  return leading + segments.map(uriEncode).join('/') + trailing;
}

function comparePairs(a: readonly [string, string], b: readonly [string, string]): number {
  // Plain code-unit order: after encoding both sides are ASCII, so this is the byte order SigV4 asks for.
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/**
 * The canonical query string of a raw query. Names and values are percent-decoded and encoded
 * again, so clients that escape more or less than SigV4 (lower-case hex, a literal `~` or `ሴ`)
 * still match; a `+` is a literal plus, not a space, since SigV4 signers never send one for a space.
 */
export function canonicalQuery(rawQuery: string): string {
  const pairs: [string, string][] = [];
  for (const parameter of rawQuery.split('&')) {
    if (parameter === '') continue;
    const equals = parameter.indexOf('=');
    const name = equals < 0 ? parameter : parameter.slice(0, equals);
    const value = equals < 0 ? '' : parameter.slice(equals + 1);
    pairs.push([uriEncodeBytes(percentDecode(name)), uriEncodeBytes(percentDecode(value))]);
  }
  return pairs
    .sort(comparePairs)
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * The canonical form of one header's value(s): leading and trailing blanks removed, inner runs
 * collapsed to one space, repeated header lines joined with `,`. Only space and tab (and the
 * line breaks of obsolete folding) count as blanks, as in HTTP and the smithy signer.
 */
export function canonicalHeaderValue(value: string | readonly string[]): string {
  const values = typeof value === 'string' ? [value] : value;
  return values.map((one) => one.replace(/[\t\n\r ]+/g, ' ').replace(/^ /, '').replace(/ $/, '')).join(',');
}

/**
 * A case-insensitive view of the request headers. Built from own entries only, so a signed
 * header called `constructor` or `__proto__` is simply absent instead of reaching the prototype.
 */
export function headerMap(headers: HeaderRecord): Map<string, string | readonly string[]> {
  const map = new Map<string, string | readonly string[]>();
  for (const [rawName, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    const previous = map.get(name);
    map.set(name, previous === undefined ? value : [previous, value].flat());
  }
  return map;
}

/** What a canonical request is built from. */
export interface CanonicalRequestInput {
  /** The HTTP method as sent. */
  method: string;
  /** The raw request path (see {@link canonicalUri}). */
  path: string;
  /** The raw query string without `?` (see {@link canonicalQuery}). */
  query: string;
  /** The request headers; names in any case. */
  headers: HeaderRecord;
  /** The SignedHeaders list, in the order the client gave it (normally sorted, lower case). */
  signedHeaders: readonly string[];
  /**
   * The hex SHA-256 of the payload, or the literal the client declared instead
   * (`UNSIGNED-PAYLOAD`, `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`, ...).
   */
  payloadHash: string;
  /** The path rule, default `double` (every service but S3); see {@link canonicalUri}. */
  uriEncoding?: UriEncoding;
}

/**
 * Builds the SigV4 canonical request:
 * method, canonical URI, canonical query, canonical headers, blank line, signed headers, payload hash.
 * @returns The canonical request text, or undefined when a signed header is absent from `headers`
 * (a signature cannot cover a header that is not there).
 */
export function canonicalRequest(input: CanonicalRequestInput): string | undefined {
  const headers = headerMap(input.headers);
  const names = input.signedHeaders.map((name) => name.toLowerCase());
  const lines: string[] = [];
  for (const name of names) {
    const value = headers.get(name);
    if (value === undefined) return undefined;
    lines.push(`${name}:${canonicalHeaderValue(value)}\n`);
  }
  return [
    input.method,
    canonicalUri(input.path, input.uriEncoding),
    canonicalQuery(input.query),
    lines.join(''),
    names.join(';'),
    input.payloadHash,
  ].join('\n');
}
