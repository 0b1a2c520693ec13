import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalizedAmzHeaders, canonicalizedResource, unquote } from './string-to-sign.js';
import { verifyS3SigV2 } from './verify.js';
import type { S3SigV2Request } from './verify.js';
import { BOTOCORE_VECTORS, VECTOR_EPOCH_SECONDS, VECTOR_KEY_ID, VECTOR_SECRET, VECTOR_TOKEN, expectVectorHolds, requestOf, verifyAs } from './vectors.fixture.js';

const NOW_MS = VECTOR_EPOCH_SECONDS * 1000;
const lookupSecret = (id: string): string | undefined => (id === VECTOR_KEY_ID ? VECTOR_SECRET : undefined);
const sign = (stringToSign: string): string => createHmac('sha1', VECTOR_SECRET).update(stringToSign, 'utf8').digest('base64');

describe('verifyS3SigV2 on vectors botocore signed (fixed data)', () => {
  for (const vector of BOTOCORE_VECTORS) {
    it(`${vector.name}: accepted, and refused after a one-character change`, () => {
      const token = vector.url.includes('x-amz-security-token') || vector.headers['x-amz-security-token'] !== undefined ? VECTOR_TOKEN : undefined;
      expectVectorHolds(vector, token);
    });
  }
});

describe('the string to sign', () => {
  it('signs the sub-resources botocore signs, sorted, values percent-decoded, `+` kept', () => {
    expect(canonicalizedResource('/b/k', 'uploadId=a%2Fb%2Bc&partNumber=1&x-id=GetObject&prefix=p')).toBe('/b/k?partNumber=1&uploadId=a/b+c');
    expect(canonicalizedResource('/', 'acl', 'b')).toBe('/b/?acl');
    expect(canonicalizedResource('/k%20x', 'versionId=&ACL', 'b')).toBe('/b/k%20x?versionId=');
    expect(canonicalizedResource('/b/k', 'response-content-type=a%ZZ%C3%BC+b')).toBe('/b/k?response-content-type=a%ZZü+b');
    // A bucket itself signs with the trailing slash, in path style too.
    expect(canonicalizedResource('/b', 'acl')).toBe('/b/?acl');
    expect(canonicalizedResource('/', '')).toBe('/');
  });

  it('decodes as Python\'s unquote: invalid UTF-8 as U+FFFD, lone % kept', () => {
    expect(unquote('%E2%82%AC%')).toBe('€%');
    expect(unquote('%FF')).toBe('\uFFFD');
  });

  it('canonicalizes x-amz-* headers: lower case, sorted, trimmed, repeated joined by ","', () => {
    expect(canonicalizedAmzHeaders([['X-Amz-Meta-B', ' 2 '], ['content-type', 'x'], ['x-amz-meta-a', '1'], ['x-amz-meta-b', '3']])).toBe('x-amz-meta-a:1\nx-amz-meta-b:2,3\n');
    expect(canonicalizedAmzHeaders([['date', 'x']])).toBe('');
  });

  it('header form with x-amz-date: the Date line is empty and x-amz-date is signed among the amz headers', () => {
    const amzDate = 'Thu, 01 Jan 2026 00:00:30 GMT';
    const stringToSign = `DELETE\n\n\n\nx-amz-date:${amzDate}\n/vectors/a.txt`;
    const request: S3SigV2Request = {
      method: 'DELETE',
      path: '/vectors/a.txt',
      query: '',
      headers: { date: 'Fri, 02 Jan 2026 00:00:00 GMT', 'x-amz-date': amzDate, authorization: `AWS ${VECTOR_KEY_ID}:${sign(stringToSign)}` },
    };
    expect(verifyS3SigV2(request, { nowMs: NOW_MS, lookupSecret })).toMatchObject({ ok: true, authenticationMethod: 'AuthHeader' });
    expect(verifyS3SigV2({ ...request, headers: { ...request.headers, 'x-amz-date': 'Thu, 01 Jan 2026 00:00:31 GMT' } }, { nowMs: NOW_MS, lookupSecret })).toMatchObject({ ok: false, error: { code: 'SignatureDoesNotMatch' } });
  });

  it('Content-MD5 and Content-Type are signed; a presigned URL\'s x-amz-* parameters are signed as headers', () => {
    const md5 = '1B2M2Y8AsgTpgAmY7PhCfg==';
    const stringToSign = `PUT\n${md5}\ntext/csv\n1767229200\nx-amz-acl:private\nx-amz-meta-k:v\n/vectors/r.csv`;
    const request: S3SigV2Request = {
      method: 'PUT',
      path: '/vectors/r.csv',
      query: `AWSAccessKeyId=${VECTOR_KEY_ID}&Expires=1767229200&x-amz-acl=private&Signature=${encodeURIComponent(sign(stringToSign))}`,
      headers: { 'content-md5': md5, 'content-type': ' text/csv ', 'x-amz-meta-k': 'v' },
    };
    expect(verifyS3SigV2(request, { nowMs: NOW_MS, lookupSecret }).ok).toBe(true);
    expect(verifyS3SigV2({ ...request, headers: { ...request.headers, 'content-md5': 'AB2M2Y8AsgTpgAmY7PhCfg==' } }, { nowMs: NOW_MS, lookupSecret }).ok).toBe(false);
  });
});

