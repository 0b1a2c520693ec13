/**
 * Raw SigV4-signed S3 calls for the gateway benchmark and tests, the same client whichever
 * endpoint they go to (the upstream directly, or OpenTrail's gateway): signed by smithy (the
 * AWS SDK's signer) as the S3 client signs, path style, sent over keep-alive node:http
 * connections. Small calls are signed before the clock starts; large bodies stream from
 * `deterministicBytes` with backpressure and are hashed as they go, both ways.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { deterministicBytes } from './s3-upstream.js';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface S3Endpoint {
  url: string;
  credentials: S3Credentials;
}

export interface SignedS3Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** Signs one call; `payloadHash` defaults to the body's own SHA-256 (or that of nothing). */
export async function signS3(endpoint: S3Endpoint, method: string, path: string, body?: Buffer, payloadHash?: string, extraHeaders: Record<string, string> = {}): Promise<SignedS3Call> {
  const { hostname, port, host } = new URL(endpoint.url);
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: endpoint.credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  const headers: Record<string, string> = { host, 'x-amz-content-sha256': payloadHash ?? sha256Hex(body ?? ''), ...extraHeaders };
  if (body !== undefined) headers['content-length'] = String(body.length);
  const signed = await signer.sign(new HttpRequest({ method, protocol: 'http:', hostname, port: Number(port), path, headers }));
  return { method, path, headers: signed.headers, ...(body !== undefined && { body }) };
}

export interface S3Answer {
  status: number;
  body: Buffer;
  headers: IncomingMessage['headers'];
}

/** Sends one signed call and reads the whole answer. */
export async function sendS3(url: string, call: SignedS3Call, agent?: Agent): Promise<S3Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: Number(port), path: call.path, method: call.method, headers: call.headers, ...(agent !== undefined && { agent }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(call.body);
  });
}

export interface S3LoadResult {
  seconds: number;
  ok: number;
  failed: number;
  latenciesMs: number[];
}

/** Sends every call once, `concurrency` at a time over keep-alive connections, until all are answered or `maxSeconds` passed. */
export async function runS3Load(url: string, calls: readonly SignedS3Call[], concurrency: number, maxSeconds = 60): Promise<S3LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  let ok = 0;
  let failed = 0;
  const latenciesMs: number[] = [];
  const start = process.hrtime.bigint();
  const deadline = Date.now() + maxSeconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < calls.length && Date.now() < deadline) {
          const call = calls[next++]!;
          const t0 = process.hrtime.bigint();
          const answer = await sendS3(url, call, agent);
          latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (answer.status === 200) ok++;
          else failed++;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, ok, failed, latenciesMs };
}

export interface StreamResult {
  status: number;
  bytes: number;
  sha256: string;
  seconds: number;
  /** The answer's body when it was not a success (an S3 error document). */
  error?: string;
  requestId?: string;
}

/** A stream's result once its answer has ended. */
function streamResult(status: number, bytes: number, sha256: string, start: bigint, errorBody: Buffer[], requestId: unknown): StreamResult {
  return {
    status,
    bytes,
    sha256,
    seconds: Number(process.hrtime.bigint() - start) / 1e9,
    ...(status !== 200 && { error: Buffer.concat(errorBody).toString('utf8') }),
    ...(typeof requestId === 'string' && { requestId }),
  };
}

/**
 * PUTs `total` deterministic bytes as one streamed request, `x-amz-content-sha256` either
 * UNSIGNED-PAYLOAD or the given hash of those bytes (computed by the caller beforehand).
 */
export async function streamPut(endpoint: S3Endpoint, path: string, total: number, payloadHash = 'UNSIGNED-PAYLOAD'): Promise<StreamResult> {
  const call = await signS3(endpoint, 'PUT', path, undefined, payloadHash, { 'content-length': String(total), 'content-type': 'application/octet-stream' });
  const { hostname, port } = new URL(endpoint.url);
  const hash = createHash('sha256');
  let bytes = 0;
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: Number(port), path, method: 'PUT', headers: call.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(streamResult(res.statusCode ?? 0, bytes, hash.digest('hex'), start, chunks, res.headers['x-amz-request-id'])));
    });
    req.on('error', reject);
    const write = async () => {
      for (const block of deterministicBytes(total)) {
        if (req.destroyed) return;
        hash.update(block);
        bytes += block.length;
        if (!req.write(block)) await new Promise<void>((drained) => req.once('drain', drained));
      }
      req.end();
    };
    write().catch(reject);
  });
}

/** Streamed GET: counts and hashes the body as it arrives, keeps none of it. */
export async function streamGet(endpoint: S3Endpoint, path: string): Promise<StreamResult> {
  const call = await signS3(endpoint, 'GET', path, undefined, 'UNSIGNED-PAYLOAD');
  const { hostname, port } = new URL(endpoint.url);
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: Number(port), path, method: 'GET', headers: call.headers }, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      const head: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
        if (res.statusCode !== 200 && head.length < 16) head.push(chunk);
      });
      res.on('end', () => resolve(streamResult(res.statusCode ?? 0, bytes, hash.digest('hex'), start, head, undefined)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The SHA-256 of `deterministicBytes(total)`, as a client that signs the payload computes it first. */
export function deterministicSha256(total: number): string {
  const hash = createHash('sha256');
  for (const block of deterministicBytes(total)) hash.update(block);
  return hash.digest('hex');
}

/** Peak and current resident set of a process (Linux /proc), in MiB. */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** Resets a process's peak RSS (VmHWM) to its current RSS: `echo 5 > /proc/pid/clear_refs`. False where not allowed. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
