/**
 * SigV2 test vectors as botocore 1.43 signs them (HmacV1QueryAuth for presigned URLs, HmacV1Auth
 * for the header form), with fixed credentials at a fixed time, and the checks every vector
 * gets: accepted as signed, refused after any one-character change to a signed part.
 * `verify.botocore.test.ts` makes fresh ones with the installed botocore.
 */
import { expect } from 'vitest';
import { SUB_RESOURCES } from './string-to-sign.js';
import type { S3SigV2Request, S3SigV2Result } from './verify.js';
import { verifyS3SigV2 } from './verify.js';

export const VECTOR_KEY_ID = 'AKIAVECTORS000000001';
export const VECTOR_SECRET = 'vectors/secret+Key0000000000000000000000';
export const VECTOR_TOKEN = 'FQoGZXIvYXdzE//token+with/slashes=';
/** 2026-01-01T00:00:00Z, botocore's `time.time()` for these; presigned URLs expire an hour later. */
export const VECTOR_EPOCH_SECONDS = 1767225600;
/** The domain the vectors' endpoint (`http://localhost:4747`) addresses buckets under. */
export const VECTOR_DOMAIN = 'localhost';

export interface Vector {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
}

export const BOTOCORE_VECTORS: readonly Vector[] = [
  { name: 'query get, path style, space/unicode/plus', method: 'GET', url: 'http://localhost:4747/vectors/dir/with%20space%2Bplus%20%C3%BCn%C3%AF~%281%29.txt?AWSAccessKeyId=AKIAVECTORS000000001&Signature=8kvTmSBoKYMlOQ5%2FzZ0DaCTmcSQ%3D&Expires=1767229200', headers: {} },
  { name: 'query get, virtual-hosted', method: 'GET', url: 'http://vectors.localhost:4747/dir/with%20space%2Bplus%20%C3%BCn%C3%AF~%281%29.txt?AWSAccessKeyId=AKIAVECTORS000000001&Signature=8kvTmSBoKYMlOQ5%2FzZ0DaCTmcSQ%3D&Expires=1767229200', headers: {} },
  { name: 'query get, response overrides', method: 'GET', url: 'http://localhost:4747/vectors/a.txt?response-content-type=text%2Fplain%3B%20charset%3Dutf-8&response-content-disposition=attachment%3B%20filename%3D%22a%20b%2Bc.txt%22&AWSAccessKeyId=AKIAVECTORS000000001&Signature=ehuL3xs0E6k9dAUMuJCoMWD8dLA%3D&Expires=1767229200', headers: {} },
  { name: 'query get, session token', method: 'GET', url: 'http://vectors.localhost:4747/a.txt?AWSAccessKeyId=AKIAVECTORS000000001&Signature=xJSLwyfnrvM9qe0bWOMe7uZrsdM%3D&x-amz-security-token=FQoGZXIvYXdzE%2F%2Ftoken%2Bwith%2Fslashes%3D&Expires=1767229200', headers: {} },
  { name: 'query upload_part', method: 'PUT', url: 'http://localhost:4747/vectors/big.bin?uploadId=up%2Fload%2Bid%3D1&partNumber=1&AWSAccessKeyId=AKIAVECTORS000000001&Signature=XbiU1IT7MZ70qycrIRJKito51Sg%3D&Expires=1767229200', headers: {} },
  { name: 'query put with content-type', method: 'PUT', url: 'http://localhost:4747/vectors/p.txt?AWSAccessKeyId=AKIAVECTORS000000001&Signature=KNNWSiQcZF9D%2BKg4a9uWWJxeUDQ%3D&content-type=text%2Fplain&Expires=1767229200', headers: {} },
  { name: 'header get acl, path style', method: 'GET', url: 'http://localhost:4747/vectors/dir/with%20space%2Bplus%20%C3%BCn%C3%AF~%281%29.txt?acl', headers: { date: 'Thu, 01 Jan 2026 00:00:00 GMT', authorization: 'AWS AKIAVECTORS000000001:wwixdaDRdNMGL5/yTdWuQYevOsc=' } },
  {
    name: 'header put, virtual-hosted, metadata, acl, session token',
    method: 'PUT',
    url: 'http://vectors.localhost:4747/dir/with%20space%2Bplus%20%C3%BCn%C3%AF~%281%29.txt',
    headers: {
      'content-type': 'text/plain',
      'x-amz-acl': 'private',
      'x-amz-meta-owner': ' alice ',
      'x-amz-checksum-crc32': 'NhCmhg==',
      'x-amz-sdk-checksum-algorithm': 'CRC32',
      'x-amz-security-token': 'FQoGZXIvYXdzE//token+with/slashes=',
      date: 'Thu, 01 Jan 2026 00:00:00 GMT',
      authorization: 'AWS AKIAVECTORS000000001:gM2RRTvFk3HFWjfDyvgnx96bMdM=',
    },
  },
  { name: 'header list objects, virtual-hosted bucket', method: 'GET', url: 'http://vectors.localhost:4747/?prefix=dir%2F&encoding-type=url', headers: { date: 'Thu, 01 Jan 2026 00:00:00 GMT', authorization: 'AWS AKIAVECTORS000000001:pOW/zQ/KXLl8mfKBRCW7Ob6yLxY=' } },
  { name: 'header upload_part', method: 'PUT', url: 'http://localhost:4747/vectors/big.bin?uploadId=up%2Fload%2Bid%3D1&partNumber=2', headers: { 'x-amz-checksum-crc32': 'jNwWgw==', 'x-amz-sdk-checksum-algorithm': 'CRC32', date: 'Thu, 01 Jan 2026 00:00:00 GMT', authorization: 'AWS AKIAVECTORS000000001:hXzSc4C5y8xUvTyMukwfqKu/nzY=' } },
  { name: 'header get, versionId', method: 'GET', url: 'http://localhost:4747/vectors/a.txt?versionId=v1%2Bv%2F2', headers: { 'x-amz-checksum-mode': 'ENABLED', date: 'Thu, 01 Jan 2026 00:00:00 GMT', authorization: 'AWS AKIAVECTORS000000001:OGEm0o0uBJIznhrboVmOrhrcegk=' } },
];

