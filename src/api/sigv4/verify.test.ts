/**
 * verifySigV4's answers to everything except a good signature: each failure with its AWS code,
 * status and message, the tolerances AWS allows, and garbage that must never throw.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  canonicalRequest,
  computeSignature,
  credentialScope,
  deriveSigningKey,
  sha256Hex,
  stringToSign,
  verifySigV4,
} from './index.js';
import type { SignedRequest, VerifyOptions, VerifyResult } from './index.js';

const KEY = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const AMZ_DATE = '20150830T123600Z';
const HTTP_DATE = 'Sun, 30 Aug 2015 12:36:00 GMT';
const NOW_MS = Date.UTC(2015, 7, 30, 12, 36, 0);

interface Spec {
  path?: string;
  query?: string;
  /** Merged over the defaults; undefined removes a default. */
  headers?: Record<string, string | string[] | undefined>;
  body?: string;
  /** Default: every header present, sorted. */
  signedHeaders?: string[];
  credential?: Partial<{ accessKeyId: string; date: string; region: string; service: string; terminator: string }>;
  /** Rewrites the finished Authorization header. */
  authorization?: (header: string) => string;
}

/** A request signed with the building blocks, as a conforming client would sign it, then optionally spoiled. */
function request(spec: Spec = {}): SignedRequest {
  const headers: Record<string, string | string[]> = {};
  const merged = {
    host: 'cloudtrail.us-east-1.amazonaws.com',
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-date': AMZ_DATE,
    'x-amz-target': 'CloudTrail_20131101.LookupEvents',
    ...spec.headers,
  };
  for (const [name, value] of Object.entries(merged)) if (value !== undefined) headers[name] = value;
  const body = Buffer.from(spec.body ?? '{}');
  const scope = {
    accessKeyId: KEY,
    date: '20150830',
    region: 'us-east-1',
    service: 'cloudtrail',
    terminator: 'aws4_request',
    ...spec.credential,
  };
  const signedHeaders = spec.signedHeaders ?? Object.keys(headers).sort();
  const path = spec.path ?? '/';
  const query = spec.query ?? '';
  const canonical = canonicalRequest({ method: 'POST', path, query, headers, signedHeaders, payloadHash: sha256Hex(body) });
  const amzDate = typeof headers['x-amz-date'] === 'string' ? headers['x-amz-date'] : AMZ_DATE;
  const signature =
    canonical === undefined
      ? '0'.repeat(64)
      : computeSignature(
          deriveSigningKey(SECRET, scope.date, scope.region, scope.service),
          stringToSign(amzDate, credentialScope(scope.date, scope.region, scope.service), canonical),
        );
  const credential = `${scope.accessKeyId}/${scope.date}/${scope.region}/${scope.service}/${scope.terminator}`;
  const authorization =
    `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  const spoil = spec.authorization ?? ((header: string) => header);
  return { method: 'POST', path, query, headers: { ...headers, authorization: spoil(authorization) }, body };
}

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return { services: ['cloudtrail'], nowMs: NOW_MS, lookupSecret: (id) => (id === KEY ? SECRET : undefined), ...overrides };
}

function withoutAuthorization(req: SignedRequest): SignedRequest {
  const { authorization: _, ...headers } = req.headers;
  return { ...req, headers };
}

const BAD_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and ' +
  'signing method. Consult the service documentation for details.';

interface FailureCase {
  name: string;
  request: SignedRequest;
  options?: Partial<VerifyOptions>;
  code: string;
  httpStatus: number;
  message: string | RegExp;
  /** What the failure still attributes the call to. */
  attribution: { accessKeyId?: string; region?: string };
}

const KNOWN = { accessKeyId: KEY, region: 'us-east-1' };

const failures: FailureCase[] = [
  {
    name: 'no Authorization header',
    request: withoutAuthorization(request()),
    code: 'MissingAuthenticationTokenException',
    httpStatus: 403,
    message: 'Missing Authentication Token',
    attribution: {},
  },
  {
    name: 'empty Authorization header',
    request: request({ authorization: () => '' }),
    code: 'MissingAuthenticationTokenException',
    httpStatus: 403,
    message: 'Missing Authentication Token',
    attribution: {},
  },
  {
    name: 'the algorithm alone',
    request: request({ authorization: () => 'AWS4-HMAC-SHA256' }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message:
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
      "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256",
    attribution: {},
  },
  {
    name: 'another scheme (SigV2)',
    request: request({ authorization: () => 'AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message:
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
      "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",
    attribution: {},
  },
  {
    name: 'an unknown algorithm',
    request: request({ authorization: (a) => a.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512') }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message: /^Authorization header requires 'Credential' parameter\. .* Authorization=AWS4-HMAC-SHA512 Credential=/,
    attribution: {},
  },
  {
    name: 'no Signature parameter',
    request: request({ authorization: (a) => a.replace(/, Signature=\w+/, '') }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message: /^Authorization header requires 'Signature' parameter\. Authorization=AWS4-HMAC-SHA256 Credential=/,
    attribution: KNOWN,
  },
  {
    name: 'no SignedHeaders parameter',
    request: request({ authorization: (a) => a.replace(/ SignedHeaders=[^,]+,/, '') }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message: /^Authorization header requires 'SignedHeaders' parameter\. Authorization=/,
    attribution: KNOWN,
  },
  {
    name: 'neither X-Amz-Date nor Date',
    request: request({ headers: { 'x-amz-date': undefined } }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message: /^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=/,
    attribution: KNOWN,
  },
  {
    name: 'a parameter without =',
    request: request({ authorization: (a) => a.replace('Credential=', 'Credential= ') }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message: new RegExp(
      "^'AKIDEXAMPLE/20150830/us-east-1/cloudtrail/aws4_request' not a valid key=value pair \\(missing equal-sign\\) " +
        "in Authorization header: 'AWS4-HMAC-SHA256 Credential= AKIDEXAMPLE/",
    ),
    attribution: {},
  },
  {
    name: 'a repeated parameter',
    request: request({ authorization: (a) => `${a}, Signature=${'0'.repeat(64)}` }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message: "Authorization header has more than one 'Signature' parameter.",
    attribution: {},
  },
  {
    name: 'a Credential of four elements',
    request: request({ authorization: (a) => a.replace('/aws4_request', '') }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message:
      'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got ' +
      "'AKIDEXAMPLE/20150830/us-east-1/cloudtrail'",
    attribution: {},
  },
  {
    name: 'an X-Amz-Date in extended format',
    request: request({ headers: { 'x-amz-date': '2015-08-30T12:36:00Z' } }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message:
      "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    attribution: KNOWN,
  },
  {
    name: 'an X-Amz-Date that is not a calendar date',
    request: request({ headers: { 'x-amz-date': '20150231T123600Z' }, credential: { date: '20150231' } }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message: /^Date must be in ISO-8601 'basic format'\. Got '20150231T123600Z'/,
    attribution: KNOWN,
  },
  {
    name: 'a Date header that is not an HTTP-date',
    request: request({ headers: { 'x-amz-date': undefined, date: 'yesterday' } }),
    code: 'IncompleteSignatureException',
    httpStatus: 400,
    message: /^Date header must be an HTTP-date .* Got 'yesterday'\.$/,
    attribution: KNOWN,
  },
  {
    name: 'a scope date other than the request date',
    request: request({ credential: { date: '20150831' } }),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message:
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
      "'20150831' != '20150830', from '20150830T123600Z'.",
    attribution: KNOWN,
  },
  {
    name: 'a region that is not a region',
    request: request({ credential: { region: 'US_EAST_1' } }),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: "Credential should be scoped to a valid region, not 'US_EAST_1'. ",
    attribution: { accessKeyId: KEY },
  },
  {
    name: 'another service',
    request: request({ credential: { service: 'cloudtrail-data' } }),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: "Credential should be scoped to correct service: 'cloudtrail'. ",
    attribution: KNOWN,
  },
  {
    name: 'another terminator',
    request: request({ credential: { terminator: 'aws4_reqest' } }),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reqest'. ",
    attribution: KNOWN,
  },
  {
    name: 'host not signed',
    request: request({ signedHeaders: ['content-type', 'x-amz-date', 'x-amz-target'] }),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    attribution: KNOWN,
  },
  {
    name: 'X-Amz-Date not signed',
    request: request({ signedHeaders: ['content-type', 'host', 'x-amz-target'] }),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
    attribution: KNOWN,
  },
  {
    name: 'Date not signed',
    request: request({ headers: { 'x-amz-date': undefined, date: HTTP_DATE }, signedHeaders: ['host'] }),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: "'Date' must be a 'SignedHeader' in the AWS Authorization.",
    attribution: KNOWN,
  },
  {
    name: 'a signed header absent from the request',
    request: request({ signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-target', 'x-custom'] }),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: "'x-custom' is listed in SignedHeaders but is not present in the request.",
    attribution: KNOWN,
  },
  {
    name: 'a request older than the skew',
    request: request(),
    options: { nowMs: NOW_MS + 5 * 60_000 + 1000 },
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)',
    attribution: KNOWN,
  },
  {
    name: 'a request from further in the future than the skew',
    request: request(),
    options: { nowMs: NOW_MS - 5 * 60_000 - 1000 },
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: 'Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T123059Z + 5 min.)',
    attribution: KNOWN,
  },
  {
    name: 'a custom skew',
    request: request(),
    options: { nowMs: NOW_MS + 61_000, maxSkewMs: 60_000 },
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T123701Z - 1 min.)',
    attribution: KNOWN,
  },
  {
    name: 'an unknown access key',
    request: request({ credential: { accessKeyId: 'AKIDUNKNOWN' } }),
    code: 'UnrecognizedClientException',
    httpStatus: 400,
    message: 'The security token included in the request is invalid.',
    attribution: { accessKeyId: 'AKIDUNKNOWN', region: 'us-east-1' },
  },
  {
    name: 'a signed x-amz-content-sha256 that is not the body hash',
    request: { ...request({ headers: { 'x-amz-content-sha256': sha256Hex('{}') } }), body: Buffer.from('{"a":1}') },
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    attribution: KNOWN,
  },
  {
    name: 'a wrong secret',
    request: request(),
    options: { lookupSecret: () => 'not-the-secret' },
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: BAD_SIGNATURE,
    attribution: KNOWN,
  },
  {
    name: 'a changed body',
    request: { ...request(), body: Buffer.from('{ }') },
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: BAD_SIGNATURE,
    attribution: KNOWN,
  },
  {
    name: 'a changed path',
    request: { ...request(), path: '/other' },
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: BAD_SIGNATURE,
    attribution: KNOWN,
  },
  {
    name: 'a changed signed header',
    request: (() => {
      const signed = request();
      return { ...signed, headers: { ...signed.headers, 'x-amz-target': 'CloudTrail_20131101.CreateTrail' } };
    })(),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: BAD_SIGNATURE,
    attribution: KNOWN,
  },
  {
    name: 'a non-hex signature',
    request: request({ authorization: (a) => a.replace(/Signature=\w+/, `Signature=${'z'.repeat(64)}`) }),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: BAD_SIGNATURE,
    attribution: KNOWN,
  },
  {
    name: 'a truncated signature',
    request: request({ authorization: (a) => a.slice(0, -1) }),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: BAD_SIGNATURE,
    attribution: KNOWN,
  },
  {
    name: 'an empty signature',
    request: request({ authorization: (a) => a.replace(/Signature=\w+/, 'Signature=') }),
    code: 'InvalidSignatureException',
    httpStatus: 400,
    message: BAD_SIGNATURE,
    attribution: KNOWN,
  },
];

describe('verifySigV4 failures', () => {
  it.each(failures)('$name → $code', ({ request: req, options: overrides, code, httpStatus, message, attribution }) => {
    const result = verifySigV4(req, options(overrides));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.httpStatus).toBe(httpStatus);
    if (typeof message === 'string') expect(result.error.message).toBe(message);
    else expect(result.error.message).toMatch(message);
    expect({ accessKeyId: result.accessKeyId, region: result.region }).toEqual({
      accessKeyId: attribution.accessKeyId,
      region: attribution.region,
    });
  });

  it('does not consult the key store for a request that is malformed or out of scope', () => {
    const lookupSecret = vi.fn(() => SECRET);
    for (const req of [request({ credential: { service: 's3' } }), request({ signedHeaders: ['x-amz-date'] })]) {
      verifySigV4(req, options({ lookupSecret }));
    }
    expect(lookupSecret).not.toHaveBeenCalled();
  });
});

describe('verifySigV4 tolerances', () => {
  const accepted = (result: VerifyResult) =>
    expect(result).toMatchObject({ ok: true, accessKeyId: KEY, region: 'us-east-1' });

  it('accepts parameters in any order, separated by commas and blanks in any mix, ignoring unknown ones', () => {
    const reorder = (a: string) => {
      const [, credential, signedHeaders, signature] = /Credential=(\S+), SignedHeaders=(\S+), Signature=(\w+)/.exec(a)!;
      return `  AWS4-HMAC-SHA256   Signature=${signature},SignedHeaders=${signedHeaders} ,, X=1,Credential=${credential} `;
    };
    accepted(verifySigV4(request({ authorization: reorder }), options()));
  });

  it('accepts the edges of the skew window', () => {
    accepted(verifySigV4(request(), options({ nowMs: NOW_MS + 5 * 60_000 })));
    accepted(verifySigV4(request(), options({ nowMs: NOW_MS - 5 * 60_000 })));
  });

  it('accepts any service among those configured and reports it', () => {
    const result = verifySigV4(
      request({ credential: { service: 'cloudtrail-data' } }),
      options({ services: ['cloudtrail', 'cloudtrail-data'] }),
    );
    expect(result).toMatchObject({ ok: true, service: 'cloudtrail-data' });
  });

  it('accepts a signed x-amz-content-sha256 equal to the body hash', () => {
    const body = '{"a":1}';
    accepted(verifySigV4(request({ body, headers: { 'x-amz-content-sha256': sha256Hex(body) } }), options()));
  });

  it('ignores an x-amz-content-sha256 that is not signed', () => {
    const signed = request();
    accepted(verifySigV4({ ...signed, headers: { ...signed.headers, 'x-amz-content-sha256': 'garbage' } }, options()));
  });

  it('takes the time from a signed Date header when there is no X-Amz-Date', () => {
    const result = verifySigV4(request({ headers: { 'x-amz-date': undefined, date: HTTP_DATE } }), options());
    expect(result).toMatchObject({ ok: true, amzDate: AMZ_DATE });
  });

  it('returns the session token, whether or not it was signed', () => {
    const withToken = request({ headers: { 'x-amz-security-token': 'token/+=' } });
    expect(verifySigV4(withToken, options())).toMatchObject({ ok: true, sessionToken: 'token/+=' });
    const signed = request();
    const unsigned = { ...signed, headers: { ...signed.headers, 'x-amz-security-token': 'later' } };
    expect(verifySigV4(unsigned, options())).toMatchObject({ ok: true, sessionToken: 'later' });
  });

  it('canonicalises query parameters however the client escaped them', () => {
    const arn = 'arn:aws:cloudtrail:us-east-1:123456789012:channel/abc';
    const signed = request({ query: `channelArn=${encodeURIComponent(arn)}&externalId=x` });
    const lowerHex = encodeURIComponent(arn).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
    accepted(verifySigV4({ ...signed, query: `externalId=x&channelArn=${lowerHex}` }, options()));
    accepted(verifySigV4({ ...signed, query: `externalId=x&channelArn=${arn}` }, options()));
  });
});

describe('verifySigV4 on garbage', () => {
  const huge = `AWS4-HMAC-SHA256 Credential=${'A'.repeat(10_000)}`;
  const garbage: [string, SignedRequest, Partial<VerifyOptions>?][] = [
    ['an empty Authorization header', request({ authorization: () => '' })],
    ['blanks only', request({ authorization: () => ' \t ' })],
    ['the algorithm alone', request({ authorization: () => 'AWS4-HMAC-SHA256' })],
    ['a 10k-character header', request({ authorization: () => huge })],
    ['a 10k-character header of commas', request({ authorization: () => `AWS4-HMAC-SHA256 ${','.repeat(10_000)}` })],
    ['a 10k-character signature', request({ authorization: (a) => a.replace(/Signature=\w+/, `Signature=${'f'.repeat(10_000)}`) })],
    [
      'NUL bytes and unicode',
      request({ authorization: () => 'AWS4-HMAC-SHA256 Credential=\u0000/\uD800/😀/\uFFFF/x, Signature=\u0000' }),
    ],
    [
      'a Credential of slashes only',
      request({ authorization: () => 'AWS4-HMAC-SHA256 Credential=////, SignedHeaders=, Signature=' }),
    ],
    ['empty signed header names', request({ signedHeaders: ['', 'host', 'x-amz-date', ''] })],
    [
      'prototype names as signed headers',
      request({ signedHeaders: ['__proto__', 'constructor', 'host', 'toString', 'x-amz-date'] }),
    ],
    ['an Authorization array', { ...request(), headers: { ...request().headers, authorization: ['AWS4-HMAC-SHA256', 'x'] } }],
    ['an X-Amz-Date array', request({ headers: { 'x-amz-date': [AMZ_DATE, AMZ_DATE] } })],
    ['a lone surrogate in the path', { ...request(), path: '/\uD800/..%/./%zz' }],
    ['malformed escapes in the query', { ...request(), query: '%&%%=%zz&%E1=%C3%28&&=&a==b' }],
    ['a NaN clock (fails closed)', request(), { nowMs: Number.NaN }],
    ['a negative skew (fails closed)', request(), { maxSkewMs: -1 }],
    ['an infinite clock (fails closed)', request(), { nowMs: Number.POSITIVE_INFINITY }],
  ];

  it.each(garbage)('%s: answers with an AWS error instead of throwing', (_name, req, overrides) => {
    let result: VerifyResult | undefined;
    expect(() => {
      result = verifySigV4(req, options(overrides));
    }).not.toThrow();
    expect(result?.ok).toBe(false);
  });

  it('never throws on random near-miss requests', () => {
    const fragment = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom(
        'AWS4-HMAC-SHA256',
        'Credential=',
        'SignedHeaders=',
        'Signature=',
        'AKIDEXAMPLE/20150830/us-east-1/cloudtrail/aws4_request',
        'host;x-amz-date',
        AMZ_DATE,
        ...', /;=',
      ),
    );
    const text = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(''));
    const extraHeaders = fc.dictionary(fc.string(), fc.option(text, { nil: undefined }));
    fc.assert(
      fc.property(text, text, text, text, extraHeaders, (authorization, amzDate, path, query, extra) => {
        const req: SignedRequest = {
          method: 'POST',
          path,
          query,
          headers: { ...extra, host: 'h', 'x-amz-date': amzDate, authorization },
          body: Buffer.from(path),
        };
        // A secret for every key id, so that nothing short of a valid signature could pass.
        const result = verifySigV4(req, options({ lookupSecret: () => SECRET }));
        expect(result.ok).toBe(false);
        if (!result.ok) expect([400, 403]).toContain(result.error.httpStatus);
      }),
      { numRuns: 500 },
    );
  });
});
