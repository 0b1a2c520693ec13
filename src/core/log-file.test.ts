import { createHash } from 'node:crypto';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleFiles, samplesAvailable, sampleText } from '../../test/support/samples.js';
import { buildLogFile, deterministicGzip, digestKey, logFileJson, logFileKey, parseLogFileKey, uniqueSuffix } from './log-file.js';
import type { LogFileKeyParts } from './log-file.js';
import { splitRecords } from './log-file-records.js';

const ACCOUNT = '111122223333';
const UNIQUE = 'Mu0KsOhtH1ar15ZZ';

describe('logFileJson', () => {
  it('joins the raw record texts without touching them', () => {
    const records = ['{"a":0.0}', '{ "b" : [1, 2] }', '{"c":"é\\u00e9"}'];
    expect(logFileJson(records).toString('utf8')).toBe('{"Records":[{"a":0.0},{ "b" : [1, 2] },{"c":"é\\u00e9"}]}');
    expect(logFileJson([]).toString('utf8')).toBe('{"Records":[]}');
  });

  it('is UTF-8', () => {
    expect(logFileJson(['{"k":"é"}'])).toEqual(Buffer.from('{"Records":[{"k":"\xc3\xa9"}]}', 'latin1'));
  });

  it('round-trips arbitrary JSON object texts through splitRecords', () => {
    // Object texts as different writers produce them: compact, indented, and with number
    // spellings JSON.stringify never writes (0.0, 1E+2, -0) that must survive as they are.
    const rawNumber = fc.constantFrom('0.0', '1E+2', '-0', '1.50', '-1.5e-3', '12345678901234567890');
    const objectText = fc.oneof(
      fc
        .tuple(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()), fc.constantFrom(undefined, 0, 2, '\t', ' \n '))
        .map(([value, indent]) => JSON.stringify(value, null, indent)),
      fc
        .tuple(fc.string({ unit: 'binary' }), rawNumber, fc.constantFrom('', ' ', '\n', '\r\n\t'))
        .map(([key, number, ws]) => `{${ws}${JSON.stringify(key)}${ws}:${ws}${number}${ws}}`),
    );
    fc.assert(
      fc.property(fc.array(objectText, { maxLength: 8 }), (records) => {
        expect(splitRecords(logFileJson(records).toString('utf8'))).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(!samplesAvailable())('logFileJson on real CloudTrail records', () => {
  it('gives back every sample record byte for byte, and the sample file itself', () => {
    for (const file of sampleFiles()) {
      const text = sampleText(file);
      const records = splitRecords(text);
      expect(records.length).toBeGreaterThan(0);
      const json = logFileJson(records);
      expect(splitRecords(json.toString('utf8'))).toEqual(records);
      expect(json.toString('utf8')).toBe(text.trim());
      const built = buildLogFile(records);
      expect(gunzipSync(built.gzip).equals(json)).toBe(true);
    }
  });
});

describe('deterministicGzip', () => {
  const inputs = [Buffer.alloc(0), Buffer.from('{"Records":[]}'), Buffer.from('x'.repeat(100_000)), Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251))];

  it.each(inputs.map((input, i) => [i, input] as const))('input %i: same bytes every call, gunzips to the input', (_i, input) => {
    const first = deterministicGzip(input);
    const second = deterministicGzip(Buffer.from(input));
    expect(second.equals(first)).toBe(true);
    expect(gunzipSync(first).equals(input)).toBe(true);
  });

  it.each(inputs.map((input, i) => [i, input] as const))('input %i: one member, no name, no mtime, fixed OS byte', (_i, input) => {
    const gz = deterministicGzip(input);
    expect([gz[0], gz[1], gz[2]]).toEqual([0x1f, 0x8b, 0x08]);
    expect(gz[3]! & 0x08).toBe(0); // FNAME
    expect(gz[3]).toBe(0); // no FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT
    expect(gz.readUInt32LE(4)).toBe(0); // MTIME
    expect(gz[9]).toBe(0xff);
    // A single member: its trailer (CRC32, ISIZE) is the last 8 bytes and ISIZE is the input length.
    expect(gz.readUInt32LE(gz.length - 4)).toBe(input.length);
    // A single member: the one deflate stream fills everything between the 10-byte header and
    // the 8-byte trailer, and holds the whole input.
    expect(inflateRawSync(gz.subarray(10, gz.length - 8)).equals(input)).toBe(true);
  });

  it('is the same at different times (no clock in the output)', async () => {
    const input = Buffer.from('{"Records":[{"a":1}]}');
    const before = deterministicGzip(input);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(deterministicGzip(input).equals(before)).toBe(true);
  });
});

describe('buildLogFile', () => {
  it('returns the JSON, its gzip, and the SHA-256 hex of the JSON', () => {
    const records = ['{"eventID":"1"}', '{"eventID":"2"}'];
    const built = buildLogFile(records);
    expect(built.json.toString()).toBe('{"Records":[{"eventID":"1"},{"eventID":"2"}]}');
    expect(built.sha256).toBe(createHash('sha256').update(built.json).digest('hex'));
    expect(built.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(gunzipSync(built.gzip).equals(built.json)).toBe(true);
    expect(buildLogFile(records).gzip.equals(built.gzip)).toBe(true);
  });
});

describe('uniqueSuffix', () => {
  const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;

  it('is 16 characters [A-Za-z0-9] and a pure function of its input', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(), fc.nat(), (trail, region, first, last) => {
        const a = uniqueSuffix(trail, region, first, last);
        expect(a).toMatch(/^[A-Za-z0-9]{16}$/);
        expect(uniqueSuffix(trail, region, first, last)).toBe(a);
      }),
    );
  });

  it('differs when any input differs', () => {
    const base = uniqueSuffix(arn, 'us-east-1', 1, 10);
    const variants = [
      uniqueSuffix(`${arn}2`, 'us-east-1', 1, 10),
      uniqueSuffix(arn, 'us-east-2', 1, 10),
      uniqueSuffix(arn, 'us-east-1', 2, 10),
      uniqueSuffix(arn, 'us-east-1', 1, 11),
      uniqueSuffix(arn, 'us-east-1', 11, 1),
    ];
    expect(new Set([base, ...variants]).size).toBe(6);
  });

  it('is stable across versions (keys of delivered files must not change on upgrade)', () => {
    expect(uniqueSuffix(arn, 'us-east-1', 1, 10)).toBe(PINNED_SUFFIX);
  });
});

/** uniqueSuffix(arn:aws:cloudtrail:us-east-1:111122223333:trail/main, us-east-1, 1, 10). */
const PINNED_SUFFIX = 'BSypO4SiEajosI46';

describe('logFileKey', () => {
  const base = { accountId: ACCOUNT, region: 'us-east-2', unique: UNIQUE };

  it.each([
    ['the AWS documentation example', Date.UTC(2015, 7, 1, 2, 10, 37, 123), '2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz'],
    ['midnight', Date.UTC(2026, 2, 4), '2026/03/04/111122223333_CloudTrail_us-east-2_20260304T0000Z_Mu0KsOhtH1ar15ZZ.json.gz'],
    ['the last millisecond of a year', Date.UTC(2025, 11, 31, 23, 59, 59, 999), '2025/12/31/111122223333_CloudTrail_us-east-2_20251231T2359Z_Mu0KsOhtH1ar15ZZ.json.gz'],
    ['the first millisecond of a year', Date.UTC(2026, 0, 1), '2026/01/01/111122223333_CloudTrail_us-east-2_20260101T0000Z_Mu0KsOhtH1ar15ZZ.json.gz'],
    ['the end of a month', Date.UTC(2026, 8, 30, 23, 59), '2026/09/30/111122223333_CloudTrail_us-east-2_20260930T2359Z_Mu0KsOhtH1ar15ZZ.json.gz'],
    ['a leap day', Date.UTC(2028, 1, 29, 9, 5), '2028/02/29/111122223333_CloudTrail_us-east-2_20280229T0905Z_Mu0KsOhtH1ar15ZZ.json.gz'],
    ['a two-digit month', Date.UTC(2026, 10, 24, 13, 7), '2026/11/24/111122223333_CloudTrail_us-east-2_20261124T1307Z_Mu0KsOhtH1ar15ZZ.json.gz'],
  ])('%s', (_what, ms, tail) => {
    expect(logFileKey({ ...base, deliveryTimeMs: ms })).toBe(`AWSLogs/111122223333/CloudTrail/us-east-2/${tail}`);
    expect(logFileKey({ ...base, prefix: 'audit/prod', deliveryTimeMs: ms })).toBe(`audit/prod/AWSLogs/111122223333/CloudTrail/us-east-2/${tail}`);
  });

  it('treats an empty prefix as none', () => {
    const ms = Date.UTC(2026, 0, 1);
    expect(logFileKey({ ...base, prefix: '', deliveryTimeMs: ms })).toBe(logFileKey({ ...base, deliveryTimeMs: ms }));
  });

  it('uses UTC, not local time, whatever the process time zone', () => {
    // 2026-01-01T00:30Z is still 2025-12-31 west of Greenwich: the key must say 2026/01/01.
    expect(logFileKey({ ...base, deliveryTimeMs: Date.parse('2025-12-31T19:30:00-05:00') })).toContain('/2026/01/01/111122223333_CloudTrail_us-east-2_20260101T0030Z_');
  });

  it.each([
    ['a short unique part', { ...base, unique: 'abc', deliveryTimeMs: 0 }],
    ['a unique part with other characters', { ...base, unique: 'Mu0KsOhtH1ar15Z-', deliveryTimeMs: 0 }],
    ['NaN', { ...base, deliveryTimeMs: Number.NaN }],
    ['a time after 9999', { ...base, deliveryTimeMs: Date.UTC(10000, 0, 1) }],
  ])('rejects %s', (_what, parts) => {
    expect(() => logFileKey(parts)).toThrow(RangeError);
  });
});

describe('parseLogFileKey', () => {
  const key = 'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz';

  it('reads the parts of a key', () => {
    expect(parseLogFileKey(key)).toEqual({ accountId: ACCOUNT, region: 'us-east-2', deliveryTimeMs: Date.UTC(2015, 7, 1, 2, 10), unique: UNIQUE });
    expect(parseLogFileKey(`a/b/${key}`)).toEqual({ prefix: 'a/b', accountId: ACCOUNT, region: 'us-east-2', deliveryTimeMs: Date.UTC(2015, 7, 1, 2, 10), unique: UNIQUE });
  });

  it('takes a prefix that itself looks like a log file path', () => {
    expect(parseLogFileKey(`${key}/${key}`)?.prefix).toBe(key);
  });

  it("reads an organization trail's key, with its organization, as logFileKey writes it", () => {
    const parts = { prefix: 'org', organizationId: 'o-abcdefghij', accountId: ACCOUNT, region: 'us-east-2', deliveryTimeMs: Date.UTC(2015, 7, 1, 2, 10), unique: UNIQUE };
    const orgKey = logFileKey(parts);
    expect(orgKey).toBe(`org/AWSLogs/o-abcdefghij/${key.slice('AWSLogs/'.length)}`);
    expect(parseLogFileKey(orgKey)).toEqual(parts);
    // Without the organization folder it is an ordinary key under a prefix ending in the id.
    expect(parseLogFileKey(`o-abcdefghij/${key}`)).toMatchObject({ prefix: 'o-abcdefghij' });
    expect(parseLogFileKey(orgKey)?.organizationId).toBe('o-abcdefghij');
  });

  it.each([
    ['a digest key', 'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_main_us-east-2_20150817T150131Z.json.gz'],
    ['date folders that disagree with the name', key.replace('2015/08/01', '2015/08/02')],
    ['another account in the name', key.replace('111122223333_', '999988887777_')],
    ['another region in the name', key.replace('_us-east-2_', '_us-west-2_')],
    ['an 11-digit account', key.replaceAll('111122223333', '11112222333')],
    ['a 15-character unique part', key.replace('Mu0KsOhtH1ar15ZZ', 'Mu0KsOhtH1ar15Z')],
    ['month 13', key.replace('2015/08/01', '2015/13/01').replace('20150801', '20151301')],
    ['February 30', key.replace('2015/08/01', '2015/02/30').replace('20150801', '20150230')],
    ['hour 24', key.replace('T0210Z', 'T2410Z')],
    ['minute 60', key.replace('T0210Z', 'T0260Z')],
    ['no .gz', key.replace('.json.gz', '.json')],
    ['an empty prefix before the slash', `/${key}`],
    ['something after the name', `${key}.tmp`],
  ])('rejects %s', (_what, bad) => {
    expect(parseLogFileKey(bad)).toBeUndefined();
  });

  it('round-trips with logFileKey (time to the minute)', () => {
    const parts = fc.record(
      {
        prefix: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
        accountId: fc.stringMatching(/^\d{12}$/),
        region: fc.constantFrom('us-east-1', 'eu-central-2', 'ap-southeast-3', 'us-gov-west-1', 'cn-north-1'),
        deliveryTimeMs: fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }),
        unique: fc.stringMatching(/^[A-Za-z0-9]{16}$/),
      },
      { requiredKeys: ['accountId', 'region', 'deliveryTimeMs', 'unique'] },
    );
    fc.assert(
      fc.property(parts, (p: LogFileKeyParts) => {
        const k = logFileKey(p);
        const parsed = parseLogFileKey(k);
        const expected: LogFileKeyParts = { ...p, deliveryTimeMs: p.deliveryTimeMs - (p.deliveryTimeMs % 60_000) };
        expect(parsed).toEqual(expected);
        expect(logFileKey(parsed!)).toBe(k);
      }),
      { numRuns: 500 },
    );
  });
});

