import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { digestKey } from '../../core/log-file.js';
import { generateSigningKey } from '../keys/signing-key.js';
import type { SigningKey } from '../keys/signing-key.js';
import { digestStringToSign } from './digest-format.js';
import { parseDigest, parsedDigestStringToSign, verifyDigestSignature } from './digest-reader.js';
import type { ParsedDigest } from './digest-reader.js';
import { buildSignedDigest, digestJson, signDigest } from './digest-writer.js';
import type { DigestInput, DigestLogFile } from './digest-writer.js';

const ACCOUNT = '111122223333';
const BUCKET = 'audit-bucket';
const HOUR = 3_600_000;
const END = Date.UTC(2015, 7, 17, 15, 1, 31);
const KEY = digestKey({ accountId: ACCOUNT, region: 'us-east-2', trailName: 'my-trail', homeRegion: 'us-east-2', endTimeMs: END });
const FINGERPRINT = '0123456789abcdef0123456789abcdef';
const EMPTY_ROOT = createHash('sha256').update('').digest('hex');
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** CloudTrail's fields in AWS's order, then the extension. */
const FIELD_ORDER = [
  'awsAccountId',
  'digestStartTime',
  'digestEndTime',
  'digestS3Bucket',
  'digestS3Object',
  'digestPublicKeyFingerprint',
  'digestSignatureAlgorithm',
  'newestEventTime',
  'oldestEventTime',
  'previousDigestS3Bucket',
  'previousDigestS3Object',
  'previousDigestHashValue',
  'previousDigestHashAlgorithm',
  'previousDigestSignature',
  'logFiles',
  'openTrailMerkle',
];
const LOG_FILE_ORDER = ['s3Bucket', 's3Object', 'hashValue', 'hashAlgorithm', 'newestEventTime', 'oldestEventTime', 'openTrailLeafRange'];
/** What validate-logs reads before anything else (the CloudTrail User Guide, 'CloudTrail digest file structure'). */
const CLI_REQUIRED = ['digestPublicKeyFingerprint', 'digestS3Bucket', 'digestS3Object', 'previousDigestSignature', 'digestEndTime', 'digestStartTime', 'logFiles'];

function startingInput(overrides: Partial<DigestInput> = {}): DigestInput {
  return {
    accountId: ACCOUNT,
    startTimeMs: END - HOUR,
    endTimeMs: END,
    bucket: BUCKET,
    key: KEY,
    publicKeyFingerprint: FINGERPRINT,
    logFiles: [],
    merkle: { treeSize: 0, rootHash: EMPTY_ROOT },
    ...overrides,
  };
}

/** An input without a fingerprint: buildSignedDigest takes the signing key's. */
function signable(overrides: Partial<DigestInput> = {}): Omit<DigestInput, 'publicKeyFingerprint'> {
  const { publicKeyFingerprint: _unused, ...input } = startingInput(overrides);
  return input;
}

function logFile(n: number, overrides: Partial<DigestLogFile> = {}): DigestLogFile {
  return {
    s3Bucket: BUCKET,
    s3Object: `AWSLogs/${ACCOUNT}/CloudTrail/us-east-2/2015/08/17/${ACCOUNT}_CloudTrail_us-east-2_20150817T14${10 + n}Z_Mu0KsOhtH1ar15Z${n}.json.gz`,
    hashValue: sha256(`log ${n}`),
    newestEventTime: `2015-08-17T14:${20 + n}:00Z`,
    oldestEventTime: `2015-08-17T14:0${n}:00Z`,
    leafRange: { first: n * 10, last: n * 10 + 9 },
    ...overrides,
  };
}

function parsed(json: Buffer): Record<string, unknown> {
  return JSON.parse(json.toString('utf8')) as Record<string, unknown>;
}

