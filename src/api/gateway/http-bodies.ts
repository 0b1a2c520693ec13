/**
 * Reading bodies with a bound, and the headers that must not cross the gateway: hop-by-hop
 * headers (RFC 9110 §7.6.1), the client's own authentication (the upstream gets the gateway's)
 * and the framing of an aws-chunked upload (the upstream gets the decoded bytes).
 */
import type { Readable } from 'node:stream';

export class BodyTooLargeError extends Error {}

/** A body read up to `limit` bytes: `rest` is set when it had more, with the stream paused there. */
export interface BoundedBody {
  head: Buffer;
  complete: boolean;
}

/**
 * Reads the whole body when it fits in `limit`. When it does not, resolves with what was read
 * and `complete: false`, the stream paused, so the caller can still pipe the rest on.
 */
export async function readBounded(stream: Readable, limit: number): Promise<BoundedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        stream.pause();
        cleanup();
        resolve({ head: Buffer.concat(chunks), complete: false });
      }
    };
    const onEnd = () => {
      cleanup();
      resolve({ head: Buffer.concat(chunks), complete: true });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('the stream closed before its end'));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** Reads a whole body, refusing one larger than `limit`. */
export async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const body = await readBounded(stream, limit);
  if (!body.complete) throw new BodyTooLargeError();
  return body.head;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Request headers the upstream must not get from the client. */
const CLIENT_ONLY = new Set([
  'host',
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'expect',
  'content-length',
  'x-amz-decoded-content-length',
  'x-amz-trailer',
]);

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function connectionTokens(headers: Headers): Set<string> {
  const value = headers.connection;
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(text.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== ''));
}

/**
 * The client's headers as the upstream gets them. For an aws-chunked upload the chunked
 * framing and its trailer announcement go (the upstream receives plain bytes), and with them
 * the checksum algorithm whose trailer it will not see.
 */
export function upstreamRequestHeaders(headers: Headers, decodedChunked: boolean): Record<string, string | string[]> {
  const named = connectionTokens(headers);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || CLIENT_ONLY.has(name) || named.has(name)) continue;
    if (decodedChunked && name === 'content-encoding') {
      const rest = (Array.isArray(value) ? value.join(',') : value).split(',').map((t) => t.trim()).filter((t) => t !== '' && t.toLowerCase() !== 'aws-chunked');
      if (rest.length > 0) out[name] = rest.join(',');
      continue;
    }
    if (decodedChunked && name === 'x-amz-sdk-checksum-algorithm') continue;
    out[name] = value;
  }
  return out;
}

/** The upstream's response headers as the client gets them. */
export function clientResponseHeaders(headers: Headers): Record<string, string | string[]> {
  const named = connectionTokens(headers);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * The query string without a presigned URL's authentication parameters: SigV4's `X-Amz-*` ones,
 * and for an S3 SigV2 URL (`sigV2`) also `AWSAccessKeyId`, `Signature` and `Expires`.
 */
export function withoutPresignParameters(rawQuery: string, sigV2 = false): string {
  return rawQuery
    .split('&')
    .filter((part) => part !== '' && !/^X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)(=|$)/i.test(part))
    .filter((part) => !sigV2 || !/^(AWSAccessKeyId|Signature|Expires)(=|$)/.test(part))
    .join('&');
}