/** A vector as the gateway sees it: raw path and query, the bucket of a virtual-hosted Host. */
export function requestOf(vector: Vector): { request: S3SigV2Request; bucket?: string } {
  const match = /^https?:\/\/([^/]+)(\/[^?]*)(?:\?(.*))?$/.exec(vector.url);
  if (match === null) throw new Error(`not a URL: ${vector.url}`);
  const host = match[1]!.replace(/:\d+$/, '');
  const bucket = host.endsWith(`.${VECTOR_DOMAIN}`) ? host.slice(0, -VECTOR_DOMAIN.length - 1) : undefined;
  return { request: { method: vector.method, path: match[2]!, query: match[3] ?? '', headers: vector.headers }, ...(bucket !== undefined && { bucket }) };
}

export function verifyAs(request: S3SigV2Request, bucket: string | undefined): S3SigV2Result {
  // Presigned: an hour to go; header form: a minute after the signing time.
  const nowMs = (VECTOR_EPOCH_SECONDS + (request.headers.authorization === undefined ? 0 : 60)) * 1000;
  return verifyS3SigV2(request, { nowMs, lookupSecret: (id) => (id === VECTOR_KEY_ID ? VECTOR_SECRET : undefined), ...(bucket !== undefined && { virtualHostBucket: bucket }) });
}

/** The last letter or digit outside a %XX escape, changed to the next one (wrapping). */
export function flipLast(text: string): string | undefined {
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i]!;
    if (!/[A-Za-z0-9]/.test(c) || text[i - 1] === '%' || text[i - 2] === '%') continue;
    const next = c === 'z' ? 'a' : c === 'Z' ? 'A' : c === '9' ? '0' : String.fromCharCode(c.charCodeAt(0) + 1);
    return text.slice(0, i) + next + text.slice(i + 1);
  }
  return undefined;
}

function flipFirst(text: string): string {
  const c = text[0]!;
  return (c === 'A' ? 'B' : 'A') + text.slice(1);
}

/** Every one-character change to a signed part of the request, named. */
export function oneCharacterChanges(request: S3SigV2Request): [string, S3SigV2Request][] {
  const out: [string, S3SigV2Request][] = [];
  const withQuery = (query: string): S3SigV2Request => ({ ...request, query });
  const withHeader = (name: string, value: string): S3SigV2Request => ({ ...request, headers: { ...request.headers, [name]: value } });
  const parts = request.query === '' ? [] : request.query.split('&');
  const replacePart = (index: number, part: string): string => parts.map((p, i) => (i === index ? part : p)).join('&');
  out.push([`method ${request.method}`, { ...request, method: request.method === 'GET' ? 'PUT' : 'GET' }]);
  const path = flipLast(request.path);
  if (path !== undefined) out.push(['path', { ...request, path }]);
  parts.forEach((part, index) => {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (name === 'Signature') out.push(['Signature', withQuery(replacePart(index, `Signature=${flipFirst(value)}`))]);
    else if (name === 'Expires') out.push(['Expires', withQuery(replacePart(index, `Expires=${String(Number(value) + 1)}`))]);
    else if (SUB_RESOURCES.has(name) || name.toLowerCase().startsWith('x-amz-') || name === 'content-type') {
      const changed = eq < 0 ? flipLast(name) : `${name}=${flipLast(value) ?? 'x'}`;
      if (changed !== undefined) out.push([`query ${name}`, withQuery(replacePart(index, changed))]);
    }
  });
  for (const [name, raw] of Object.entries(request.headers)) {
    const value = Array.isArray(raw) ? raw.join(',') : (raw as string);
    if (name === 'authorization') {
      const colon = value.indexOf(':');
      out.push(['Authorization signature', withHeader(name, value.slice(0, colon + 1) + flipFirst(value.slice(colon + 1)))]);
    } else if (name === 'date') out.push(['Date', withHeader(name, value.replace(/:(\d)(\d) GMT$/, (_, a: string, b: string) => `:${a}${(Number(b) + 1) % 10} GMT`))]);
    else if (name.startsWith('x-amz-') || name === 'content-type' || name === 'content-md5') out.push([`header ${name}`, withHeader(name, flipLast(value) ?? `${value}x`)]);
  }
  return out;
}

/** A vector is accepted, and each one-character change to it refused with SignatureDoesNotMatch. */
export function expectVectorHolds(vector: Vector, sessionToken?: string): void {
  const { request, bucket } = requestOf(vector);
  const result = verifyAs(request, bucket);
  expect(result, vector.name).toEqual({
    ok: true,
    accessKeyId: VECTOR_KEY_ID,
    authenticationMethod: request.headers.authorization === undefined ? 'QueryString' : 'AuthHeader',
    ...(sessionToken !== undefined && { sessionToken }),
  });
  const changes = oneCharacterChanges(request);
  expect(changes.length).toBeGreaterThan(2);
  for (const [what, changed] of changes) {
    const refused = verifyAs(changed, bucket);
    expect(refused.ok ? 'accepted' : refused.error.code, `${vector.name}: ${what} changed`).toBe('SignatureDoesNotMatch');
  }
  if (bucket !== undefined) {
    // The same request taken for path style signs another resource.
    expect(verifyAs(request, undefined).ok, `${vector.name}: as path style`).toBe(false);
  }
}
