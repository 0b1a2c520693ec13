/**
 * The aws-chunked decoder: AWS's documented chunked-upload example, the trailer modes, every
 * way a body can be wrong, and the properties that matter for a proxy (packet boundaries do not
 * matter, a tampered body never delivers its last byte, memory stays bounded).
 */
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeChunked, encodeChunkedBuffer } from './chunked-encoding.fixture.js';
import type { EncodeSpec } from './chunked-encoding.fixture.js';
import { awsChunkedDecoder, deriveSigningKey, verifySigV4Streaming } from './index.js';
import type { AwsChunkedDecoder, AwsChunkedOptions } from './index.js';

const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const EXAMPLE_SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const EXAMPLE_SIGNING = {
  signingKey: deriveSigningKey(EXAMPLE_SECRET, '20130524', 'us-east-1', 's3'),
  amzDate: '20130524T000000Z',
  scope: '20130524/us-east-1/s3/aws4_request',
  seedSignature: EXAMPLE_SEED,
};
const EXAMPLE_PAYLOAD = Buffer.alloc(66560, 'a');
const EXAMPLE_CHUNKS = [EXAMPLE_PAYLOAD.subarray(0, 65536), EXAMPLE_PAYLOAD.subarray(65536)];

interface Outcome {
  output: Buffer;
  error?: { code: string; httpStatus: number; message: string };
  decoder: AwsChunkedDecoder;
}

/** Feeds the packets one by one and collects what comes out, and the error if any. */
async function decode(options: AwsChunkedOptions, packets: Iterable<Buffer>): Promise<Outcome> {
  const decoder = awsChunkedDecoder(options);
  const out: Buffer[] = [];
  try {
    await pipeline(
      Readable.from(packets, { objectMode: false }),
      decoder,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          out.push(chunk);
          callback();
        },
      }),
    );
    return { output: Buffer.concat(out), decoder };
  } catch (error) {
    return { output: Buffer.concat(out), error: error as Outcome['error'], decoder };
  }
}

/** Cuts a buffer at the given (sorted, deduplicated) offsets. */
function split(buffer: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (buffer.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const point of [...points, buffer.length]) {
    if (point > start) pieces.push(buffer.subarray(start, point));
    start = Math.max(start, point);
  }
  return pieces;
}

describe("AWS's documented chunked upload example", () => {
  it('verifies the seed signature of the example request', () => {
    const result = verifySigV4Streaming(
      {
        method: 'PUT',
        path: '/examplebucket/chunkObject.txt',
        query: '',
        headers: {
          host: 's3.amazonaws.com',
          'x-amz-date': '20130524T000000Z',
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
          'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
          'content-encoding': 'aws-chunked',
          'x-amz-decoded-content-length': '66560',
          'content-length': '66824',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
            'SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;' +
            `x-amz-decoded-content-length;x-amz-storage-class,Signature=${EXAMPLE_SEED}`,
        },
      },
      {
        services: ['s3'],
        nowMs: Date.UTC(2013, 4, 24),
        uriEncoding: 's3',
        lookupSecret: (id) => (id === 'AKIAIOSFODNN7EXAMPLE' ? EXAMPLE_SECRET : undefined),
      },
    );
    expect(result).toMatchObject({
      ok: true,
      authenticationMethod: 'AuthHeader',
      payloadMode: 'streaming-signed',
      seedSignature: EXAMPLE_SEED,
      scope: EXAMPLE_SIGNING.scope,
      amzDate: EXAMPLE_SIGNING.amzDate,
    });
    expect(result.ok && result.signingKey.equals(EXAMPLE_SIGNING.signingKey)).toBe(true);
  });

  it('has the documented chunk signatures, 66824 bytes on the wire, and decodes to the object', async () => {
    const signatures: string[] = [];
    const body = encodeChunkedBuffer({ mode: 'streaming-signed', signing: EXAMPLE_SIGNING, chunks: EXAMPLE_CHUNKS }, signatures);
    expect(signatures).toEqual([
      'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
      '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
      'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
    ]);
    expect(body.length).toBe(66824);
    const outcome = await decode({ mode: 'streaming-signed', signing: EXAMPLE_SIGNING, decodedContentLength: 66560 }, [body]);
    expect(outcome.error).toBeUndefined();
    expect(outcome.output.equals(EXAMPLE_PAYLOAD)).toBe(true);
    expect(outcome.decoder.decodedLength).toBe(66560);
  });
});