describe('digestKey', () => {
  it.each([
    [
      'the AWS documentation example time',
      { accountId: ACCOUNT, region: 'us-east-2', trailName: 'main', homeRegion: 'us-east-2', endTimeMs: Date.UTC(2015, 7, 17, 15, 1, 31, 900) },
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_main_us-east-2_20150817T150131Z.json.gz',
    ],
    [
      'a multi-region trail seen from another region, with a prefix, at the turn of the year',
      { prefix: 'logs', accountId: ACCOUNT, region: 'eu-west-1', trailName: 'org_trail-1', homeRegion: 'us-east-1', endTimeMs: Date.UTC(2026, 0, 1, 0, 0, 0) },
      'logs/AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/01/01/111122223333_CloudTrail-Digest_eu-west-1_org_trail-1_us-east-1_20260101T000000Z.json.gz',
    ],
    [
      "an organization trail's digest of a member account",
      { organizationId: 'o-abcdefghij', accountId: ACCOUNT, region: 'us-east-1', trailName: 'org', homeRegion: 'us-east-1', endTimeMs: Date.UTC(2026, 0, 1, 0, 0, 0) },
      'AWSLogs/o-abcdefghij/111122223333/CloudTrail-Digest/us-east-1/2026/01/01/111122223333_CloudTrail-Digest_us-east-1_org_us-east-1_20260101T000000Z.json.gz',
    ],
    [
      'single-digit month and day',
      { accountId: ACCOUNT, region: 'us-east-1', trailName: 'main', homeRegion: 'us-east-1', endTimeMs: Date.UTC(2026, 1, 3, 4, 5, 6) },
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/02/03/111122223333_CloudTrail-Digest_us-east-1_main_us-east-1_20260203T040506Z.json.gz',
    ],
  ])('%s', (_what, parts, expected) => {
    expect(digestKey(parts)).toBe(expected);
  });
});
