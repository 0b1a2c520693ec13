/**
 * Strict gzip reading for validation: exactly one gzip member (RFC 1952) and nothing after it.
 *
 * zlib-based readers are lenient in ways an attacker can use: Python's decompressobj (the stock
 * `validate-logs`) stops at the end of the first member and ignores whatever follows, and Node's
 * gunzip goes on into a second member. So bytes appended to a delivered file would pass. Here the
 * header is parsed by hand, the deflate stream is inflated raw (zlib reports how many input
 * bytes it consumed), the trailer's CRC-32 and length are checked, and any byte after the
 * trailer makes the file invalid.
 */
import * as zlib from 'node:zlib';
import { promisify } from 'node:util';

export class GzipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GzipFormatError';
  }
}

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const RESERVED = 0xe0;
const TRAILER = 8;

/** Length of the member header at the start of `data`; throws GzipFormatError when it is not one. */
export function gzipHeaderLength(data: Buffer): number {
  if (data.length < 10 || data[0] !== 0x1f || data[1] !== 0x8b) throw new GzipFormatError('not gzip data');
  if (data[2] !== 8) throw new GzipFormatError('unknown gzip compression method');
  const flags = data[3]!;
  if ((flags & RESERVED) !== 0) throw new GzipFormatError('reserved gzip header flags are set');
  let at = 10;
  if (flags & FEXTRA) {
    if (at + 2 > data.length) throw new GzipFormatError('truncated gzip header');
    at += 2 + data.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const end = data.indexOf(0, at);
      if (end < 0) throw new GzipFormatError('truncated gzip header');
      at = end + 1;
    }
  }
  if (flags & FHCRC) at += 2;
  if (at > data.length) throw new GzipFormatError('truncated gzip header');
  return at;
}

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

/** zlib.crc32 exists from Node 20.15; the table version keeps older Node 20 releases working. */
const crc32: (data: Buffer) => number =
  typeof zlib.crc32 === 'function'
    ? (data) => zlib.crc32(data)
    : (data) => {
        let c = -1;
        for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
        return (c ^ -1) >>> 0;
      };

interface InflateInfo {
  buffer: Buffer;
  engine: { bytesWritten: number };
}

const inflateRawInfo = promisify(zlib.inflateRaw) as unknown as (data: Buffer, options: zlib.ZlibOptions & { info: true }) => Promise<InflateInfo>;
const inflateRawInfoSync = zlib.inflateRawSync as unknown as (data: Buffer, options: zlib.ZlibOptions & { info: true }) => InflateInfo;

/**
 * Below this many compressed bytes, inflating on the calling thread (well under a millisecond)
 * is cheaper than the hand-off to the thread pool and back, which costs about as much CPU on
 * the main thread as the inflation itself; log files are mostly a few kilobytes.
 */
const SYNC_BELOW = 64 * 1024;

/**
 * The content of a gzip file that holds exactly one member and nothing else. Throws
 * GzipFormatError (with the reason) on anything else: not gzip, a broken deflate stream, a wrong
 * CRC-32 or length, a truncated file, or bytes after the member (another member included).
 * Inflates larger files on the libuv thread pool.
 */
export async function gunzipMember(data: Buffer): Promise<Buffer> {
  const header = gzipHeaderLength(data);
  let inflated: InflateInfo;
  try {
    const deflated = data.subarray(header);
    inflated = deflated.length < SYNC_BELOW ? inflateRawInfoSync(deflated, { info: true }) : await inflateRawInfo(deflated, { info: true });
  } catch (error) {
    throw new GzipFormatError(`broken deflate stream: ${(error as Error).message}`);
  }
  const trailer = header + inflated.engine.bytesWritten;
  if (trailer + TRAILER > data.length) throw new GzipFormatError('truncated gzip member');
  const content = inflated.buffer;
  if (data.readUInt32LE(trailer) !== crc32(content)) throw new GzipFormatError('gzip CRC-32 does not match');
  if (data.readUInt32LE(trailer + 4) !== content.length % 2 ** 32) throw new GzipFormatError('gzip length does not match');
  const extra = data.length - (trailer + TRAILER);
  if (extra > 0) throw new GzipFormatError(`${extra} byte${extra === 1 ? '' : 's'} after the gzip member`);
  return content;
}
