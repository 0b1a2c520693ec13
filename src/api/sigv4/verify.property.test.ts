/**
 * Interoperability with the real client: requests signed by the AWS SDK's own signer
 * (`@smithy/signature-v4`, which applies the non-S3 double URI encoding) must verify, and any
 * tampering with the body or the signature must not.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifySigV4 } from './index.js';
import type { SignedRequest } from './index.js';

/** Percent-encoding as SDK serializers put names and values on the wire (encodeURIComponent plus `!'()*`). */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Some clients escape with lower-case hex; the canonical form must not care. */
function lowerHex(text: string): string {
  return text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}

const awkwardChar = fc.oneof(
  fc.constantFrom(...'!#$&\'()*+,/:;=?@[]% ~-._"<>\\^`{|}'),
  fc.constantFrom('ሴ', 'é', '😀', '\u0000', '\u007f'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const awkwardText = (minLength: number) => fc.string({ unit: awkwardChar, minLength, maxLength: 8 });

/** Raw (wire) path segments: already-encoded text, literal path characters, and dot or empty segments. */
const pathSegment = fc.oneof(
  fc.constantFrom('', '.', '..'),
  awkwardText(1).map(escapeUri),
  fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{1,8}$/),
);
const rawPath = fc
  .tuple(fc.array(pathSegment, { maxLength: 6 }), fc.boolean())
  .map(([segments, trailingSlash]) => `/${segments.join('/')}${trailingSlash ? '/' : ''}`);

const queryParameter = fc.record({
  name: awkwardText(1),
  value: fc.oneof(awkwardText(0), fc.constant('')),
  omitEqualsWhenEmpty: fc.boolean(),
  lowerCaseHex: fc.boolean(),
});

/** Names the signer sets itself or never signs. */
const RESERVED_NAMES = new Set(['host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'x-amzn-trace-id']);
/** Values with blanks anywhere (leading, trailing, in runs) and a Latin-1 letter, as node:http would pass them on. */
const headerValueChar = fc.constantFrom(' ', ' ', '\t', 'a', 'B', '7', ',', ';', '"', ':', '=', '/', 'é');
const extraHeader = fc.record({
  name: fc.stringMatching(/^x-[a-z0-9-]{1,12}$/).filter((name) => !RESERVED_NAMES.has(name)),
  value: fc.string({ unit: headerValueChar, maxLength: 16 }),
});

const scenario = fc.record({
  accessKeyId: fc.stringMatching(/^[A-Z0-9]{16,24}$/),
  secretAccessKey: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
  sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{1,64}$/), { nil: undefined }),
  region: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
  host: fc.stringMatching(/^[a-z0-9.-]{1,30}(:[0-9]{1,5})?$/),
  path: rawPath,
  query: fc.array(queryParameter, { maxLength: 5 }),
  headers: fc.uniqueArray(extraHeader, { maxLength: 4, selector: (header) => header.name }),
  body: fc.uint8Array({ maxLength: 200 }),
  nowMs: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
  clockOffsetMs: fc.integer({ min: -4 * 60_000, max: 4 * 60_000 }),
  applyChecksum: fc.boolean(),
  tamperIndex: fc.nat(),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** Signs with the SDK signer and returns the request as node:http would present it to the pipeline. */
async function signWithSdk(s: Scenario): Promise<SignedRequest> {
  // Null prototype: fast-check likes parameter names such as `valueOf` and `__proto__`.
  const query = Object.create(null) as Record<string, string[]>;
  for (const { name, value } of s.query) (query[name] ??= []).push(value);
  const headers: Record<string, string> = {
    host: s.host,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'CloudTrail_20131101.LookupEvents',
    'user-agent': 'property-test (not signed)',
  };
  for (const { name, value } of s.headers) headers[name] = value;

  const signer = new SignatureV4({
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken },
    region: s.region,
    service: 'cloudtrail',
    sha256: Sha256,
    applyChecksum: s.applyChecksum,
  });
  const signed = await signer.sign(
    new HttpRequest({ method: 'POST', protocol: 'https:', hostname: s.host, path: s.path, query, headers, body: s.body }),
    { signingDate: new Date(s.nowMs + s.clockOffsetMs) },
  );

  const wireQuery = s.query
    .map(({ name, value, omitEqualsWhenEmpty, lowerCaseHex }) => {
      const parameter = value === '' && omitEqualsWhenEmpty ? escapeUri(name) : `${escapeUri(name)}=${escapeUri(value)}`;
      return lowerCaseHex ? lowerHex(parameter) : parameter;
    })
    .join('&');
  const wireHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) wireHeaders[name.toLowerCase()] = value;
  return { method: 'POST', path: s.path, query: wireQuery, headers: wireHeaders, body: Buffer.from(s.body) };
}

function verify(request: SignedRequest, s: Scenario) {
  return verifySigV4(request, {
    services: ['cloudtrail'],
    nowMs: s.nowMs,
    lookupSecret: (id) => (id === s.accessKeyId ? s.secretAccessKey : undefined),
  });
}

function withSignatureCharChanged(authorization: string, index: number): string {
  const start = authorization.indexOf('Signature=') + 'Signature='.length;
  const position = start + (index % (authorization.length - start));
  const replacement = authorization[position] === 'a' ? 'b' : 'a';
  return authorization.slice(0, position) + replacement + authorization.slice(position + 1);
}

describe('verifySigV4 against the AWS SDK signer', () => {
  it('accepts what the SDK signs and rejects a changed body or signature', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const request = await signWithSdk(s);

        expect(verify(request, s)).toEqual({
          ok: true,
          accessKeyId: s.accessKeyId,
          region: s.region,
          service: 'cloudtrail',
          amzDate: request.headers['x-amz-date'],
          ...(s.sessionToken !== undefined && { sessionToken: s.sessionToken }),
        });

        // An empty body is tampered with by giving it one byte; otherwise one bit of one byte flips.
        const body = Buffer.from(request.body.length === 0 ? [0] : request.body);
        if (request.body.length > 0) {
          const index = s.tamperIndex % body.length;
          body[index] = body[index]! ^ (1 << s.tamperIndex % 8);
        }
        const tamperedBody = verify({ ...request, body }, s);
        expect(tamperedBody).toMatchObject({ ok: false, error: { code: 'InvalidSignatureException', httpStatus: 400 } });

        const authorization = withSignatureCharChanged(String(request.headers.authorization), s.tamperIndex);
        const tamperedSignature = verify({ ...request, headers: { ...request.headers, authorization } }, s);
        expect(tamperedSignature).toMatchObject({
          ok: false,
          error: { code: 'InvalidSignatureException', message: expect.stringContaining('does not match') as unknown },
          accessKeyId: s.accessKeyId,
          region: s.region,
        });
      }),
      { numRuns: 300 },
    );
  });
});
