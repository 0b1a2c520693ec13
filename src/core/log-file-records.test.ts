import { describe, expect, it } from 'vitest';
import { samplesAvailable, sampleFiles, sampleText } from '../../test/support/samples.js';
import { LogFileFormatError, splitRecords } from './log-file-records.js';

describe('splitRecords', () => {
  it('returns the exact text of each record', () => {
    const text = '{ "Records" : [ {"a":0.0,"b":"x]}\\"y"} , {"c":[1,{"d":null}]},{"e":-1.5e3} ] }';
    expect(splitRecords(text)).toEqual(['{"a":0.0,"b":"x]}\\"y"}', '{"c":[1,{"d":null}]}', '{"e":-1.5e3}']);
  });

  it('skips other members before and after Records', () => {
    expect(splitRecords('{"x":{"Records":[1]},"y":"]","Records":[{"k":1}],"z":2}')).toEqual(['{"k":1}']);
    expect(splitRecords('{"Records":[]}')).toEqual([]);
  });

  it.each(['', 'not json', '[]', '{"Records":{}}', '{"records":[]}', 'null'])('rejects %j', (text) => {
    expect(() => splitRecords(text)).toThrow(LogFileFormatError);
  });
});

describe.skipIf(!samplesAvailable())('splitRecords on real CloudTrail records', () => {
  it('keeps every record of every sample byte for byte', () => {
    for (const file of sampleFiles()) {
      const text = sampleText(file);
      const parsed = (JSON.parse(text) as { Records: unknown[] }).Records;
      const raw = splitRecords(text);
      expect(raw).toHaveLength(parsed.length);
      raw.forEach((record, i) => expect(JSON.parse(record)).toEqual(parsed[i]));
      // The raw texts joined back are the file's array body: nothing added, nothing lost.
      expect(`{"Records":[${raw.join(',')}]}`).toBe(text.trim());
    }
  });
});
