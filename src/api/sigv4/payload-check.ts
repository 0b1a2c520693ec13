/**
 * The body check for a declared SHA-256 payload (`x-amz-content-sha256: <hex>`). Bytes pass
 * through while they are hashed, but the most recent piece is held back until the input ends:
 * the upstream trusts Content-Length, so it would take the request as complete once the last
 * byte arrived, and must therefore never get that byte unless the hash matched.
 */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { bodyErrors } from './body-errors.js';

/** A pass-through that errors with XAmzContentSHA256Mismatch instead of delivering the last piece. */
export class PayloadHashCheck extends Transform {
  readonly #expected: string;
  readonly #hash = createHash('sha256');
  #held: Buffer | undefined;
  #bytes = 0;

  constructor(expectedHex: string) {
    super();
    this.#expected = expectedHex.toLowerCase();
  }

  /** Bytes received so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Bytes held back (the most recent piece), for measuring memory. */
  get heldBytes(): number {
    return this.#held?.length ?? 0;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    const previous = this.#held;
    this.#held = chunk;
    if (previous !== undefined) this.push(previous);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#hash.digest('hex') !== this.#expected) {
      this.#held = undefined;
      callback(bodyErrors.contentSha256Mismatch());
      return;
    }
    if (this.#held !== undefined) this.push(this.#held);
    this.#held = undefined;
    callback();
  }
}

/** See {@link PayloadHashCheck}. */
export function payloadHashCheck(expectedHex: string): PayloadHashCheck {
  return new PayloadHashCheck(expectedHex);
}
