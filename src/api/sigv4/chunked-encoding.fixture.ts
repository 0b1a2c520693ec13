/**
 * Test support: an aws-chunked encoder written from AWS's description of the format, so the
 * decoder is checked against an independent producer (and the documented example values).
 */
import { createHash } from 'node:crypto';
import { chunkSignature, trailerSignature } from './chunk-signature.js';
import type { ChunkSigningContext } from './chunk-signature.js';
import type { ChunkedMode } from './aws-chunked.js';

export interface EncodeSpec {
  mode: ChunkedMode;
  signing?: ChunkSigningContext & { seedSignature: string };
  /** The payload, already cut into chunks (the final empty chunk is added). */
  chunks: readonly Buffer[];
  trailers?: ReadonlyMap<string, string>;
}

/** Yields the encoded body piece by piece (header line, data, CRLF, ...) and the chunk signatures it used. */
export function* encodeChunked(spec: EncodeSpec, signatures: string[] = []): Generator<Buffer> {
  let previous = spec.signing?.seedSignature ?? '';
  const sizeLine = (data: Buffer): string => {
    const hex = data.length.toString(16);
    if (spec.mode === 'streaming-unsigned-trailer') return `${hex}\r\n`;
    previous = chunkSignature(spec.signing!, previous, createHash('sha256').update(data).digest('hex'));
    signatures.push(previous);
    return `${hex};chunk-signature=${previous}\r\n`;
  };
  for (const data of spec.chunks) {
    yield Buffer.from(sizeLine(data));
    yield data;
    yield Buffer.from('\r\n');
  }
  yield Buffer.from(sizeLine(Buffer.alloc(0)));
  const trailers = spec.trailers ?? new Map<string, string>();
  let text = '';
  for (const [name, value] of trailers) text += `${name}:${value}\r\n`;
  if (spec.mode === 'streaming-signed-trailer') {
    const signature = trailerSignature(spec.signing!, previous, trailers);
    signatures.push(signature);
    text += `x-amz-trailer-signature:${signature}\r\n`;
  }
  yield Buffer.from(`${text}\r\n`);
}

/** The whole encoded body as one buffer. */
export function encodeChunkedBuffer(spec: EncodeSpec, signatures: string[] = []): Buffer {
  return Buffer.concat([...encodeChunked(spec, signatures)]);
}
