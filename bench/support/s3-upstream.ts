/**
 * The gateway benchmark's S3 upstream: a minimal, fast S3-compatible server on node:http, so
 * that what is measured is the gateway and not its upstream (a moto server spends milliseconds
 * of Python per call). It is not S3 and does not pretend to be:
 *
 *   - it does NOT verify signatures (it only requires an Authorization header), keeps no
 *     metadata but the ETag and length, and knows no listing, multipart or versioning;
 *   - `PUT /bucket` creates nothing (any bucket exists) and answers 200;
 *   - `PUT /bucket/key` stores the body in memory by path (mode `memory`), or, in mode
 *     `discard`, hashes and counts it and keeps only { bytes, sha256 } (see `received`);
 *   - `GET`/`HEAD /bucket/key` answer the stored body; in mode `discard` a GET of a key put
 *     before answers `deterministicBytes` of the length that was put (`generated` is the
 *     hash of what was sent), so a gigabyte crosses the gateway without living anywhere;
 *   - anything else, or a missing key, is S3's XML error (NoSuchKey, 404).
 *
 * Every answer carries a fresh x-amz-request-id, as S3's do (the gateway records it).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type UpstreamMode = 'memory' | 'discard';

export interface ReceivedObject {
  bytes: number;
  sha256: string;
}

export interface FastS3Upstream {
  readonly url: string;
  /** What each PUT path received (both modes). */
  readonly received: ReadonlyMap<string, ReceivedObject>;
  /** In mode `discard`: the SHA-256 of every GET body sent, by path (the last one). */
  readonly generated: ReadonlyMap<string, ReceivedObject>;
  stop(): Promise<void>;
}

const BLOCK = 1024 * 1024;
let pattern: Buffer | undefined;

/** A 1 MiB block of xorshift32 bytes (seed fixed): looks random, costs nothing to repeat. */
function patternBlock(): Buffer {
  if (pattern !== undefined) return pattern;
  pattern = Buffer.alloc(BLOCK);
  let x = 0x9e3779b9;
  for (let i = 0; i < BLOCK; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pattern.writeUInt32LE(x >>> 0, i);
  }
  return pattern;
}

/**
 * The deterministic bytes of an object, block by block: block i (1 MiB) is the pattern with its
 * first 8 bytes replaced by i, so a block lost, repeated or reordered changes the hash.
 */
export function* deterministicBytes(total: number): Generator<Buffer> {
  const base = patternBlock();
  let offset = 0;
  let index = 0;
  while (offset < total) {
    const size = Math.min(BLOCK, total - offset);
    const block = Buffer.from(base.subarray(0, size));
    if (size >= 8) block.writeBigUInt64LE(BigInt(index), 0);
    yield block;
    offset += size;
    index++;
  }
}

function s3Error(res: ServerResponse, status: number, code: string, message: string, resource: string, method: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Resource>${resource}</Resource><RequestId>${randomUUID()}</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': randomUUID() });
  res.end(method === 'HEAD' ? undefined : body);
}

export async function startFastS3Upstream(mode: UpstreamMode = 'memory'): Promise<FastS3Upstream> {
  const objects = new Map<string, { body: Buffer; etag: string }>();
  const received = new Map<string, ReceivedObject>();
  const generated = new Map<string, ReceivedObject>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const isObject = /^\/[^/]+\/.+/.test(path);
    if (req.headers.authorization === undefined) {
      req.resume();
      s3Error(res, 403, 'AccessDenied', 'Anonymous access is not served here.', path, method);
      return;
    }
    if (method === 'PUT') {
      if (/aws-chunked/i.test(String(req.headers['content-encoding'] ?? ''))) {
        req.resume();
        s3Error(res, 400, 'NotImplemented', 'This bench upstream does not decode aws-chunked bodies.', path, method);
        return;
      }
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
        if (mode === 'memory' && isObject) chunks.push(chunk);
      });
      req.on('end', () => {
        const sha256 = hash.digest('hex');
        const etag = `"${sha256.slice(0, 32)}"`;
        if (isObject) {
          received.set(path, { bytes, sha256 });
          if (mode === 'memory') objects.set(path, { body: Buffer.concat(chunks), etag });
        }
        res.writeHead(200, { etag, 'content-length': 0, 'x-amz-request-id': randomUUID() });
        res.end();
      });
      return;
    }
    req.resume();
    if ((method === 'GET' || method === 'HEAD') && isObject) {
      if (mode === 'memory') {
        const object = objects.get(path);
        if (object !== undefined) {
          res.writeHead(200, { etag: object.etag, 'content-type': 'application/octet-stream', 'content-length': object.body.length, 'x-amz-request-id': randomUUID() });
          res.end(method === 'HEAD' ? undefined : object.body);
          return;
        }
      } else {
        const put = received.get(path);
        if (put !== undefined) {
          res.writeHead(200, { etag: `"${put.sha256.slice(0, 32)}"`, 'content-type': 'application/octet-stream', 'content-length': put.bytes, 'x-amz-request-id': randomUUID() });
          if (method === 'HEAD') {
            res.end();
            return;
          }
          void sendGenerated(res, path, put.bytes, generated);
          return;
        }
      }
    }
    s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.', path, method);
  };

  const server: Server = createServer({ keepAliveTimeout: 60_000, requestTimeout: 0 }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    generated,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes the deterministic body with backpressure, hashing what it sends. */
async function sendGenerated(res: ServerResponse, path: string, total: number, generated: Map<string, ReceivedObject>): Promise<void> {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const block of deterministicBytes(total)) {
    if (res.destroyed) return;
    hash.update(block);
    bytes += block.length;
    if (!res.write(block)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
    }
  }
  generated.set(path, { bytes, sha256: hash.digest('hex') });
  res.end();
}
