/** Edge cases of the canonical request beyond the AWS suite, mostly about what arrives raw from the wire. */
import { describe, expect, it } from 'vitest';
import { EMPTY_SHA256, canonicalHeaderValue, canonicalQuery, canonicalRequest, canonicalUri } from './index.js';

describe('canonicalUri', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['/PutAuditEvents', '/PutAuditEvents'],
    ['/a/.', '/a'],
    ['/a/./', '/a/'],
    ['/..', '/'],
    ['/a/../../b', '/b'],
    ['//a//b//', '/a/b/'],
    // The raw path is already encoded by the client; encoding it again is the non-S3 double encoding.
    ['/a%20b', '/a%2520b'],
    ['/arn%3Aaws%3Acloudtrail', '/arn%253Aaws%253Acloudtrail'],
    ['/a:b@c+d', '/a%3Ab%40c%2Bd'],
    ['/%zz/ሴ', '/%25zz/%E1%88%B4'],
  ])('%j → %j', (raw, canonical) => {
    expect(canonicalUri(raw)).toBe(canonical);
  });
});

describe('canonicalQuery', () => {
  it.each([
    ['', ''],
    ['b=2&a=1&a=', 'a=&a=1&b=2'],
    ['flag', 'flag='],
    ['&&a=1&', 'a=1'],
    ['a==b', 'a=%3Db'],
    ['a=%7e&b=%7E', 'a=~&b=~'],
    ['a=%2f', 'a=%2F'],
    ['a=+', 'a=%2B'],
    ['ሴ', '%E1%88%B4='],
    ['%zz=%', '%25zz=%25'],
    // Bytes that are not UTF-8 survive decoding and re-encoding unchanged.
    ['a=%C3%28', 'a=%C3%28'],
  ])('%j → %j', (raw, canonical) => {
    expect(canonicalQuery(raw)).toBe(canonical);
  });
});

describe('canonicalHeaderValue', () => {
  it.each([
    ['value', 'value'],
    ['  a \t  b  ', 'a b'],
    ['\t', ''],
    [['x ', ' y', 'z'], 'x,y,z'],
    ['a, b', 'a, b'],
  ])('%j → %j', (value, canonical) => {
    expect(canonicalHeaderValue(value)).toBe(canonical);
  });
});

describe('canonicalRequest', () => {
  const input = {
    method: 'POST',
    path: '/',
    query: '',
    headers: { Host: 'example.com', 'x-amz-date': '20150830T123600Z' },
    payloadHash: EMPTY_SHA256,
  };

  it('finds headers whatever the case of their names', () => {
    expect(canonicalRequest({ ...input, signedHeaders: ['host', 'x-amz-date'] })).toBe(
      `POST\n/\n\nhost:example.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_SHA256}`,
    );
  });

  it('is undefined when a signed header is absent', () => {
    expect(canonicalRequest({ ...input, signedHeaders: ['host', 'x-absent'] })).toBeUndefined();
    expect(canonicalRequest({ ...input, signedHeaders: ['constructor'] })).toBeUndefined();
  });
});
