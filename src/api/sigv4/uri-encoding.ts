/**
 * Percent-encoding as SigV4 defines it (RFC 3986: only unreserved characters stay literal,
 * everything else is `%XX` with upper-case hex over UTF-8 bytes). Works on bytes rather than
 * decodeURIComponent so that malformed escapes and invalid UTF-8 in a hostile request can never
 * throw and survive byte for byte.
 */

const UNRESERVED = new Uint8Array(256);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~') {
  UNRESERVED[char.charCodeAt(0)] = 1;
}
const ESCAPED = Array.from({ length: 256 }, (_, byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`);

/** SigV4 `UriEncode` of raw bytes. */
export function uriEncodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    out += UNRESERVED[byte] === 1 ? String.fromCharCode(byte) : ESCAPED[byte]!;
  }
  return out;
}

/** SigV4 `UriEncode` of a string, over its UTF-8 bytes (lone surrogates become U+FFFD rather than throwing). */
export function uriEncode(text: string): string {
  return uriEncodeBytes(Buffer.from(text, 'utf8'));
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  return -1;
}

/**
 * Percent-decodes to bytes. A `%` not followed by two hex digits stays literal, which is what a
 * lenient server does and keeps the decode-then-encode round trip total.
 */
export function percentDecode(text: string): Buffer {
  const input = Buffer.from(text, 'utf8');
  if (!input.includes(0x25)) return input;
  const output = Buffer.allocUnsafe(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i]!;
    if (byte === 0x25 && i + 2 < input.length) {
      const high = hexValue(input[i + 1]!);
      const low = hexValue(input[i + 2]!);
      if (high >= 0 && low >= 0) {
        output[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    output[length++] = byte;
  }
  return output.subarray(0, length);
}