describe('failures, as S3 answers them', () => {
  const vector = BOTOCORE_VECTORS.find((v) => v.name === 'query get, path style, space/unicode/plus')!;
  const header = BOTOCORE_VECTORS.find((v) => v.name === 'header get acl, path style')!;
  const presigned = requestOf(vector).request;
  const signed = requestOf(header).request;
  const verify = (request: S3SigV2Request, nowMs = NOW_MS) => verifyS3SigV2(request, { nowMs, lookupSecret });

  it('an expired presigned URL: AccessDenied "Request has expired", with the key id', () => {
    expect(verify(presigned, 1767229201_000)).toEqual({
      ok: false,
      error: { code: 'AccessDenied', message: 'Request has expired', httpStatus: 403 },
      accessKeyId: VECTOR_KEY_ID,
      authenticationMethod: 'QueryString',
    });
    expect(verify(presigned, 1767229200_999).ok).toBe(true);
  });

  it('a header-signed request out of 15 minutes: RequestTimeTooSkewed; no date: AccessDenied', () => {
    expect(verify(signed, NOW_MS + 15 * 60_000).ok).toBe(true);
    expect(verify(signed, NOW_MS + 15 * 60_000 + 1)).toMatchObject({ ok: false, error: { code: 'RequestTimeTooSkewed', httpStatus: 403 }, accessKeyId: VECTOR_KEY_ID });
    expect(verify(signed, NOW_MS - 16 * 60_000)).toMatchObject({ ok: false, error: { code: 'RequestTimeTooSkewed' } });
    expect(verify({ ...signed, headers: { authorization: signed.headers.authorization } })).toMatchObject({ ok: false, error: { code: 'AccessDenied', httpStatus: 403 }, accessKeyId: VECTOR_KEY_ID });
    expect(verify({ ...signed, headers: { ...signed.headers, date: 'yesterday' } })).toMatchObject({ ok: false, error: { code: 'AccessDenied' } });
  });

  it('an unknown key: InvalidAccessKeyId, with the key id', () => {
    const other = { ...presigned, query: presigned.query.replace(VECTOR_KEY_ID, 'AKIAUNKNOWN000000000') };
    expect(verify(other)).toMatchObject({ ok: false, error: { code: 'InvalidAccessKeyId', httpStatus: 403 }, accessKeyId: 'AKIAUNKNOWN000000000' });
  });

  it('malformed parts: missing or non-numeric Expires AccessDenied (403); a bad header, a parameter twice, both forms InvalidArgument (400)', () => {
    expect(verify({ ...presigned, query: presigned.query.replace(/&Expires=\d+/, '') })).toMatchObject({ ok: false, error: { code: 'AccessDenied', httpStatus: 403 }, accessKeyId: VECTOR_KEY_ID });
    expect(verify({ ...presigned, query: presigned.query.replace(/Expires=\d+/, 'Expires=soon') })).toMatchObject({ ok: false, error: { code: 'AccessDenied', message: 'Invalid date (should be seconds since epoch): soon' } });
    expect(verify({ ...presigned, query: `${presigned.query}&Signature=x` })).toMatchObject({ ok: false, error: { code: 'InvalidArgument', httpStatus: 400 } });
    expect(verify({ ...signed, headers: { ...signed.headers, authorization: `AWS ${VECTOR_KEY_ID}` } })).toMatchObject({ ok: false, error: { code: 'InvalidArgument', httpStatus: 400 } });
    expect(verify({ ...signed, headers: { ...signed.headers, authorization: `AWS ${VECTOR_KEY_ID}:` } })).toMatchObject({ ok: false, error: { code: 'InvalidArgument' }, accessKeyId: VECTOR_KEY_ID });
    expect(verify({ ...presigned, headers: signed.headers })).toMatchObject({ ok: false, error: { code: 'InvalidArgument', httpStatus: 400 } });
  });

  it('a signature of another length is refused like any other mismatch', () => {
    expect(verify({ ...presigned, query: presigned.query.replace(/Signature=[^&]+/, 'Signature=abc') })).toMatchObject({ ok: false, error: { code: 'SignatureDoesNotMatch', httpStatus: 403 } });
  });

  it('a session token comes back for the credential checks: from the query, or from the header', () => {
    const withToken = BOTOCORE_VECTORS.find((v) => v.name === 'query get, session token')!;
    const { request, bucket } = requestOf(withToken);
    expect(verifyAs(request, bucket)).toMatchObject({ ok: true, sessionToken: VECTOR_TOKEN });
    // Without the token in the query, the string to sign differs: the token is signed.
    expect(verifyAs({ ...request, query: request.query.replace(/&x-amz-security-token=[^&]+/, '') }, bucket).ok).toBe(false);
  });
});