const crc32Base64 = (data: Buffer): string => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc32(data));
  return bytes.toString('base64');
};

describe('trailers', () => {
  const payload = Buffer.from('hello, trailing world');
  const chunks = [payload.subarray(0, 7), payload.subarray(7)];

  it('verifies an unsigned body with a crc32 trailer and exposes it', async () => {
    const trailers = new Map([['x-amz-checksum-crc32', crc32Base64(payload)]]);
    const body = encodeChunkedBuffer({ mode: 'streaming-unsigned-trailer', chunks, trailers });
    const outcome = await decode(
      { mode: 'streaming-unsigned-trailer', declaredTrailers: ['x-amz-checksum-crc32'], decodedContentLength: payload.length },
      [body],
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.output.toString()).toBe(payload.toString());
    expect(outcome.decoder.trailers).toEqual(trailers);
    expect(outcome.decoder.checksums).toEqual([{ algorithm: 'crc32', value: crc32Base64(payload), verified: true }]);
  });

  it.each(['sha256', 'sha1'] as const)('verifies a %s trailer', async (algorithm) => {
    const value = createHash(algorithm).update(payload).digest('base64');
    const trailers = new Map([[`x-amz-checksum-${algorithm}`, value]]);
    const body = encodeChunkedBuffer({ mode: 'streaming-signed-trailer', signing: EXAMPLE_SIGNING, chunks, trailers });
    const outcome = await decode(
      { mode: 'streaming-signed-trailer', signing: EXAMPLE_SIGNING, declaredTrailers: [`x-amz-checksum-${algorithm}`] },
      [body],
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.decoder.checksums).toEqual([{ algorithm, value, verified: true }]);
  });

  it('answers BadDigest for a wrong checksum, without delivering the last byte', async () => {
    const trailers = new Map([['x-amz-checksum-crc32', crc32Base64(Buffer.from('other'))]]);
    const body = encodeChunkedBuffer({ mode: 'streaming-unsigned-trailer', chunks, trailers });
    const outcome = await decode({ mode: 'streaming-unsigned-trailer', declaredTrailers: ['x-amz-checksum-crc32'] }, [body]);
    expect(outcome.error).toMatchObject({ code: 'BadDigest', httpStatus: 400 });
    expect(outcome.output.length).toBeLessThan(payload.length);
  });

  it('passes crc32c and crc64nvme on unverified', async () => {
    const trailers = new Map([['x-amz-checksum-crc32c', 'sOO8/Q==']]);
    const body = encodeChunkedBuffer({ mode: 'streaming-signed-trailer', signing: EXAMPLE_SIGNING, chunks, trailers });
    const outcome = await decode(
      { mode: 'streaming-signed-trailer', signing: EXAMPLE_SIGNING, declaredTrailers: ['x-amz-checksum-crc32c'] },
      [body],
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.decoder.checksums).toEqual([{ algorithm: 'crc32c', value: 'sOO8/Q==', verified: false }]);
  });

  it('rejects a wrong trailer signature, a missing one, and an undeclared or missing trailer', async () => {
    const trailers = new Map([['x-amz-checksum-crc32', crc32Base64(payload)]]);
    const good = encodeChunkedBuffer({ mode: 'streaming-signed-trailer', signing: EXAMPLE_SIGNING, chunks, trailers }).toString('latin1');
    const options = { mode: 'streaming-signed-trailer' as const, signing: EXAMPLE_SIGNING };
    const run = async (text: string, extra: Partial<AwsChunkedOptions> = {}) =>
      (await decode({ ...options, ...extra }, [Buffer.from(text, 'latin1')])).error;

    expect(await run(good)).toBeUndefined();
    const spoiled = good.replace(/x-amz-trailer-signature:(.)/, (_all, c: string) => `x-amz-trailer-signature:${c === '0' ? '1' : '0'}`);
    expect(await run(spoiled)).toMatchObject({ code: 'SignatureDoesNotMatch', httpStatus: 403 });
    expect(await run(good.replace(/x-amz-trailer-signature:[0-9a-f]+\r\n/, ''))).toMatchObject({ code: 'IncompleteBody' });
    expect(await run(good, { declaredTrailers: ['x-amz-checksum-sha256'] })).toMatchObject({ code: 'InvalidRequest' });
    expect(await run(good, { declaredTrailers: ['x-amz-checksum-crc32', 'x-amz-meta-x'] })).toMatchObject({
      code: 'IncompleteBody',
    });
  });
});

