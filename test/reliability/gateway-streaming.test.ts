/**
 * A gigabyte up and down through the gateway with bounded memory: the AWS SDK's PutObject with a
 * stream body (its default aws-chunked upload with a CRC32 trailer, decoded by the gateway) and
 * GetObject read as a stream, both hashed. The upstream (the bench's fast S3, in discard mode)
 * keeps nothing: it hashes and counts what it is sent, and answers GET with the same
 * deterministic bytes, hashing them too. The server's peak RSS (VmHWM) is printed and bounded.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deterministicSha256, memoryOf } from '../../bench/support/s3-calls.js';
import { deterministicBytes, startFastS3Upstream } from '../../bench/support/s3-upstream.js';
import type { FastS3Upstream } from '../../bench/support/s3-upstream.js';
import { clientOptions } from '../support/clients.js';
import { removeDir, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';

const SIZE = Number(process.env.GATEWAY_STREAM_BYTES ?? 1024 * 1024 * 1024);
const PEAK_RSS_LIMIT_MB = 512;

let upstream: FastS3Upstream;
let server: ServerProcess;
let s3: S3Client;

describe('the gateway streams a gigabyte each way', () => {
  beforeAll(async () => {
    upstream = await startFastS3Upstream('discard');
    server = await startServer({
      // A forwarded request has the gateway's request timeout (an hour), not the 30 s of calls
      // to OpenTrail itself: the default must carry a gigabyte on a loaded machine.
      args: ['--upstream', `s3=${upstream.url}`],
      env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
    });
    s3 = new S3Client({ ...clientOptions(server), forcePathStyle: true });
  });

  afterAll(async () => {
    s3?.destroy();
    await server?.stop();
    await upstream?.stop();
    if (server !== undefined) removeDir(server.dataDir);
  });

  it('PutObject and GetObject of 1 GB pass whole, with the server under 512 MB peak RSS', async () => {
    const expected = deterministicSha256(SIZE);
    const sent = createHash('sha256');
    let sentBytes = 0;
    const body = Readable.from(
      (function* () {
        for (const block of deterministicBytes(SIZE)) {
          sent.update(block);
          sentBytes += block.length;
          yield block;
        }
      })(),
    );
    const putStart = Date.now();
    const put = await s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'one.bin', Body: body, ContentLength: SIZE }));
    const putSeconds = (Date.now() - putStart) / 1000;
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect(sentBytes).toBe(SIZE);
    expect(sent.digest('hex')).toBe(expected);
    // What reached the upstream: every byte, decoded from the SDK's aws-chunked framing.
    expect(upstream.received.get('/big/one.bin')).toEqual({ bytes: SIZE, sha256: expected });

    const getStart = Date.now();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'one.bin' }));
    expect(got.ContentLength).toBe(SIZE);
    const received = createHash('sha256');
    let receivedBytes = 0;
    for await (const chunk of got.Body as Readable) {
      received.update(chunk as Buffer);
      receivedBytes += (chunk as Buffer).length;
    }
    const getSeconds = (Date.now() - getStart) / 1000;
    expect(receivedBytes).toBe(SIZE);
    expect(received.digest('hex')).toBe(expected);
    expect(upstream.generated.get('/big/one.bin')).toEqual({ bytes: SIZE, sha256: expected });

    const memory = memoryOf(server.process.pid!);
    const mb = SIZE / (1024 * 1024);
    console.log(
      `gateway streaming: ${mb} MiB PUT in ${putSeconds.toFixed(1)} s (${(mb / putSeconds).toFixed(0)} MB/s), GET in ${getSeconds.toFixed(1)} s (${(mb / getSeconds).toFixed(0)} MB/s); ` +
        `server peak RSS (VmHWM) ${memory.peakMb.toFixed(0)} MB, RSS now ${memory.rssMb.toFixed(0)} MB`,
    );
    expect(memory.peakMb).toBeLessThan(PEAK_RSS_LIMIT_MB);
  }, 600_000);
});
