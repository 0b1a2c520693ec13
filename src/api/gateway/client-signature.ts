/**
 * The client's signature on a gateway call, and what its body still needs. S3 calls are
 * verified on their head alone (S3's rules: declared payload hash, presigned URLs, aws-chunked
 * uploads), and their body is checked while it streams; other services' bodies are read whole
 * first and verified with them, as the hosted services are.
 */
import type { Transform } from 'node:stream';
import { ServiceError } from '../errors.js';
import { bodyCheckFor, isChunkedMode, verifySigV4, verifySigV4Streaming } from '../sigv4/index.js';
import type { HeaderRecord, SigV4Error } from '../sigv4/index.js';

/** How the client's body travels to the upstream. */
export interface ClientBody {
  /** The check the body streams through: a payload hash, or the aws-chunked decoder. */
  verifier?: Transform;
  /** True when the verifier decodes aws-chunked framing (the upstream gets plain bytes). */
  decoder?: boolean;
  /** The decoded payload length of an aws-chunked upload (x-amz-decoded-content-length). */
  decodedLength?: number;
  /** What the upstream request signs as payload hash: the client's declared SHA-256, or UNSIGNED-PAYLOAD. */
  upstreamPayloadHash?: string;
}

export type ClientVerification =
  | { ok: true; region: string; sessionToken?: string; body: ClientBody }
  | { ok: false; error: SigV4Error; region?: string };

export interface ClientVerifyOptions {
  services: readonly string[];
  nowMs: number;
  lookupSecret: (accessKeyId: string) => string | undefined;
  /** S3's rules (streamed body); otherwise `body` holds the whole body. */
  s3: boolean;
}

interface SignedHead {
  method: string;
  path: string;
  query: string;
  headers: HeaderRecord;
}

export function verifyClientRequest(request: SignedHead, body: Buffer | undefined, options: ClientVerifyOptions): ClientVerification {
  const { services, nowMs, lookupSecret } = options;
  if (!options.s3) {
    const result = verifySigV4({ ...request, body: body ?? Buffer.alloc(0) }, { services, nowMs, lookupSecret });
    if (!result.ok) return { ok: false, error: result.error, ...(result.region !== undefined && { region: result.region }) };
    return { ok: true, region: result.region, ...(result.sessionToken !== undefined && { sessionToken: result.sessionToken }), body: {} };
  }
  const result = verifySigV4Streaming(request, { services, nowMs, lookupSecret, uriEncoding: 's3' });
  if (!result.ok) return { ok: false, error: result.error, ...(result.region !== undefined && { region: result.region }) };
  let verifier: Transform | undefined;
  try {
    verifier = bodyCheckFor(result, request.headers);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return { ok: false, error: { code: error.code, message: error.message, httpStatus: error.httpStatus }, region: result.region };
  }
  const chunked = isChunkedMode(result.payloadMode);
  const decodedHeader = request.headers['x-amz-decoded-content-length'];
  const decodedLength = chunked && typeof decodedHeader === 'string' ? Number(decodedHeader) : undefined;
  return {
    ok: true,
    region: result.region,
    ...(result.sessionToken !== undefined && { sessionToken: result.sessionToken }),
    body: {
      ...(verifier !== undefined && { verifier }),
      ...(chunked && { decoder: true }),
      ...(decodedLength !== undefined && Number.isFinite(decodedLength) && { decodedLength }),
      upstreamPayloadHash: result.payloadMode === 'sha256' ? result.payloadHash : 'UNSIGNED-PAYLOAD',
    },
  };
}