describe('malformed bodies', () => {
  const signed = { mode: 'streaming-signed' as const, signing: EXAMPLE_SIGNING };
  const good = encodeChunkedBuffer({ ...signed, chunks: EXAMPLE_CHUNKS });

  it.each([
    ['truncated in the data', good.subarray(0, 1000), 'IncompleteBody'],
    ['truncated before the last CRLF', good.subarray(0, good.length - 2), 'IncompleteBody'],
    ['bytes after the end', Buffer.concat([good, Buffer.from('x')]), 'InvalidRequest'],
    ['not a size line', Buffer.from('zz;chunk-signature=00\r\n'), 'InvalidRequest'],
    ['an unsigned chunk in a signed body', Buffer.from('3\r\nabc\r\n'), 'InvalidRequest'],
    ['a bare LF', Buffer.from(`0;chunk-signature=${'0'.repeat(64)}\n`), 'InvalidRequest'],
    ['an endless line', Buffer.alloc(5000, '1'), 'InvalidRequest'],
    ['a chunk over the size limit', Buffer.from(`1000001;chunk-signature=${'0'.repeat(64)}\r\n`), 'InvalidRequest'],
  ])('%s', async (_name, body, code) => {
    const outcome = await decode(signed, [body]);
    expect(outcome.error).toMatchObject({ code });
  });

  it('checks x-amz-decoded-content-length both ways', async () => {
    expect((await decode({ ...signed, decodedContentLength: 66561 }, [good])).error).toMatchObject({ code: 'IncompleteBody' });
    const over = await decode({ ...signed, decodedContentLength: 100 }, [good]);
    expect(over.error).toMatchObject({ code: 'InvalidRequest' });
    expect(over.output.length).toBeLessThanOrEqual(100);
  });

  it('rejects a chunk longer than its size line says', async () => {
    const text = good.toString('latin1').replace('10000;', 'ffff;');
    expect((await decode(signed, [Buffer.from(text, 'latin1')])).error).toMatchObject({ code: 'InvalidRequest' });
  });

  it('needs the signing context for the signed modes', () => {
    expect(() => awsChunkedDecoder({ mode: 'streaming-signed' })).toThrow(TypeError);
  });
});

/** Whether the byte at `index` lies in a trailing header's name and the change only recases it. */
function onlyRecasesATrailerName(body: Buffer, tampered: Buffer, index: number): boolean {
  const text = body.toString('latin1');
  const trailerStart = text.indexOf('\r\n', text.lastIndexOf('0;chunk-signature=')) + 2;
  if (index < trailerStart) return false;
  const lineStart = text.lastIndexOf('\r\n', index - 1) + 2;
  const colon = text.indexOf(':', lineStart);
  if (colon === -1 || index >= colon) return false;
  const before = String.fromCharCode(body[index]!);
  const after = String.fromCharCode(tampered[index]!);
  return before !== after && before.toLowerCase() === after.toLowerCase();
}