describe('digestJson', () => {
  it('writes a starting digest with every field, nulls included, in CloudTrail order', () => {
    expect(digestJson(startingInput()).toString('utf8')).toBe(
      '{"awsAccountId":"111122223333","digestStartTime":"2015-08-17T14:01:31Z","digestEndTime":"2015-08-17T15:01:31Z",' +
        `"digestS3Bucket":"audit-bucket","digestS3Object":"${KEY}",` +
        '"digestPublicKeyFingerprint":"0123456789abcdef0123456789abcdef","digestSignatureAlgorithm":"SHA256withRSA",' +
        '"newestEventTime":null,"oldestEventTime":null,' +
        '"previousDigestS3Bucket":null,"previousDigestS3Object":null,"previousDigestHashValue":null,' +
        '"previousDigestHashAlgorithm":null,"previousDigestSignature":null,"logFiles":[],' +
        `"openTrailMerkle":{"treeSize":0,"rootHash":"${EMPTY_ROOT}","hashAlgorithm":"SHA-256","leafHashing":"RFC6962"}}`,
    );
    expect(KEY).toBe(
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_my-trail_us-east-2_20150817T150131Z.json.gz',
    );
  });

  it('writes a chained digest with log files: field order, times, lowercase hex, extension', () => {
    const previous = { bucket: 'older-bucket', key: 'AWSLogs/older.json.gz', hashValue: sha256('previous'), signature: 'ab'.repeat(256) };
    const files = [
      logFile(1),
      // Offsets and fractions are normalised to whole UTC seconds.
      logFile(2, { newestEventTime: '2015-08-17T16:50:59.999+02:00', oldestEventTime: '2015-08-17T13:59:58Z' }),
    ];
    const doc = parsed(digestJson(startingInput({ previous, logFiles: files, merkle: { treeSize: 30, rootHash: sha256('root') } })));
    expect(Object.keys(doc)).toEqual(FIELD_ORDER);
    for (const field of CLI_REQUIRED) expect(doc).toHaveProperty(field);
    expect(doc).toMatchObject({
      newestEventTime: '2015-08-17T14:50:59Z',
      oldestEventTime: '2015-08-17T13:59:58Z',
      previousDigestS3Bucket: 'older-bucket',
      previousDigestS3Object: 'AWSLogs/older.json.gz',
      previousDigestHashValue: sha256('previous'),
      previousDigestHashAlgorithm: 'SHA-256',
      previousDigestSignature: 'ab'.repeat(256),
      openTrailMerkle: { treeSize: 30, rootHash: sha256('root'), hashAlgorithm: 'SHA-256', leafHashing: 'RFC6962' },
    });
    const logFiles = doc.logFiles as Record<string, unknown>[];
    expect(logFiles).toHaveLength(2);
    for (const entry of logFiles) expect(Object.keys(entry)).toEqual(LOG_FILE_ORDER);
    expect(logFiles[0]).toEqual({
      s3Bucket: BUCKET,
      s3Object: files[0]!.s3Object,
      hashValue: sha256('log 1'),
      hashAlgorithm: 'SHA-256',
      newestEventTime: '2015-08-17T14:21:00Z',
      oldestEventTime: '2015-08-17T14:01:00Z',
      openTrailLeafRange: { first: 10, last: 19 },
    });
    expect(logFiles[1]).toMatchObject({ newestEventTime: '2015-08-17T14:50:59Z', oldestEventTime: '2015-08-17T13:59:58Z' });
    const json = digestJson(startingInput({ previous, logFiles: files, merkle: { treeSize: 30, rootHash: sha256('root') } })).toString('utf8');
    for (const time of json.match(/"[A-Za-z]+Time":"[^"]*"/g) ?? []) {
      expect(time).toMatch(/:"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"$/);
    }
  });

  it('truncates window times to the second', () => {
    const doc = parsed(digestJson(startingInput({ startTimeMs: END - HOUR + 999, endTimeMs: END + 999 })));
    expect(doc.digestStartTime).toBe('2015-08-17T14:01:31Z');
    expect(doc.digestEndTime).toBe('2015-08-17T15:01:31Z');
  });

  it('keeps non-ASCII keys as UTF-8', () => {
    const json = digestJson(startingInput({ key: 'präfix/AWSLogs/x.json.gz' }));
    expect(json.includes(Buffer.from('präfix', 'utf8'))).toBe(true);
    expect(parsed(json).digestS3Object).toBe('präfix/AWSLogs/x.json.gz');
  });

  it.each<[string, Partial<DigestInput>]>([
    ['an account id that is not 12 digits', { accountId: '1234' }],
    ['a start after the end', { startTimeMs: END + 1000 }],
    ['an empty key', { key: '' }],
    ['an uppercase fingerprint', { publicKeyFingerprint: FINGERPRINT.toUpperCase() }],
    ['a short fingerprint', { publicKeyFingerprint: 'abc' }],
    ['an uppercase root hash', { merkle: { treeSize: 0, rootHash: EMPTY_ROOT.toUpperCase() } }],
    ['a negative tree size', { merkle: { treeSize: -1, rootHash: EMPTY_ROOT } }],
    ['an uppercase log hash', { logFiles: [logFile(1, { hashValue: sha256('x').toUpperCase() })], merkle: { treeSize: 20, rootHash: EMPTY_ROOT } }],
    ['a leaf range beyond the tree', { logFiles: [logFile(1)], merkle: { treeSize: 19, rootHash: EMPTY_ROOT } }],
    ['a reversed leaf range', { logFiles: [logFile(1, { leafRange: { first: 5, last: 4 } })], merkle: { treeSize: 20, rootHash: EMPTY_ROOT } }],
    ['an event time without a zone', { logFiles: [logFile(1, { newestEventTime: '2015-08-17T14:21:00' })], merkle: { treeSize: 20, rootHash: EMPTY_ROOT } }],
    ['an event time that does not exist', { logFiles: [logFile(1, { newestEventTime: '2015-02-30T14:21:00Z' })], merkle: { treeSize: 20, rootHash: EMPTY_ROOT } }],
    ['oldest after newest', { logFiles: [logFile(1, { oldestEventTime: '2015-08-17T15:00:00Z' })], merkle: { treeSize: 20, rootHash: EMPTY_ROOT } }],
    ['an uppercase previous signature', { previous: { bucket: 'b', key: 'k', hashValue: EMPTY_ROOT, signature: 'AB' } }],
    ['an odd-length previous signature', { previous: { bucket: 'b', key: 'k', hashValue: EMPTY_ROOT, signature: 'abc' } }],
  ])('rejects %s', (_name, overrides) => {
    expect(() => digestJson(startingInput(overrides))).toThrow(RangeError);
  });
});

