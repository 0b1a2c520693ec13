import { describe, expect, it } from 'vitest';
import { splitFields } from './delimited-fields.js';
import { matchLogEvent, parseFilterPattern } from './index.js';

const apache = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534';
const apacheOk = '10.0.0.9 - - [10/Oct/2000:13:25:16 -0700] "GET /index.html HTTP/1.0" 200 512';

describe('splitting a message into fields', () => {
  it.each([
    [apache, ['127.0.0.1', '-', 'frank', '10/Oct/2000:13:25:15 -0700', 'GET /apache_pb.gif HTTP/1.0', '404', '1534']],
    ['  a   b\tc  ', ['a', 'b', 'c']],
    ['', []],
    ['"unclosed quote here', ['"unclosed', 'quote', 'here']],
    ['[unclosed bracket', ['[unclosed', 'bracket']],
    ['"" []', ['', '']],
    ['x"y z', ['x"y', 'z']],
  ])('%j', (message, fields) => expect(splitFields(message)).toEqual(fields));
});

const cases: [pattern: string, message: string, matches: boolean][] = [
  ['[ip, user, username, timestamp, request, status_code, bytes]', apache, true],
  ['[ip, user, username, timestamp, request, status_code]', apache, false],
  ['[ip, user, username, timestamp, request, status_code, bytes, extra]', apache, false],
  ['[ip, user, ...]', apache, true],
  ['[..., status_code, bytes]', apache, true],
  ['[ip, ..., bytes]', apache, true],
  ['[..., status_code = 404, ...]', apache, true],
  ['[..., status_code = 500, ...]', apache, false],
  ['[ip, user, username, timestamp, request, status_code = 4*, bytes]', apache, true],
  ['[ip, user, username, timestamp, request, status_code = 4*, bytes]', apacheOk, false],
  ['[ip, user, username, timestamp, request = *html*, status_code, bytes]', apacheOk, true],
  ['[ip, user, username, timestamp, request = *html*, status_code, bytes]', apache, false],
  ['[ip, user, username, timestamp, request = "GET *", status_code, bytes > 1000]', apache, true],
  ['[ip, user, username, timestamp, request, status_code, bytes > 1000]', apacheOk, false],
  ['[ip, user, username != -, ...]', apache, true],
  ['[ip, user, username != -, ...]', apacheOk, false],
  ['[ip = 127.0.0.*, ...]', apache, true],
  ['[ip, user, ..., status_code = 4* || status_code = 5*, bytes]', apache, true],
  ['[ip, user, ..., status_code = 4* || status_code = 5*, bytes]', apacheOk, false],
  ['[ip, user, ..., status_code >= 400 && status_code < 500, bytes]', apache, true],
  ['[ip, user, ..., status_code >= 400 && < 500, bytes]', apacheOk, false],
  ['[..., code = 2* || code >= 400 && code < 405, bytes]', apache, true],
  ['[..., code != 404, bytes]', apache, false],
  ['[..., request = %^GET /apache%, code, bytes]', apache, true],
  ['[..., bytes = %^[0-9]+$%]', apache, true],
  ['[w1=ERROR, w2]', 'ERROR 401', true],
  ['[w1=ERROR, w2]', 'WARN 401', false],
  ['[w1=ERROR, w2=4*, ...]', 'ERROR 401 UNAUTHORIZED REQUEST', true],
  ['[level, code > 300]', 'ERROR abc', false],
  ['[level, code = *]', 'ERROR abc', true],
  ['[a, ..., b, ..., c = z]', 'a x b y z', true],
  ['[a, ..., b = q, ..., c]', 'a x b y z', false],
  ['[..., ..., last = z]', 'z', true],
  ['[a]', '', false],
  ['[...]', '', true],
];

describe('space-delimited patterns', () => {
  it.each(cases)('%s on %j → %s', (pattern, message, expected) => {
    expect(matchLogEvent(parseFilterPattern(pattern), message) !== undefined).toBe(expected);
  });

  it('reports the extracted fields as $name, and reads them by name with or without $', () => {
    const match = matchLogEvent(parseFilterPattern('[ip, user, username, timestamp, request, status_code, bytes]'), apache);
    expect(match?.extractedValues).toEqual({
      $ip: '127.0.0.1',
      $user: '-',
      $username: 'frank',
      $timestamp: '10/Oct/2000:13:25:15 -0700',
      $request: 'GET /apache_pb.gif HTTP/1.0',
      $status_code: '404',
      $bytes: '1534',
    });
    expect(match?.valueOf('$status_code')).toBe('404');
    expect(match?.valueOf('status_code')).toBe('404');
    expect(match?.valueOf('$nope')).toBeUndefined();
  });

  it('names fields without a name by their position ($1, $2...), ellipses not counted', () => {
    const match = matchLogEvent(parseFilterPattern('[= ERROR, ..., != 0]'), 'ERROR a b 7');
    expect(match?.extractedValues).toEqual({ $1: 'ERROR', $2: '7' });
    expect(match?.valueOf('$2')).toBe('7');
  });

  it('does not extract what the ellipsis covered', () => {
    expect(matchLogEvent(parseFilterPattern('[a, ..., z]'), 'one two three four')?.extractedValues).toEqual({ $a: 'one', $z: 'four' });
  });

  it('still reads $.selectors from a JSON message', () => {
    expect(matchLogEvent(parseFilterPattern('[...]'), '{"a": 5}')?.valueOf('$.a')).toBe(5);
  });

  it('stays fast with many ellipses on a long message', () => {
    const message = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    const pattern = parseFilterPattern('[..., a = nope, ..., b, ..., c, ..., d]');
    const start = performance.now();
    expect(matchLogEvent(pattern, message)).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
