import { describe, expect, it } from 'vitest';
import { matchLogEvent, parseFilterPattern, prepareLogEvent } from './index.js';

const event = JSON.stringify({
  eventType: 'UpdateTrail',
  eventName: 'DeleteBucketPolicy',
  sourceIPAddress: '123.123.0.7',
  errorCode: 'Client.UnauthorizedOperation',
  user: { id: 1, name: 'Jane-Doe', 'x-amz-id': 'abc_1', tags: ['a', 'b'] },
  users: [{ email: 'John.Doe@example.com', roles: [['admin', 'ops'], ['dev']] }, { email: 'other@example.com' }],
  latency: 52.5,
  big: 1.5e3,
  negative: -4,
  zero: 0,
  numericText: '200',
  flag: true,
  off: false,
  nothing: null,
  empty: '',
  nested: { deeper: { value: 'Hello' } },
});

const cases: [pattern: string, matches: boolean][] = [
  // string equality, quoted and bare, case-sensitive
  ['{ $.eventType = "UpdateTrail" }', true],
  ['{ $.eventType = UpdateTrail }', true],
  ['{ $.eventType = updatetrail }', false],
  ['{ $.eventType != "UpdateTrail" }', false],
  ['{ $.eventType != "CreateTrail" }', true],
  ['{$.eventType="UpdateTrail"}', true],
  ['{ $.empty = "" }', true],
  // wildcards at the start, the end, both; never in the middle
  ['{ $.eventType = *Trail }', true],
  ['{ $.eventType = Update* }', true],
  ['{ $.eventType = *Update }', false],
  ['{ $.eventName = "Delete*" }', true],
  ['{ $.eventName = Delete* }', true],
  ['{ $.eventName = "*Policy" }', true],
  ['{ $.eventName = *Bucket* }', true],
  ['{ $.eventName = "*Trail*" }', false],
  ['{ $.errorCode = "*UnauthorizedOperation" }', true],
  ['{ $.eventName = "Delete*Policy" }', false],
  ['{ $.eventName = "\\*Policy" }', false],
  ['{ $.sourceIPAddress != 123.123.* }', false],
  ['{ $.sourceIPAddress != 10.0.* }', true],
  ['{ $.eventName = "*" }', true],
  // nested names and array indices, names with - and _
  ['{ $.user.name = "Jane-Doe" }', true],
  ['{ $.user.x-amz-id = abc_1 }', true],
  ['{ $.users[0].email = "John.Doe@example.com" }', true],
  ['{ $.users[1].email = "John.Doe@example.com" }', false],
  ['{ $.users[0].roles[0][1] = ops }', true],
  ['{ $.users[0].roles[1][0] = dev }', true],
  ['{ $.user.tags[1] = b }', true],
  ['{ $.nested.deeper.value = Hello }', true],
  // a selector naming an object or array never matches = or !=
  ['{ $.user = * }', false],
  ['{ $.user != "x" }', false],
  ['{ $.user.tags != "x" }', false],
  ['{ $.users[0] = "x" }', false],
  // absent selectors satisfy no comparison
  ['{ $.missing = "x" }', false],
  ['{ $.missing != "x" }', false],
  ['{ $.missing > 0 }', false],
  ['{ $.eventType.deeper = "x" }', false],
  ['{ $.users[5].email != "x" }', false],
  // numbers: signed decimals, scientific notation, only against JSON numbers
  ['{ $.user.id = 1 }', true],
  ['{ $.user.id != 1 }', false],
  ['{ $.latency > 50 }', true],
  ['{ $.latency >= 52.5 }', true],
  ['{ $.latency < 52.5 }', false],
  ['{ $.latency <= 52.5 }', true],
  ['{ $.big = 1500 }', true],
  ['{ $.big = 1.5e3 }', true],
  ['{ $.big = 15E2 }', true],
  ['{ $.big > 1e4 }', false],
  ['{ $.negative = -4 }', true],
  ['{ $.negative < -3.5 }', true],
  ['{ $.zero = +0 }', true],
  ['{ $.latency = .5e2 }', false],
  ['{ $.numericText = 200 }', false],
  ['{ $.numericText = "200" }', true],
  ['{ $.user.id = "1" }', false],
  // present, null, existence, booleans
  ['{ $.latency = * }', true],
  ['{ $.eventType = * }', true],
  ['{ $.flag = * }', true],
  ['{ $.nothing = * }', false],
  ['{ $.missing = * }', false],
  ['{ $.latency != * }', false],
  ['{ $.nothing IS NULL }', true],
  ['{ $.zero IS NULL }', false],
  ['{ $.missing IS NULL }', false],
  ['{ $.missing NOT EXISTS }', true],
  ['{ $.nothing NOT EXISTS }', false],
  ['{ $.users[3] NOT EXISTS }', true],
  ['{ $.flag IS TRUE }', true],
  ['{ $.flag IS FALSE }', false],
  ['{ $.off IS FALSE }', true],
  ['{ $.numericText IS TRUE }', false],
  ['{ $.flag is true }', true],
  // regex terms
  ['{ $.eventName = %^Delete.*% }', true],
  ['{ $.eventName = %Policy$% }', true],
  ['{ $.eventName = %^Policy% }', false],
  ['{ $.eventName != %^Create% }', true],
  ['{ $.sourceIPAddress = %^123\\.123\\.% }', true],
  ['{ $.latency = %5% }', false],
  // && || and parentheses; && binds tighter than ||
  ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
  ['{ $.user.id = 2 || $.latency > 50 }', true],
  ['{ $.user.id = 2 && $.latency > 50 }', false],
  ['{ $.eventType = "UpdateTrail" || $.user.id = 2 && $.latency > 100 }', true],
  ['{ ($.eventType = "UpdateTrail" || $.user.id = 2) && $.latency > 100 }', false],
  ['{ $.user.id = 2 && $.latency > 100 || $.flag IS TRUE }', true],
  ['{ (($.user.id = 1)) && ((($.flag IS TRUE || $.off IS TRUE))) }', true],
  ['{ $.a = 1 || $.b = 2 || $.eventType = UpdateTrail }', true],
];

