import { describe, expect, it } from 'vitest';
import { matchLogEvent, parseFilterPattern } from './index.js';

const messages = {
  badRequest: '[ERROR 400] BAD REQUEST',
  unauthorized: '[ERROR 401] UNAUTHORIZED REQUEST',
  internal: '[ERROR 500] INTERNAL SERVER ERROR: Exception in thread main',
  ok: '[SUCCESS 200] AUTHORIZED REQUEST',
  warn: 'WARN disk almost full',
  failed: 'ConsoleLogin Failed authentication for alice',
};

const cases: [pattern: string, expected: (keyof typeof messages)[]][] = [
  ['', ['badRequest', 'unauthorized', 'internal', 'ok', 'warn', 'failed']],
  ['   ', ['badRequest', 'unauthorized', 'internal', 'ok', 'warn', 'failed']],
  ['ERROR', ['badRequest', 'unauthorized', 'internal']],
  ['error', []],
  ['ERROR Exception', ['internal']],
  ['"ERROR" "Exception"', ['internal']],
  ['"ERROR 401"', ['unauthorized']],
  ['"INTERNAL SERVER ERROR"', ['internal']],
  ['"Failed authentication"', ['failed']],
  ['ERROR -Exception', ['badRequest', 'unauthorized']],
  ['ERROR -"BAD REQUEST" -Exception', ['unauthorized']],
  ['-ERROR', ['ok', 'warn', 'failed']],
  ['?ERROR ?WARN', ['badRequest', 'unauthorized', 'internal', 'warn']],
  ['?WARN ?"Failed authentication"', ['warn', 'failed']],
  ['REQUEST ?400 ?200', ['badRequest', 'ok']],
  ['?ERROR -Exception', ['badRequest', 'unauthorized']],
  // Substring, not whole word: AUTHORIZED is inside UNAUTHORIZED (see compile.ts).
  ['AUTHORIZED', ['unauthorized', 'ok']],
  ['"[ERROR"', ['badRequest', 'unauthorized', 'internal']],
  ['%AUTHORIZED%', ['unauthorized', 'ok']],
  ['%^\\[SUCCESS%', ['ok']],
  ['%40[01]%', ['badRequest', 'unauthorized']],
  ['ERROR %5\\d\\d%', ['internal']],
  ['-%ERROR|WARN%', ['ok', 'failed']],
];

describe('text patterns', () => {
  it.each(cases)('%j matches %j', (pattern, expected) => {
    const compiled = parseFilterPattern(pattern);
    const matched = (Object.keys(messages) as (keyof typeof messages)[]).filter((k) => matchLogEvent(compiled, messages[k]) !== undefined);
    expect(matched).toEqual(expected);
  });

  it('the match of a text pattern still reads selectors from a JSON message', () => {
    const match = matchLogEvent(parseFilterPattern('StopLogging'), '{"eventName":"StopLogging","n":3}');
    expect(match?.valueOf('$.n')).toBe(3);
    expect(matchLogEvent(parseFilterPattern(''), 'x')?.valueOf('$.n')).toBeUndefined();
  });

  it('the empty pattern matches the empty message', () => {
    expect(matchLogEvent(parseFilterPattern(''), '')).toBeDefined();
  });
});
