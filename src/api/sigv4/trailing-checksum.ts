/**
 * The flexible checksums (`x-amz-checksum-*`) a client may send as an aws-chunked trailer.
 * Node computes CRC32, SHA-1 and SHA-256 itself; CRC32C and CRC64NVME would need a dependency,
 * so those are reported as received but not verified, and the upstream (which gets them passed
 * on) remains the judge of them.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** Algorithms whose trailer this module can verify. */
export type VerifiableChecksum = 'crc32' | 'sha1' | 'sha256';

/** An incremental checksum over the decoded payload, base64 as S3 encodes it. */
export interface RunningChecksum {
  update(data: Buffer): void;
  digestBase64(): string;
}

class Crc32 implements RunningChecksum {
  #value = 0;
  update(data: Buffer): void {
    this.#value = crc32(data, this.#value);
  }
  digestBase64(): string {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(this.#value >>> 0);
    return bytes.toString('base64');
  }
}

class Digest implements RunningChecksum {
  readonly #hash: Hash;
  constructor(algorithm: 'sha1' | 'sha256') {
    this.#hash = createHash(algorithm);
  }
  update(data: Buffer): void {
    this.#hash.update(data);
  }
  digestBase64(): string {
    return this.#hash.digest('base64');
  }
}

/** The algorithm a trailer header names, e.g. `x-amz-checksum-crc32` → `crc32`; undefined if it is no checksum. */
export function checksumAlgorithm(headerName: string): string | undefined {
  const prefix = 'x-amz-checksum-';
  const name = headerName.toLowerCase();
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : undefined;
}

/** A running checksum for an algorithm node can compute; undefined for the others. */
export function runningChecksum(algorithm: string): RunningChecksum | undefined {
  if (algorithm === 'crc32') return new Crc32();
  if (algorithm === 'sha1' || algorithm === 'sha256') return new Digest(algorithm);
  return undefined;
}