describe('digestStringToSign', () => {
  const bytes = Buffer.from('{"digest":1}');

  it('uses the literal null for a starting digest, no trailing newline', () => {
    expect(digestStringToSign({ endTime: '2015-08-17T15:01:31Z', bucket: BUCKET, key: KEY, digestBytes: bytes, previousSignature: null })).toBe(
      `2015-08-17T15:01:31Z\n${BUCKET}/${KEY}\n${sha256(bytes)}\nnull`,
    );
  });

  it('ends with the previous signature in a chained digest', () => {
    const previousSignature = '0f'.repeat(256);
    expect(digestStringToSign({ endTime: '2015-08-17T15:01:31Z', bucket: BUCKET, key: KEY, digestBytes: bytes, previousSignature })).toBe(
      `2015-08-17T15:01:31Z\n${BUCKET}/${KEY}\n${sha256(bytes)}\n${previousSignature}`,
    );
  });
});

describe('signing', () => {
  let key: SigningKey;
  let other: SigningKey;
  beforeAll(() => {
    key = generateSigningKey('us-east-2', 0, END * 2);
    other = generateSigningKey('us-east-2', 0, END * 2);
  });

  it('signs with SHA256withRSA, hex, 2048-bit signatures that verify with the DER PKCS#1 key', () => {
    const signature = signDigest('string to sign', key.privateKey);
    expect(signature).toMatch(/^[0-9a-f]{512}$/);
    expect(verifyDigestSignature('string to sign', signature, key.publicKeyDer)).toBe(true);
    expect(verifyDigestSignature('string to sign', signature.toUpperCase(), key.publicKeyDer)).toBe(true);
    expect(verifyDigestSignature('string to sigN', signature, key.publicKeyDer)).toBe(false);
    expect(verifyDigestSignature('string to sign', signature, other.publicKeyDer)).toBe(false);
    const flipped = (parseInt(signature[0]!, 16) ^ 1).toString(16) + signature.slice(1);
    expect(verifyDigestSignature('string to sign', flipped, key.publicKeyDer)).toBe(false);
    expect(verifyDigestSignature('string to sign', signature.slice(2), key.publicKeyDer)).toBe(false);
    expect(verifyDigestSignature('string to sign', `${signature.slice(0, -1)}g`, key.publicKeyDer)).toBe(false);
    expect(verifyDigestSignature('string to sign', '', key.publicKeyDer)).toBe(false);
  });

  it('is deterministic (PKCS#1 v1.5)', () => {
    expect(signDigest('x', key.privateKey)).toBe(signDigest('x', key.privateKey));
  });

  it('refuses keys the CLI could not verify with', () => {
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey;
    expect(() => signDigest('x', pss)).toThrow(TypeError);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => signDigest('x', ec)).toThrow(TypeError);
  });

  it('throws for a key that is not a DER PKCS#1 RSAPublicKey, as the CLI\'s loader does', () => {
    const signature = signDigest('x', key.privateKey);
    const spki = createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' });
    expect(() => verifyDigestSignature('x', signature, spki)).toThrow();
    // OpenSSL would derive the public key from these; the CLI would not load them.
    expect(() => verifyDigestSignature('x', signature, key.privateKey.export({ type: 'pkcs1', format: 'der' }))).toThrow();
    expect(() => verifyDigestSignature('x', signature, key.privateKey.export({ type: 'pkcs8', format: 'der' }))).toThrow();
    expect(() => verifyDigestSignature('x', signature, Buffer.concat([key.publicKeyDer, Buffer.from([0])]))).toThrow();
  });

  describe('buildSignedDigest', () => {
    it('signs the exact bytes it gzips, with metadata for S3', () => {
      const signed = buildSignedDigest(signable(), key);
      expect(gunzipSync(signed.gzip).equals(signed.json)).toBe(true);
      expect(buildSignedDigest(signable(), key).gzip.equals(signed.gzip)).toBe(true);
      expect(signed.sha256).toBe(sha256(signed.json));
      expect(signed.endTime).toBe('2015-08-17T15:01:31Z');
      expect(signed.stringToSign).toBe(`2015-08-17T15:01:31Z\n${BUCKET}/${KEY}\n${sha256(signed.json)}\nnull`);
      expect(signed.metadata).toEqual({ signature: signed.signature, 'signature-algorithm': 'SHA256withRSA' });
      expect(verifyDigestSignature(signed.stringToSign, signed.signature, key.publicKeyDer)).toBe(true);
      expect(parsed(signed.json).digestPublicKeyFingerprint).toBe(key.fingerprint);
      expect(signed.asPrevious).toEqual({ bucket: BUCKET, key: KEY, hashValue: signed.sha256, signature: signed.signature });
    });

    it('chains: the next digest embeds and signs over the previous signature', () => {
      const first = buildSignedDigest(signable(), key);
      const nextKey = digestKey({ accountId: ACCOUNT, region: 'us-east-2', trailName: 'my-trail', homeRegion: 'us-east-2', endTimeMs: END + HOUR });
      const second = buildSignedDigest(
        signable({ startTimeMs: END, endTimeMs: END + HOUR, key: nextKey, previous: first.asPrevious, logFiles: [logFile(0)], merkle: { treeSize: 10, rootHash: sha256('r') } }),
        key,
      );
      const doc = parsed(second.json);
      expect(doc.previousDigestSignature).toBe(first.signature);
      expect(doc.previousDigestHashValue).toBe(first.sha256);
      expect(doc.previousDigestS3Object).toBe(KEY);
      expect(second.stringToSign.endsWith(`\n${first.signature}`)).toBe(true);
      expect(second.stringToSign.startsWith('2015-08-17T16:01:31Z\n')).toBe(true);
      expect(verifyDigestSignature(second.stringToSign, second.signature, key.publicKeyDer)).toBe(true);
    });

    it('refuses an input fingerprint that is not the signing key\'s', () => {
      expect(() => buildSignedDigest(startingInput({ publicKeyFingerprint: FINGERPRINT }), key)).toThrow(RangeError);
      expect(() => buildSignedDigest(startingInput({ publicKeyFingerprint: key.fingerprint }), key)).not.toThrow();
    });
  });

  describe('parseDigest', () => {
    it('reads back what buildSignedDigest wrote, and its string to sign verifies', () => {
      const first = buildSignedDigest(signable(), key);
      const second = buildSignedDigest(
        signable({ previous: first.asPrevious, logFiles: [logFile(1), logFile(2)], merkle: { treeSize: 30, rootHash: sha256('r') } }),
        key,
      );
      const start = parseDigest(first.json) as ParsedDigest;
      expect(start).toMatchObject({
        digestEndTime: '2015-08-17T15:01:31Z',
        previousDigestSignature: null,
        previousDigestS3Bucket: null,
        logFiles: [],
        openTrailMerkle: { treeSize: 0, rootHash: EMPTY_ROOT, hashAlgorithm: 'SHA-256', leafHashing: 'RFC6962' },
      });
      const chained = parseDigest(second.json) as ParsedDigest;
      expect(chained.previousDigestSignature).toBe(first.signature);
      expect(chained.logFiles.map((f) => f.openTrailLeafRange)).toEqual([
        { first: 10, last: 19 },
        { first: 20, last: 29 },
      ]);
      expect(chained.logFiles[0]).toMatchObject({ hashValue: sha256('log 1'), hashAlgorithm: 'SHA-256' });
      for (const [signed, digest] of [
        [first, start],
        [second, chained],
      ] as const) {
        const stringToSign = parsedDigestStringToSign(digest, signed.json);
        expect(stringToSign).toBe(signed.stringToSign);
        expect(verifyDigestSignature(stringToSign, signed.signature, key.publicKeyDer)).toBe(true);
      }
    });

    it('reads a CloudTrail digest without the extension', () => {
      const doc = {
        awsAccountId: ACCOUNT,
        digestStartTime: '2015-08-17T14:01:31Z',
        digestEndTime: '2015-08-17T15:01:31Z',
        digestS3Bucket: BUCKET,
        digestS3Object: KEY,
        digestPublicKeyFingerprint: FINGERPRINT,
        digestSignatureAlgorithm: 'SHA256withRSA',
        newestEventTime: '2015-08-17T14:52:27Z',
        oldestEventTime: '2015-08-17T14:42:27Z',
        previousDigestS3Bucket: BUCKET,
        previousDigestS3Object: 'AWSLogs/x.json.gz',
        previousDigestHashValue: sha256('p'),
        previousDigestHashAlgorithm: 'SHA-256',
        previousDigestSignature: 'ab'.repeat(256),
        logFiles: [{ s3Bucket: BUCKET, s3Object: 'AWSLogs/l.json.gz', hashValue: sha256('l'), hashAlgorithm: 'SHA-256', newestEventTime: '2015-08-17T14:52:27Z', oldestEventTime: '2015-08-17T14:42:27Z' }],
      };
      const result = parseDigest(Buffer.from(JSON.stringify(doc)));
      expect(result).toMatchObject({ ...doc, openTrailMerkle: null, logFiles: [{ ...doc.logFiles[0], openTrailLeafRange: null }] });
    });

    it('treats what the CLI ignores as optional', () => {
      const minimal = {
        digestStartTime: '2015-08-17T14:01:31Z',
        digestEndTime: '2015-08-17T15:01:31Z',
        digestS3Bucket: BUCKET,
        digestS3Object: KEY,
        digestPublicKeyFingerprint: FINGERPRINT,
        previousDigestSignature: null,
        logFiles: [{ s3Bucket: BUCKET, s3Object: 'l', hashValue: sha256('l') }],
      };
      expect(parseDigest(Buffer.from(JSON.stringify(minimal)))).toMatchObject({ awsAccountId: null, previousDigestS3Object: null, newestEventTime: null });
    });

    const base = () => parsed(digestJson(startingInput({ logFiles: [logFile(1)], merkle: { treeSize: 20, rootHash: EMPTY_ROOT } })));
    it.each<[string, (doc: Record<string, unknown>) => unknown]>([
      ['not JSON', () => '{'],
      ['not an object', () => []],
      ['previousDigestSignature missing', (d) => ({ ...d, previousDigestSignature: undefined })],
      ['logFiles missing', (d) => ({ ...d, logFiles: undefined })],
      ['logFiles not an array', (d) => ({ ...d, logFiles: {} })],
      ['digestS3Object missing', (d) => ({ ...d, digestS3Object: undefined })],
      ['digestPublicKeyFingerprint not a string', (d) => ({ ...d, digestPublicKeyFingerprint: 12 })],
      ['digestEndTime in another format', (d) => ({ ...d, digestEndTime: '2015-08-17T15:01:31.000Z' })],
      ['digestStartTime that does not exist', (d) => ({ ...d, digestStartTime: '2015-02-30T15:01:31Z' })],
      ['a log file without hashValue', (d) => ({ ...d, logFiles: [{ s3Bucket: BUCKET, s3Object: 'k' }] })],
      ['a malformed leaf range', (d) => ({ ...d, logFiles: [{ s3Bucket: BUCKET, s3Object: 'k', hashValue: EMPTY_ROOT, openTrailLeafRange: { first: 2, last: 1 } }] })],
      ['a fractional tree size', (d) => ({ ...d, openTrailMerkle: { ...(d.openTrailMerkle as object), treeSize: 1.5 } })],
      ['an unknown leaf hashing', (d) => ({ ...d, openTrailMerkle: { ...(d.openTrailMerkle as object), leafHashing: 'plain' } })],
      ['an uppercase root hash', (d) => ({ ...d, openTrailMerkle: { ...(d.openTrailMerkle as object), rootHash: EMPTY_ROOT.toUpperCase() } })],
    ])('reports %s', (_name, mutate) => {
      const value = mutate(base());
      const bytes = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
      expect(parseDigest(bytes)).toHaveProperty('error');
    });

    it('reports bytes that are not UTF-8', () => {
      expect(parseDigest(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({ error: 'not UTF-8 JSON' });
    });
  });
});
