/**
 * A decoder for `Content-Encoding: aws-chunked` bodies (S3 chunked uploads), as a Transform:
 * encoded bytes in, payload bytes out, with every chunk signature, the trailer signature, the
 * decoded length and a verifiable trailing checksum checked on the way.
 *
 * Encoding, per chunk `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n`, then the final chunk
 * `0[;chunk-signature=<sig>]\r\n`, then trailer lines `name:value\r\n` (the last one
 * `x-amz-trailer-signature:<sig>` when trailers are signed), then `\r\n`.
 *
 * Memory stays bounded whatever the client sends: data is passed on as it arrives (never a whole
 * chunk), header and trailer lines are capped, and so is the size a chunk may declare. The most
 * recent piece of payload is held back until the input has ended and everything has been
 * verified, so the downstream (which trusts the decoded Content-Length) never receives a
 * complete payload that failed a check.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { ServiceError } from '../errors.js';
import { bodyErrors } from './body-errors.js';
import { EMPTY_SHA256 } from './canonical-request.js';
import { chunkSignature, trailerSignature } from './chunk-signature.js';
import type { ChunkSigningContext } from './chunk-signature.js';
import type { PayloadMode } from './payload-mode.js';
import { checksumAlgorithm, runningChecksum } from './trailing-checksum.js';
import type { RunningChecksum } from './trailing-checksum.js';
import { signaturesEqual } from './verify-core.js';

/** The payload modes that are aws-chunked. */
export type ChunkedMode = Extract<PayloadMode, `streaming-${string}`>;

export interface AwsChunkedOptions {
  mode: ChunkedMode;
  /** Required for the signed modes: the key, date and scope of the request, and its signature as the seed. */
  signing?: ChunkSigningContext & { seedSignature: string };
  /** `x-amz-decoded-content-length`, compared with the payload's length at the end. */
  decodedContentLength?: number;
  /**
   * The trailer names the request declared in `x-amz-trailer`. When given, every declared trailer
   * must arrive and no other may, and a declared checksum is computed while the data streams;
   * a checksum trailer that was not declared can only be reported, not verified.
   */
  declaredTrailers?: readonly string[];
  /** Largest chunk size accepted, default 16 MiB. */
  maxChunkSize?: number;
  /** Longest chunk-header or trailer line, default 4 KiB. */
  maxLineLength?: number;
  /** Most trailer bytes in all, default 16 KiB. */
  maxTrailerBytes?: number;
}

/** A trailing checksum as received, and whether it was checked against the payload. */
export interface TrailingChecksum {
  /** `crc32`, `crc32c`, `sha1`, `sha256`, `crc64nvme`, ... */
  algorithm: string;
  /** The base64 value the client sent. */
  value: string;
  /** True when computed here and found equal; false when it could not be computed here. */
  verified: boolean;
}

export const DEFAULT_MAX_CHUNK_SIZE = 16 * 1024 * 1024;
export const DEFAULT_MAX_LINE_LENGTH = 4 * 1024;
export const DEFAULT_MAX_TRAILER_BYTES = 16 * 1024;

const TRAILER_SIGNATURE = 'x-amz-trailer-signature';
const SIGNED_SIZE_LINE = /^([0-9a-fA-F]{1,16});chunk-signature=([0-9a-fA-F]{64})$/;
/** Unsigned chunks carry no signature; other chunk extensions are tolerated and ignored. */
const UNSIGNED_SIZE_LINE = /^([0-9a-fA-F]{1,16})(?:;[^\r\n]*)?$/;
const TRAILER_LINE = /^([A-Za-z0-9-]{1,128}):(.*)$/;

type State = 'size-line' | 'data' | 'data-end' | 'trailer' | 'done';

/** See the module comment. Trailer values, checksums and lengths are readable once it has ended. */
export class AwsChunkedDecoder extends Transform {
  readonly #mode: ChunkedMode;
  readonly #signing: (ChunkSigningContext & { seedSignature: string }) | undefined;
  readonly #decodedContentLength: number | undefined;
  readonly #declared: ReadonlySet<string> | undefined;
  readonly #maxChunkSize: number;
  readonly #maxLineLength: number;
  readonly #maxTrailerBytes: number;
  readonly #checksums = new Map<string, RunningChecksum>();

  #state: State = 'size-line';
  #line: Buffer[] = [];
  #lineLength = 0;
  #remaining = 0;
  #chunkSignature = '';
  #chunkHash: Hash | undefined;
  #previousSignature: string;
  #decoded = 0;
  #trailerBytes = 0;
  #held: Buffer | undefined;
  readonly #trailers = new Map<string, string>();
  #trailerSignature: string | undefined;
  #checksumResults: TrailingChecksum[] = [];

