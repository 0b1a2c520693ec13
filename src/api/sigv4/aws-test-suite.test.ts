/**
 * The AWS Signature Version 4 test suite (the `aws-sig-v4-test-suite` published with the AWS
 * General Reference, as mirrored by the SDKs): request text, expected canonical request and
 * expected Authorization header, kept as data.
 */
import { describe, expect, it } from 'vitest';
import {
  canonicalRequest,
  credentialScope,
  deriveSigningKey,
  sha256Hex,
  stringToSign,
  verifySigV4,
} from './index.js';
import type { SignedRequest } from './index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NOW_MS = Date.UTC(2015, 7, 30, 12, 36, 0);
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SCOPE = 'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
const STS_TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';

interface Vector {
  name: string;
  /** The `.req` file: request line, header lines, blank line, body. */
  req: string;
  /** The `.creq` file. */
  creq: string;
  /** The `.authz` file. */
  authz: string;
  /** Headers the `.sreq` adds after signing (the session-token-after case). */
  addedAfterSigning?: Record<string, string>;
}

const authz = (signedHeaders: string, signature: string): string =>
  `AWS4-HMAC-SHA256 ${SCOPE}, SignedHeaders=${signedHeaders}, Signature=${signature}`;

const VANILLA_GET_CREQ = `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`;
const VANILLA_GET_AUTHZ = authz('host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
const VANILLA_POST_CREQ = `POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`;
const VANILLA_POST_AUTHZ = authz('host;x-amz-date', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
const HOST_DATE = 'Host:example.amazonaws.com\nX-Amz-Date:20150830T123600Z';

const vectors: Vector[] = [
  {
    name: 'get-vanilla',
    req: `GET / HTTP/1.1\n${HOST_DATE}`,
    creq: VANILLA_GET_CREQ,
    authz: VANILLA_GET_AUTHZ,
  },
  {
    name: 'get-vanilla-query',
    req: `GET / HTTP/1.1\n${HOST_DATE}`,
    creq: VANILLA_GET_CREQ,
    authz: VANILLA_GET_AUTHZ,
  },
  {
    name: 'get-vanilla-empty-query-key',
    req: `GET /?Param1=value1 HTTP/1.1\n${HOST_DATE}`,
    creq: `GET\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb'),
  },
  {
    name: 'get-vanilla-query-order-key',
    req: `GET /?Param1=value2&Param1=Value1 HTTP/1.1\n${HOST_DATE}`,
    creq: `GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', 'eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1'),
  },
  {
    name: 'get-vanilla-query-order-key-case',
    req: `GET /?Param2=value2&Param1=value1 HTTP/1.1\n${HOST_DATE}`,
    creq: `GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'),
  },
  {
    name: 'get-vanilla-query-order-value',
    req: `GET /?Param1=value2&Param1=value1 HTTP/1.1\n${HOST_DATE}`,
    creq: `GET\n/\nParam1=value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', '5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694'),
  },
  {
    name: 'get-vanilla-query-unreserved',
    req:
      'GET /?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=' +
      `-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\n${HOST_DATE}`,
    creq:
      'GET\n/\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=' +
      '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n' +
      `host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197'),
  },
  {
    name: 'get-vanilla-utf8-query',
    req: `GET /?ሴ=bar HTTP/1.1\n${HOST_DATE}`,
    creq: `GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04'),
  },
  {
    name: 'get-unreserved',
    req: `GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\n${HOST_DATE}`,
    creq:
      'GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\n' +
      `host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f'),
  },
  {
    name: 'get-utf8',
    req: `GET /ሴ HTTP/1.1\n${HOST_DATE}`,
    creq: `GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85'),
  },
  {
    name: 'get-space (normalize-path)',
    req: `GET /example space/ HTTP/1.1\n${HOST_DATE}`,
    creq: `GET\n/example%20space/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', '652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741'),
  },
  {
    name: 'get-relative (normalize-path)',
    req: `GET /example/.. HTTP/1.1\n${HOST_DATE}`,
    creq: VANILLA_GET_CREQ,
    authz: VANILLA_GET_AUTHZ,
  },
  {
    name: 'get-relative-relative (normalize-path)',
    req: `GET /example1/example2/../.. HTTP/1.1\n${HOST_DATE}`,
    creq: VANILLA_GET_CREQ,
    authz: VANILLA_GET_AUTHZ,
  },
  {
    name: 'get-slash (normalize-path)',
    req: `GET // HTTP/1.1\n${HOST_DATE}`,
    creq: VANILLA_GET_CREQ,
    authz: VANILLA_GET_AUTHZ,
  },
  {
    name: 'get-slash-dot-slash (normalize-path)',
    req: `GET /./ HTTP/1.1\n${HOST_DATE}`,
    creq: VANILLA_GET_CREQ,
    authz: VANILLA_GET_AUTHZ,
  },
  {
    name: 'get-slash-pointless-dot (normalize-path)',
    req: `GET /./example HTTP/1.1\n${HOST_DATE}`,
    creq: `GET\n/example\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', 'ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5'),
  },
  {
    name: 'get-slashes (normalize-path)',
    req: `GET //example// HTTP/1.1\n${HOST_DATE}`,
    creq: `GET\n/example/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', '9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84'),
  },
  {
    name: 'get-header-key-duplicate',
    req: 'GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value2\nMy-Header1:value2\nMy-Header1:value1\nX-Amz-Date:20150830T123600Z',
    creq:
      'GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\n' +
      `host;my-header1;x-amz-date\n${EMPTY}`,
    authz: authz('host;my-header1;x-amz-date', 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea'),
  },
  {
    name: 'get-header-value-order',
    req:
      'GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value4\nMy-Header1:value1\nMy-Header1:value3\n' +
      'My-Header1:value2\nX-Amz-Date:20150830T123600Z',
    creq:
      'GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\nx-amz-date:20150830T123600Z\n\n' +
      `host;my-header1;x-amz-date\n${EMPTY}`,
    authz: authz('host;my-header1;x-amz-date', '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01'),
  },
  {
    name: 'get-header-value-trim',
    req: 'GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1: value1\nMy-Header2: "a   b   c"\nX-Amz-Date:20150830T123600Z',
    creq:
      'GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:"a b c"\nx-amz-date:20150830T123600Z\n\n' +
      `host;my-header1;my-header2;x-amz-date\n${EMPTY}`,
    authz: authz('host;my-header1;my-header2;x-amz-date', 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736'),
  },
  {
    name: 'post-vanilla',
    req: `POST / HTTP/1.1\n${HOST_DATE}`,
    creq: VANILLA_POST_CREQ,
    authz: VANILLA_POST_AUTHZ,
  },
  {
    name: 'post-vanilla-query',
    req: `POST /?Param1=value1 HTTP/1.1\n${HOST_DATE}`,
    creq: `POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11'),
  },
  {
    name: 'post-vanilla-empty-query-value',
    req: `POST /?Param1=value1 HTTP/1.1\n${HOST_DATE}`,
    creq: `POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11'),
  },
  {
    name: 'post-header-key-case',
    req: `POST / HTTP/1.1\n${HOST_DATE}`,
    creq: VANILLA_POST_CREQ,
    authz: VANILLA_POST_AUTHZ,
  },
  {
    name: 'post-header-key-sort',
    req: 'POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\nX-Amz-Date:20150830T123600Z',
    creq: `POST\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n${EMPTY}`,
    authz: authz('host;my-header1;x-amz-date', 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c'),
  },
  {
    name: 'post-header-value-case',
    req: 'POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:VALUE1\nX-Amz-Date:20150830T123600Z',
    creq: `POST\n/\n\nhost:example.amazonaws.com\nmy-header1:VALUE1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n${EMPTY}`,
    authz: authz('host;my-header1;x-amz-date', 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d'),
  },
  {
    name: 'post-sts-header-after',
    req: `POST / HTTP/1.1\n${HOST_DATE}`,
    creq: VANILLA_POST_CREQ,
    authz: VANILLA_POST_AUTHZ,
    addedAfterSigning: { 'x-amz-security-token': STS_TOKEN },
  },
  {
    name: 'post-sts-header-before',
    req: `POST / HTTP/1.1\n${HOST_DATE}\nX-Amz-Security-Token:${STS_TOKEN}`,
    creq:
      `POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:${STS_TOKEN}\n\n` +
      `host;x-amz-date;x-amz-security-token\n${EMPTY}`,
    authz: authz('host;x-amz-date;x-amz-security-token', '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead'),
  },
  {
    name: 'post-x-www-form-urlencoded',
    req: `POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\n${HOST_DATE}\n\nParam1=value1`,
    creq:
      'POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n' +
      'content-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
    authz: authz('content-type;host;x-amz-date', 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a'),
  },
  {
    name: 'post-x-www-form-urlencoded-parameters',
    req: `POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded; charset=utf8\n${HOST_DATE}\n\nParam1=value1`,
    creq:
      'POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf8\nhost:example.amazonaws.com\n' +
      'x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
    authz: authz('content-type;host;x-amz-date', '1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe'),
  },
  // The two below are the suite's query cases as the smithy signer's fixture states them (query
  // as name/value pairs); the raw query is those pairs percent-encoded as a signer sends them.
  {
    name: 'post-vanilla-query-nonunreserved',
    req: `POST /?%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D HTTP/1.1\n${HOST_DATE}`,
    creq:
      'POST\n/\n%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D&%40%23%24%25%5E=\n' +
      `host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', '66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e'),
  },
  {
    name: 'post-vanilla-query-space',
    req: `POST /?p HTTP/1.1\n${HOST_DATE}`,
    creq: `POST\n/\np=\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`,
    authz: authz('host;x-amz-date', 'e71688addb58a26418614085fb730ba3faa623b461c17f48f2fbdb9361b94a9b'),
  },
];

/**
 * Turns `.req` text into what node:http would hand the pipeline: the request line split at its
 * first and last space (get-space has a space in the path), lower-case header names, values
 * without surrounding blanks, repeated lines kept as an array (as `headersDistinct` gives them).
 */
function parseReq(text: string): SignedRequest {
  const blank = text.indexOf('\n\n');
  const head = blank < 0 ? text : text.slice(0, blank);
  const body = blank < 0 ? '' : text.slice(blank + 2);
  const [requestLine, ...headerLines] = head.split('\n');
  const method = requestLine!.slice(0, requestLine!.indexOf(' '));
  const target = requestLine!.slice(method.length + 1, requestLine!.lastIndexOf(' '));
  const question = target.indexOf('?');
  const headers: Record<string, string[]> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  return {
    method,
    path: question < 0 ? target : target.slice(0, question),
    query: question < 0 ? '' : target.slice(question + 1),
    headers,
    body: Buffer.from(body, 'utf8'),
  };
}

function signedHeadersOf(authorization: string): string[] {
  return /SignedHeaders=([^,\s]*)/.exec(authorization)![1]!.split(';');
}

function withAuthorization(vector: Vector, authorization: string): SignedRequest {
  const request = parseReq(vector.req);
  return { ...request, headers: { ...request.headers, ...vector.addedAfterSigning, authorization } };
}

const options = {
  services: ['service'],
  nowMs: NOW_MS,
  lookupSecret: (id: string) => (id === 'AKIDEXAMPLE' ? SECRET : undefined),
};

/** A different hex digit at `index`, so the signature keeps its shape and only its value is wrong. */
function alterSignature(authorization: string, index: number): string {
  const start = authorization.indexOf('Signature=') + 'Signature='.length;
  const position = start + (index % 64);
  const replacement = authorization[position] === '0' ? '1' : '0';
  return authorization.slice(0, position) + replacement + authorization.slice(position + 1);
}

describe('AWS SigV4 test suite', () => {
  describe.each(vectors.map((vector, index) => ({ ...vector, index })))('$name', (vector) => {
    it('builds the expected canonical request', () => {
      const request = parseReq(vector.req);
      const text = canonicalRequest({
        method: request.method,
        path: request.path,
        query: request.query,
        headers: request.headers,
        signedHeaders: signedHeadersOf(vector.authz),
        payloadHash: sha256Hex(request.body),
      });
      expect(text).toBe(vector.creq);
    });

    it('accepts the expected signature', () => {
      const result = verifySigV4(withAuthorization(vector, vector.authz), options);
      expect(result).toEqual({
        ok: true,
        accessKeyId: 'AKIDEXAMPLE',
        region: 'us-east-1',
        service: 'service',
        amzDate: '20150830T123600Z',
        ...(vector.req.includes('X-Amz-Security-Token') || vector.addedAfterSigning ? { sessionToken: STS_TOKEN } : {}),
      });
    });

    it('rejects the signature with one character changed', () => {
      const result = verifySigV4(withAuthorization(vector, alterSignature(vector.authz, vector.index * 7)), options);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'InvalidSignatureException', httpStatus: 400 },
        accessKeyId: 'AKIDEXAMPLE',
        region: 'us-east-1',
      });
    });
  });

  it('derives the string to sign of get-vanilla', () => {
    expect(stringToSign('20150830T123600Z', credentialScope('20150830', 'us-east-1', 'service'), VANILLA_GET_CREQ)).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
        'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
  });

  it('derives the signing key of the AWS documentation example', () => {
    // "Examples of how to derive a signing key for Signature Version 4" (iam, us-east-1, 20120215).
    expect(deriveSigningKey(SECRET, '20120215', 'us-east-1', 'iam').toString('hex')).toBe(
      'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d',
    );
  });
});
