/**
 * Our digests as the stock AWS CLI reads them: python-rsa (the CLI's verifier) loads our DER
 * PKCS#1 key and verifies our signatures, and, when awscli is installed, the CLI's own
 * Sha256RSADigestValidator and required-key list are run on our bytes, decoded the way its
 * DigestProvider.fetch_digest does (zlib gzip wrapper, then json.loads).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandWorks, peerAvailable } from '../../../test/support/peers.js';
import { deterministicGzip, digestKey } from '../../core/log-file.js';
import { generateSigningKey, publicKeyValue } from '../keys/signing-key.js';
import type { SigningKey } from '../keys/signing-key.js';
import { buildSignedDigest } from './digest-writer.js';
import type { DigestInput, SignedDigest } from './digest-writer.js';

const hasPythonRsa = peerAvailable('python-rsa', commandWorks('python3', ['-c', 'import rsa']), 'python3 with the rsa module was not found');
const hasCliValidator =
  hasPythonRsa &&
  peerAvailable(
    'aws-cli validate-logs',
    commandWorks('python3', ['-c', 'import awscli.customizations.cloudtrail.validation']),
    'python3 with awscli (customizations.cloudtrail.validation) was not found',
  );

const SCRIPT = String.raw`
import base64, hashlib, json, sys, zlib
import rsa
request = json.load(sys.stdin)
if request['cli']:
    from awscli.customizations.cloudtrail.validation import Sha256RSADigestValidator, DigestTraverser
results = []
for case in request['cases']:
    der = base64.b64decode(case['value'])
    key = rsa.PublicKey.load_pkcs1(der, 'DER')
    inflated = zlib.decompress(base64.b64decode(case['gzip']), zlib.MAX_WBITS | 16)
    data = json.loads(inflated.decode())
    previous = data['previousDigestSignature']
    to_sign = '%s\n%s/%s\n%s\n%s' % (data['digestEndTime'], data['digestS3Bucket'], data['digestS3Object'],
                                     hashlib.sha256(inflated).hexdigest(), 'null' if previous is None else previous)
    result = {'fingerprint': hashlib.md5(der).hexdigest(), 'bits': key.n.bit_length(), 'e': key.e,
              'located': data['digestS3Bucket'] == case['bucket'] and data['digestS3Object'] == case['key'],
              'logFiles': [f['hashValue'] for f in data['logFiles']]}
    try:
        result['rsa'] = rsa.verify(to_sign.encode(), bytes.fromhex(case['signature']), key)
    except rsa.pkcs1.VerificationError:
        result['rsa'] = 'VerificationError'
    if request['cli']:
        result['missing'] = [k for k in DigestTraverser.required_digest_keys if k not in data]
        data['_signature'] = case['signature']
        try:
            Sha256RSADigestValidator().validate(case['bucket'], case['key'], case['value'], data, inflated)
            result['cli'] = 'valid'
        except Exception as error:
            result['cli'] = type(error).__name__
    results.append(result)
print(json.dumps(results))
`;

interface Case {
  value: string;
  gzip: string;
  signature: string;
  bucket: string;
  key: string;
}

interface PythonResult {
  fingerprint: string;
  bits: number;
  e: number;
  located: boolean;
  logFiles: string[];
  rsa: string;
  missing?: string[];
  cli?: string;
}

function runPython(cases: Case[]): PythonResult[] {
  const run = spawnSync('python3', ['-c', SCRIPT], { input: JSON.stringify({ cli: hasCliValidator, cases }), encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(`python3 failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as PythonResult[];
}

const ACCOUNT = '111122223333';
const BUCKET = 'audit-bucket';
const HOUR = 3_600_000;
const END = Date.UTC(2026, 0, 2, 3, 4, 5);
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const keyAt = (endTimeMs: number) => digestKey({ accountId: ACCOUNT, region: 'eu-west-1', trailName: 'trail', homeRegion: 'us-east-1', endTimeMs });

function input(endTimeMs: number, overrides: Partial<DigestInput> = {}): Omit<DigestInput, 'publicKeyFingerprint'> {
  return {
    accountId: ACCOUNT,
    startTimeMs: endTimeMs - HOUR,
    endTimeMs,
    bucket: BUCKET,
    key: keyAt(endTimeMs),
    logFiles: [],
    merkle: { treeSize: 0, rootHash: sha256('') },
    ...overrides,
  };
}

function caseOf(signed: SignedDigest, key: SigningKey, overrides: Partial<Case> = {}): Case {
  return { value: publicKeyValue(key), gzip: signed.gzip.toString('base64'), signature: signed.signature, bucket: signed.bucket, key: signed.key, ...overrides };
}

describe.skipIf(!hasPythonRsa)('digests as the AWS CLI verifies them (python-rsa)', () => {
  let key: SigningKey;
  let starting: SignedDigest;
  let chained: SignedDigest;
  beforeAll(() => {
    key = generateSigningKey('eu-west-1', END - 10 * HOUR, END + 10 * HOUR);
    starting = buildSignedDigest(input(END), key);
    chained = buildSignedDigest(
      input(END + HOUR, {
        previous: starting.asPrevious,
        logFiles: [
          {
            s3Bucket: BUCKET,
            s3Object: 'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/02/log.json.gz',
            hashValue: sha256('log'),
            newestEventTime: '2026-01-02T03:59:00Z',
            oldestEventTime: '2026-01-02T03:05:00Z',
            leafRange: { first: 0, last: 2 },
          },
        ],
        merkle: { treeSize: 3, rootHash: sha256('root') },
      }),
      key,
    );
  });

  it('loads our key with the PKCS#1 loader: RSA-2048, e=65537, fingerprint = md5 of the DER', () => {
    const [result] = runPython([caseOf(starting, key)]);
    expect(result).toMatchObject({ fingerprint: key.fingerprint, bits: 2048, e: 65537 });
    expect(publicKeyValue(key).startsWith('MIIBCgKCAQEA')).toBe(true);
  });

  it('verifies starting and chained digests, and rejects a tampered one', () => {
    const tamperedJson = Buffer.from(chained.json.toString('utf8').replace(sha256('log'), sha256('other log')));
    expect(tamperedJson.equals(chained.json)).toBe(false);
    const tampered = caseOf(chained, key, { gzip: deterministicGzip(tamperedJson).toString('base64') });
    const moved = caseOf(chained, key, { key: keyAt(END + 2 * HOUR) });
    const results = runPython([caseOf(starting, key), caseOf(chained, key), tampered, moved]);
    const [start, chain, bad, elsewhere] = results;
    expect(start).toMatchObject({ rsa: 'SHA-256', located: true, logFiles: [] });
    expect(chain).toMatchObject({ rsa: 'SHA-256', located: true, logFiles: [sha256('log')] });
    expect(bad).toMatchObject({ rsa: 'VerificationError' });
    expect(elsewhere).toMatchObject({ located: false });
    if (hasCliValidator) {
      expect(start).toMatchObject({ cli: 'valid', missing: [] });
      expect(chain).toMatchObject({ cli: 'valid', missing: [] });
      expect(bad).toMatchObject({ cli: 'DigestSignatureError' });
    }
  });
});
