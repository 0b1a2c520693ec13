import { constants, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipMember } from './gzip-member.js';

const CONTENT = Buffer.from('{"Records":[' + '{"a":1},'.repeat(500) + '{"a":2}]}');
const GZ = gzipSync(CONTENT);

/** A gzip header with FEXTRA, FNAME and FCOMMENT, then GZ's deflate stream and trailer. */
function withHeaderFields(): Buffer {
  const extra = Buffer.from([4, 0, 1, 2, 3, 4]);
  const header = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 255]), extra, Buffer.from('name\0comment\0')]);
  return Buffer.concat([header, GZ.subarray(10)]);
}

describe('gunzipMember', () => {
  it('reads one member, whatever the header carries', async () => {
    expect((await gunzipMember(GZ)).equals(CONTENT)).toBe(true);
    expect((await gunzipMember(withHeaderFields())).equals(CONTENT)).toBe(true);
    expect((await gunzipMember(gzipSync(Buffer.alloc(0)))).length).toBe(0);
    expect((await gunzipMember(gzipSync(CONTENT, { level: constants.Z_NO_COMPRESSION }))).equals(CONTENT)).toBe(true);
  });

  it.each([
    ['garbage after the member', Buffer.concat([GZ, Buffer.from('x')]), '1 byte after the gzip member'],
    ['a second member', Buffer.concat([GZ, gzipSync('more')]), `${gzipSync('more').length} bytes after the gzip member`],
    ['a truncated trailer', GZ.subarray(0, GZ.length - 3), 'truncated gzip member'],
    ['a truncated deflate stream', GZ.subarray(0, 30), 'broken deflate stream'],
    ['a wrong CRC-32', Buffer.concat([GZ.subarray(0, GZ.length - 8), Buffer.alloc(4), GZ.subarray(GZ.length - 4)]), 'gzip CRC-32 does not match'],
    ['a wrong length', Buffer.concat([GZ.subarray(0, GZ.length - 4), Buffer.alloc(4)]), 'gzip length does not match'],
    ['plain JSON', CONTENT, 'not gzip data'],
    ['an empty file', Buffer.alloc(0), 'not gzip data'],
    ['another method', Buffer.concat([GZ.subarray(0, 2), Buffer.from([7]), GZ.subarray(3)]), 'unknown gzip compression method'],
    ['a header cut in its file name', Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 255, 0x41, 0x42]), 'truncated gzip header'],
  ])('refuses %s', async (_what, data, reason) => {
    await expect(gunzipMember(data)).rejects.toThrow(reason);
  });
});