  constructor(options: AwsChunkedOptions) {
    super();
    this.#mode = options.mode;
    if (options.mode !== 'streaming-unsigned-trailer' && options.signing === undefined) {
      throw new TypeError(`aws-chunked mode ${options.mode} needs the signing context`);
    }
    this.#signing = options.signing;
    this.#previousSignature = options.signing?.seedSignature ?? '';
    this.#decodedContentLength = options.decodedContentLength;
    this.#declared =
      options.declaredTrailers === undefined ? undefined : new Set(options.declaredTrailers.map((name) => name.toLowerCase()));
    this.#maxChunkSize = options.maxChunkSize ?? DEFAULT_MAX_CHUNK_SIZE;
    this.#maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.#maxTrailerBytes = options.maxTrailerBytes ?? DEFAULT_MAX_TRAILER_BYTES;
    for (const name of this.#declared ?? []) {
      const algorithm = checksumAlgorithm(name);
      const running = algorithm === undefined ? undefined : runningChecksum(algorithm);
      if (algorithm !== undefined && running !== undefined) this.#checksums.set(algorithm, running);
    }
  }

  /** Payload bytes decoded so far. */
  get decodedLength(): number {
    return this.#decoded;
  }

  /** The trailing headers other than the trailer signature (complete once the stream has ended). */
  get trailers(): ReadonlyMap<string, string> {
    return this.#trailers;
  }

  /** The trailing checksums received, each marked verified or not (complete once the stream has ended). */
  get checksums(): readonly TrailingChecksum[] {
    return this.#checksumResults;
  }