describe('JSON patterns', () => {
  it.each(cases)('%s → %s', (pattern, expected) => {
    expect(matchLogEvent(parseFilterPattern(pattern), event) !== undefined).toBe(expected);
  });

  it.each(['plain text ERROR', '', '{not json', '"a string"', '42', 'null', '[1,2'])('never matches the non-JSON (or non-object) message %j', (message) => {
    expect(matchLogEvent(parseFilterPattern('{ $.a = * || $.a NOT EXISTS || $[0] NOT EXISTS }'), message)).toBeUndefined();
  });

  it('reads a message that is a JSON array through $[i]', () => {
    expect(matchLogEvent(parseFilterPattern('{ $[1].a = x }'), '[{}, {"a":"x"}]')).toBeDefined();
  });

  it('valueOf reads scalars from the JSON message, not objects', () => {
    const match = matchLogEvent(parseFilterPattern('{ $.latency = * }'), event);
    expect(match?.valueOf('$.latency')).toBe(52.5);
    expect(match?.valueOf('$.users[0].roles[0][0]')).toBe('admin');
    expect(match?.valueOf('$.nothing')).toBeNull();
    expect(match?.valueOf('$.user')).toBeUndefined();
    expect(match?.valueOf('$.missing')).toBeUndefined();
    expect(match?.valueOf('not a selector')).toBeUndefined();
    expect(match?.extractedValues).toBeUndefined();
  });

  it('parses the message of a prepared event once, whatever the number of patterns', () => {
    const parse = JSON.parse;
    let calls = 0;
    JSON.parse = ((text: string) => {
      calls++;
      return parse(text) as unknown;
    }) as typeof JSON.parse;
    try {
      const prepared = prepareLogEvent(event);
      const patterns = ['{ $.a = 1 }', '{ $.latency > 1 }', '{ $.user.id = 1 }', 'UpdateTrail'].map(parseFilterPattern);
      for (let i = 0; i < 3; i++) for (const p of patterns) matchLogEvent(p, prepared)?.valueOf('$.latency');
      expect(calls).toBe(1);
      calls = 0;
      const text = prepareLogEvent('not JSON at all');
      for (const p of patterns) matchLogEvent(p, text);
      expect(calls).toBe(0);
    } finally {
      JSON.parse = parse;
    }
  });

  it('counts regex terms and accepts two', () => {
    expect(parseFilterPattern('{ $.a = %x% || $.b != %y% }').regexCount).toBe(2);
    expect(parseFilterPattern('{ $.a = x }').regexCount).toBe(0);
  });

  it('matches a pattern passed as a plain object (compiled from its source)', () => {
    expect(matchLogEvent({ source: '{ $.user.id = 1 }', regexCount: 0 }, event)).toBeDefined();
  });
});