describe('aws-chunked properties', () => {
  const bodySpec = fc.record({
    mode: fc.constantFrom<EncodeSpec['mode']>('streaming-signed', 'streaming-signed-trailer', 'streaming-unsigned-trailer'),
    chunks: fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 5 }),
    withChecksum: fc.boolean(),
  });
  type BodySpec = typeof bodySpec extends fc.Arbitrary<infer T> ? T : never;

  function build(spec: BodySpec): { body: Buffer; payload: Buffer; options: AwsChunkedOptions } {
    const chunks = spec.chunks.map((chunk) => Buffer.from(chunk));
    const payload = Buffer.concat(chunks);
    const trailerMode = spec.mode !== 'streaming-signed';
    const trailers =
      trailerMode && spec.withChecksum ? new Map([['x-amz-checksum-crc32', crc32Base64(payload)]]) : new Map<string, string>();
    const signing = spec.mode === 'streaming-unsigned-trailer' ? undefined : EXAMPLE_SIGNING;
    const body = encodeChunkedBuffer({ mode: spec.mode, chunks, trailers, ...(signing && { signing }) });
    const options: AwsChunkedOptions = {
      mode: spec.mode,
      decodedContentLength: payload.length,
      declaredTrailers: [...trailers.keys()],
      ...(signing && { signing }),
    };
    return { body, payload, options };
  }

  it('decodes identically however the body is split into packets', async () => {
    await fc.assert(
      fc.asyncProperty(bodySpec, fc.array(fc.nat(), { maxLength: 40 }), async (spec, cuts) => {
        const { body, payload, options } = build(spec);
        const outcome = await decode(options, split(body, cuts));
        expect(outcome.error).toBeUndefined();
        expect(outcome.output.equals(payload)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects any single flipped byte in a signed body without delivering the whole payload', async () => {
    const signedSpec = bodySpec.filter((spec) => spec.mode !== 'streaming-unsigned-trailer' && spec.chunks.length > 0);
    await fc.assert(
      fc.asyncProperty(signedSpec, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.array(fc.nat(), { maxLength: 10 }), async (spec, at, mask, cuts) => {
        const { body, payload, options } = build(spec);
        const tampered = Buffer.from(body);
        const index = at % tampered.length;
        tampered[index] = tampered[index]! ^ mask;
        // Trailing header names are case-insensitive (as in HTTP): such a flip changes nothing.
        fc.pre(!onlyRecasesATrailerName(body, tampered, index));
        const outcome = await decode(options, split(tampered, cuts));
        expect(outcome.error).toBeDefined();
        expect(outcome.output.length).toBeLessThan(payload.length);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps memory bounded for a 200 MB body generated on the fly', async () => {
    const chunkSize = 1024 * 1024;
    const chunkCount = 200;
    const data = Buffer.alloc(chunkSize, 'z');
    const signing = EXAMPLE_SIGNING;
    function* packets(): Generator<Buffer> {
      // The same chunk repeated: the encoder still signs each in the chain, as a client would.
      for (const piece of encodeChunked({ mode: 'streaming-signed', signing, chunks: Array<Buffer>(chunkCount).fill(data) })) {
        for (let offset = 0; offset < piece.length; offset += 65536) yield piece.subarray(offset, offset + 65536);
      }
    }
    const decoder = awsChunkedDecoder({ mode: 'streaming-signed', signing, decodedContentLength: chunkSize * chunkCount });
    let received = 0;
    let maxBuffered = 0;
    await pipeline(
      Readable.from(packets(), { objectMode: false }),
      decoder,
      new Writable({
        highWaterMark: 65536,
        write(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          maxBuffered = Math.max(maxBuffered, decoder.readableLength + decoder.writableLength + decoder.bufferedBytes);
          setImmediate(callback);
        },
      }),
    );
    expect(received).toBe(chunkSize * chunkCount);
    expect(maxBuffered).toBeLessThan(512 * 1024);
  }, 60_000);
});