  /** Bytes this decoder holds itself (the held-back piece and a partial line), for measuring memory. */
  get bufferedBytes(): number {
    return (this.#held?.length ?? 0) + this.#lineLength;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let offset = 0;
      while (offset < chunk.length) offset = this.#consume(chunk, offset);
      callback();
    } catch (error) {
      this.#held = undefined;
      callback(error as ServiceError);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.#state !== 'done') {
      this.#held = undefined;
      callback(bodyErrors.incomplete('the aws-chunked body ended before its final chunk and trailer'));
      return;
    }
    if (this.#held !== undefined) this.push(this.#held);
    this.#held = undefined;
    callback();
  }

  /** Consumes what it can of `chunk` from `offset` in the current state; returns the new offset. */
  #consume(chunk: Buffer, offset: number): number {
    if (this.#state === 'done') throw bodyErrors.malformed('bytes after the end of the aws-chunked body');
    if (this.#state === 'data') return this.#consumeData(chunk, offset);
    const newline = chunk.indexOf(0x0a, offset);
    const end = newline < 0 ? chunk.length : newline + 1;
    const limit = this.#maxLineLength + 2;
    if (this.#lineLength + (end - offset) > limit) throw bodyErrors.malformed(`a line longer than ${this.#maxLineLength} bytes`);
    // Copied, so that a line arriving a byte per packet does not keep every packet alive.
    this.#line.push(Buffer.from(chunk.subarray(offset, end)));
    this.#lineLength += end - offset;
    if (newline >= 0) {
      const line = Buffer.concat(this.#line);
      this.#line = [];
      this.#lineLength = 0;
      if (line.length < 2 || line[line.length - 2] !== 0x0d) throw bodyErrors.malformed('a line not ended by CRLF');
      this.#onLine(line.subarray(0, line.length - 2).toString('latin1'));
    }
    return end;
  }

  #consumeData(chunk: Buffer, offset: number): number {
    const take = Math.min(this.#remaining, chunk.length - offset);
    const piece = chunk.subarray(offset, offset + take);
    this.#remaining -= take;
    this.#decoded += take;
    if (this.#decodedContentLength !== undefined && this.#decoded > this.#decodedContentLength) {
      throw bodyErrors.malformed('more payload than x-amz-decoded-content-length declares');
    }
    this.#chunkHash?.update(piece);
    for (const running of this.#checksums.values()) running.update(piece);
    const previous = this.#held;
    this.#held = piece;
    if (previous !== undefined) this.push(previous);
    if (this.#remaining === 0) this.#state = 'data-end';
    return offset + take;
  }

  #onLine(line: string): void {
    if (this.#state === 'size-line') this.#onSizeLine(line);
    else if (this.#state === 'data-end') {
      if (line !== '') throw bodyErrors.malformed('chunk data longer than its declared size');
      this.#checkChunkSignature(this.#chunkHash?.digest('hex') ?? EMPTY_SHA256);
      this.#state = 'size-line';
    } else this.#onTrailerLine(line);
  }

  #onSizeLine(line: string): void {
    const signed = this.#mode !== 'streaming-unsigned-trailer';
    const match = (signed ? SIGNED_SIZE_LINE : UNSIGNED_SIZE_LINE).exec(line);
    if (match === null) {
      throw bodyErrors.malformed(
        signed ? `expected '<hex size>;chunk-signature=<signature>', got '${line}'` : `expected '<hex size>', got '${line}'`,
      );
    }
    const size = Number.parseInt(match[1]!, 16);
    if (size > this.#maxChunkSize) {
      throw bodyErrors.malformed(`a chunk of ${size} bytes is larger than the limit of ${this.#maxChunkSize}`);
    }
    this.#chunkSignature = match[2] ?? '';
    if (size === 0) {
      this.#checkChunkSignature(EMPTY_SHA256);
      this.#state = 'trailer';
      return;
    }
    this.#remaining = size;
    this.#chunkHash = signed ? createHash('sha256') : undefined;
    this.#state = 'data';
  }

  #checkChunkSignature(dataSha256Hex: string): void {
    if (this.#signing === undefined) return;
    const expected = chunkSignature(this.#signing, this.#previousSignature, dataSha256Hex);
    if (!signaturesEqual(expected, this.#chunkSignature)) throw bodyErrors.chunkSignatureMismatch();
    this.#previousSignature = expected;
  }

  #onTrailerLine(line: string): void {
    if (line === '') {
      this.#finish();
      return;
    }
    if (this.#mode === 'streaming-signed') throw bodyErrors.malformed('trailing headers in a body declared without them');
    if (this.#trailerSignature !== undefined) throw bodyErrors.malformed('a trailing header after the trailer signature');
    this.#trailerBytes += line.length + 2;
    if (this.#trailerBytes > this.#maxTrailerBytes) {
      throw bodyErrors.malformed(`trailing headers longer than ${this.#maxTrailerBytes} bytes`);
    }
    const match = TRAILER_LINE.exec(line);
    if (match === null) throw bodyErrors.malformed(`expected a trailing header 'name:value', got '${line}'`);
    const name = match[1]!.toLowerCase();
    const value = match[2]!.trim();
    if (name === TRAILER_SIGNATURE) {
      if (this.#mode !== 'streaming-signed-trailer') throw bodyErrors.malformed('a trailer signature in an unsigned body');
      this.#trailerSignature = value;
      return;
    }
    if (this.#trailers.has(name)) throw bodyErrors.malformed(`the trailing header '${name}' is given twice`);
    if (this.#declared !== undefined && !this.#declared.has(name)) {
      throw bodyErrors.malformed(`the trailing header '${name}' was not declared in x-amz-trailer`);
    }
    this.#trailers.set(name, value);
  }

  /** The blank line after the trailers: everything is known, so everything is checked. */
  #finish(): void {
    if (this.#mode === 'streaming-signed-trailer') {
      if (this.#trailerSignature === undefined) throw bodyErrors.incomplete('the trailer signature is missing');
      const expected = trailerSignature(this.#signing!, this.#previousSignature, this.#trailers);
      if (!signaturesEqual(expected, this.#trailerSignature)) throw bodyErrors.chunkSignatureMismatch();
    }
    for (const name of this.#declared ?? []) {
      if (!this.#trailers.has(name)) throw bodyErrors.incomplete(`the declared trailing header '${name}' is missing`);
    }
    if (this.#decodedContentLength !== undefined && this.#decoded !== this.#decodedContentLength) {
      throw bodyErrors.incomplete(
        `${this.#decoded} bytes of payload where x-amz-decoded-content-length declares ${this.#decodedContentLength}`,
      );
    }
    for (const [name, value] of this.#trailers) {
      const algorithm = checksumAlgorithm(name);
      if (algorithm === undefined) continue;
      const running = this.#checksums.get(algorithm);
      if (running !== undefined && running.digestBase64() !== value) throw bodyErrors.checksumMismatch(algorithm);
      this.#checksumResults.push({ algorithm, value, verified: running !== undefined });
    }
    this.#state = 'done';
  }
}

/** See {@link AwsChunkedDecoder}. */
export function awsChunkedDecoder(options: AwsChunkedOptions): AwsChunkedDecoder {
  return new AwsChunkedDecoder(options);
}
