import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLogFile, digestKey, logFileKey } from '../../core/log-file.js';
import { signDigest } from '../digest/digest-writer.js';
import { generateSigningKey } from '../keys/signing-key.js';
import type { SigningKey } from '../keys/signing-key.js';
import { ACCOUNT, BUCKET, buildMemoryTrail, HOUR, REGION, T0, TRAIL, TRAIL_ARN } from '../../../test/support/memory-trail.js';
import type { MemoryTrail, TrailPlan } from '../../../test/support/memory-trail.js';
import { printResult } from './report.js';
import type { Entry, ValidationResult } from './types.js';
import { ValidationAbort, validateTrail } from './validate-trail.js';
import type { ValidateOptions } from './validate-trail.js';

let key: SigningKey;
let foreign: SigningKey;

beforeAll(() => {
  key = generateSigningKey(REGION, T0 - 24 * HOUR, T0 + 30 * 24 * HOUR);
  foreign = generateSigningKey(REGION, T0 - 24 * HOUR, T0 + 30 * 24 * HOUR);
});

/** Six periods: files of various sizes, one empty period. */
const SIX: number[][] = [[3, 2], [1], [], [4, 1, 2], [2], [1, 1]];

function trail(plan: Partial<TrailPlan> = {}): MemoryTrail {
  return buildMemoryTrail({ periods: SIX, signingKey: key, ...plan });
}

async function run(t: MemoryTrail, options: Partial<ValidateOptions> = {}): Promise<ValidationResult> {
  return validateTrail({
    reader: t.objects,
    publicKeys: async () => Promise.resolve(t.publicKeys),
    trailArn: TRAIL_ARN,
    bucket: BUCKET,
    startMs: T0,
    endMs: T0 + 6 * HOUR,
    ...options,
  });
}

const s3 = (key: string) => `s3://${BUCKET}/${key}`;
const invalid = (r: ValidationResult) =>
  r.entries.flatMap((e) => (e.kind === 'digest' || e.kind === 'log') && !e.valid ? [`${e.kind} ${e.key} ${e.reason}`] : []);
const unlisted = (t: MemoryTrail, period: number) => t.periods[period]!.files.map((f) => `log ${f.key} not listed in any valid digest`);
const lost = (r: ValidationResult) => r.entries.filter((e): e is Extract<Entry, { kind: 'lost' }> => e.kind === 'lost');
const merkle = (r: ValidationResult) => r.entries.filter((e): e is Extract<Entry, { kind: 'merkle' }> => e.kind === 'merkle');
const merkleReasons = (r: ValidationResult) => merkle(r).flatMap((e) => (e.status === 'invalid' ? [e.reason] : []));

function text(r: ValidationResult, verbose = false): { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  printResult(r, { startMs: T0, endMs: T0 + 6 * HOUR, verbose }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { stdout, stderr };
}

describe('an untouched trail', () => {
  it('is valid: every digest, every log file, and the Merkle tree over all records', async () => {
    const t = trail();
    const r = await run(t);
    expect(invalid(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.digests.range).toEqual({ valid: 6, invalid: 0 });
    expect(r.logs.range).toEqual({ valid: 9, invalid: 0 });
    expect(merkle(r)).toEqual([{ kind: 'merkle', region: REGION, status: 'valid', leaves: 17 }]);
    const out = text(r, true);
    expect(out.stdout).toContain('6/6 digest files valid\n9/9 log files valid\nMerkle tree\tus-east-1\tvalid (17 leaves)\n');
    expect(out.stdout).toContain(`Digest file\t${s3(t.periods[5]!.digest.key)}\tvalid\n`);
    expect(out.stderr).toBe('');
  });

  it('reads each file once, at most `concurrency` at a time', async () => {
    const t = trail();
    let running = 0;
    let peak = 0;
    const reader = {
      listKeys: t.objects.listKeys.bind(t.objects),
      async getObject(bucket: string, k: string) {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return t.objects.getObject(bucket, k);
      },
    };
    const r = await run(t, { reader, concurrency: 3 });
    expect(r.ok).toBe(true);
    expect(peak).toBe(3);
    expect(t.objects.reads).toBe(6 + 9);
  });

  it('reports progress up to the number of files read', async () => {
    const seen: [number, number][] = [];
    await run(trail(), { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.at(-1)).toEqual([15, 15]);
  });

  it('with a range that starts later, walks back for the Merkle tree and counts those files apart', async () => {
    const t = trail();
    const r = await run(t, { startMs: T0 + 4 * HOUR + 1 });
    expect(r.ok).toBe(true);
    // The CLI's walk: keys dated from the start on, down to the digest that straddles it.
    expect(r.digests.range).toEqual({ valid: 2, invalid: 0 });
    expect(r.digests.outside).toEqual({ valid: 4, invalid: 0 });
    expect(r.logs.outside).toEqual({ valid: 6, invalid: 0 });
    expect(merkle(r)[0]).toMatchObject({ status: 'valid', leaves: 17 });
    const out = text(r, true);
    expect(out.stdout).toContain(`(outside range) Digest file\t${s3(t.periods[0]!.digest.key)}\tvalid`);
    expect(out.stdout).toContain('4/4 out-of-range digest files valid\n6/6 out-of-range log files valid');
  });

  it('spans a logging gap: a new chain, a notice as the CLI prints it, and one tree across both chains', async () => {
    const t = trail({ chainStarts: [3] });
    const r = await run(t);
    expect(r.ok).toBe(true);
    expect(r.entries).toContainEqual({ kind: 'gap', scope: 'range', nextEndMs: T0 + 3 * HOUR, lastStartMs: T0 + 3 * HOUR });
    expect(text(r).stderr).toContain('No log files were delivered by CloudTrail between 2026-01-05T03:00:00Z and 2026-01-05T03:00:00Z');
    expect(merkle(r)[0]).toMatchObject({ status: 'valid', leaves: 17 });
  });

  it('stops before any read when ListPublicKeys has no key, as the CLI does', async () => {
    const t = trail();
    await expect(run(t, { publicKeys: async () => Promise.resolve([]) })).rejects.toThrow(ValidationAbort);
    await expect(run(t, { publicKeys: async () => Promise.resolve([]) })).rejects.toThrow('No public keys found between 2026-01-05T00:00:00Z and 2026-01-05T08:00:00Z');
  });
});

describe('tampering', () => {
  it('one changed byte in a record: that log file fails its hash, and the tree cannot be rebuilt past it', async () => {
    const t = trail();
    const file = t.periods[3]!.files[1]!;
    const json = gunzipSync(t.objects.get(BUCKET, file.key).body).toString().replace('Call', 'Cal!');
    t.objects.put(BUCKET, file.key, gzipSync(json));
    const r = await run(t);
    expect(r.ok).toBe(false);
    expect(invalid(r)).toEqual([`log ${file.key} hash value doesn't match`]);
    expect(merkleReasons(r)).toEqual([`cannot rebuild leaf ${file.first}: log file ${s3(file.key)} is INVALID (hash value doesn't match)`]);
    expect(text(r).stderr).toContain(`Log file\t${s3(file.key)}\tINVALID: hash value doesn't match\n`);
    expect(text(r).stdout).toContain('8/9 log files valid, 1/9 log files INVALID');
  });

  it('records reordered within a file: the hash fails', async () => {
    const t = trail();
    const file = t.periods[0]!.files[0]!;
    t.objects.put(BUCKET, file.key, buildLogFile([...file.records].reverse()).gzip);
    const r = await run(t);
    expect(invalid(r)).toEqual([`log ${file.key} hash value doesn't match`]);
  });

  it('bytes appended after the gzip member: invalid format (the stock CLI ignores them)', async () => {
    const t = trail();
    const file = t.periods[1]!.files[0]!;
    t.objects.put(BUCKET, file.key, Buffer.concat([t.objects.get(BUCKET, file.key).body, Buffer.from('junk!')]));
    const r = await run(t);
    expect(invalid(r)).toEqual([`log ${file.key} invalid format: 5 bytes after the gzip member`]);
  });

  it('a second gzip member appended: invalid format', async () => {
    const t = trail();
    const file = t.periods[1]!.files[0]!;
    t.objects.put(BUCKET, file.key, Buffer.concat([t.objects.get(BUCKET, file.key).body, gzipSync('{"Records":[]}')]));
    const r = await run(t);
    expect(invalid(r)[0]).toMatch(/invalid format: \d+ bytes after the gzip member$/);
  });

  it('a deleted log file: not found', async () => {
    const t = trail();
    const file = t.periods[4]!.files[0]!;
    t.objects.delete(BUCKET, file.key);
    const r = await run(t);
    expect(invalid(r)).toEqual([`log ${file.key} not found`]);
    expect(merkleReasons(r)[0]).toContain(`log file ${s3(file.key)} is INVALID (not found)`);
  });

  it('a log file moved to another key: the digest lists the old key, not found', async () => {
    const t = trail();
    const file = t.periods[0]!.files[1]!;
    t.objects.move(BUCKET, file.key, file.key.replace('.json.gz', '-moved.json.gz'));
    const r = await run(t);
    expect(invalid(r)).toEqual([`log ${file.key} not found`]);
  });

  it('a deleted digest: not found, its log files are in no valid digest, nor are their leaves', async () => {
    const t = trail();
    const gone = t.periods[3]!.digest.key;
    t.objects.delete(BUCKET, gone);
    const r = await run(t);
    expect(invalid(r)).toEqual([`digest ${gone} not found`, ...unlisted(t, 3)]);
    expect(lost(r)).toEqual([]); // its predecessor is there: nothing else is missing
    expect(r.digests.range).toEqual({ valid: 5, invalid: 1 });
    expect(merkleReasons(r)).toEqual([
      `leaves 6..12 are in no valid digest: a digest between ${s3(t.periods[2]!.digest.key)} and ${s3(t.periods[4]!.digest.key)} is missing or invalid`,
    ]);
  });

  it('two consecutive digests deleted: the newer named by key, the older by its time (the CLI names only the newer)', async () => {
    const t = trail();
    t.objects.delete(BUCKET, t.periods[2]!.digest.key);
    t.objects.delete(BUCKET, t.periods[3]!.digest.key);
    const r = await run(t);
    expect(invalid(r)).toEqual([`digest ${t.periods[3]!.digest.key} not found`, ...unlisted(t, 3)]);
    expect(lost(r)).toEqual([
      { kind: 'lost', scope: 'range', bucket: BUCKET, estimatedEndMs: T0 + 3 * HOUR, afterKey: t.periods[1]!.digest.key, beforeKey: t.periods[3]!.digest.key },
    ]);
    expect(r.digests.range).toEqual({ valid: 4, invalid: 2 });
    expect(text(r).stderr).toContain(
      `Digest file\t(ending about 2026-01-05T03:00:00Z, between ${s3(t.periods[1]!.digest.key)} and ${s3(t.periods[3]!.digest.key)})\tINVALID: not found (no digest names it any more; inferred from the time the missing digests covered)\n`,
    );
    expect(text(r).stdout).toContain('4/6 digest files valid, 2/6 digest files INVALID');
    expect(merkleReasons(r)).toEqual([
      `leaves 6..12 are in no valid digest: a digest between ${s3(t.periods[1]!.digest.key)} and ${s3(t.periods[4]!.digest.key)} is missing or invalid`,
    ]);
  });

  it('a digest moved to another key: moved from its original location', async () => {
    const t = trail();
    const newest = t.periods[5]!.digest.key;
    const moved = digestKey({ accountId: ACCOUNT, region: REGION, trailName: TRAIL, homeRegion: REGION, endTimeMs: T0 + 6 * HOUR + 1000 });
    t.objects.move(BUCKET, newest, moved);
    const r = await run(t);
    expect(invalid(r)).toEqual([`digest ${moved} has been moved from its original location`]);
    expect(text(r).stderr).toContain(`Digest file\t${s3(moved)}\tINVALID: has been moved from its original location\n`);
  });

  it('a digest overwritten by the next one at the same key: reported, and the walk goes on (the CLI loops forever)', async () => {
    // Two digests ending in the same second share a key: the later one names its own key as previous.
    let shared = '';
    const t = trail({ edit: (i, input) => { if (i === 4) shared = input.key; if (i === 5) input.key = shared; } });
    const r = await run(t);
    expect(invalid(r)).toEqual([`digest ${shared} overwritten: the digest now at this key names this key as its previous digest`]);
    expect(r.digests.range).toEqual({ valid: 5, invalid: 1 });
    expect(merkleReasons(r)).toEqual([
      `leaves 13..14 are in no valid digest: a digest between ${s3(t.periods[3]!.digest.key)} and ${s3(shared)} is missing or invalid`,
    ]);
  });

  it('a digest re-signed with a foreign key (fingerprint unchanged): signature verification failed', async () => {
    const t = trail();
    const target = t.periods[2]!.digest;
    const forged = signDigest(target.stringToSign, foreign.privateKey);
    t.objects.put(BUCKET, target.key, target.gzip, { ...target.metadata, signature: forged });
    const r = await run(t);
    expect(invalid(r)).toEqual([`digest ${target.key} signature verification failed`]);
  });

  it('a digest signed with a key ListPublicKeys does not know: public key not found', async () => {
    const t = trail();
    const r = await run(t, { publicKeys: async () => Promise.resolve([{ fingerprint: foreign.fingerprint, der: foreign.publicKeyDer }]) });
    expect(invalid(r)).toHaveLength(6);
    expect(invalid(r)[0]).toContain(`public key not found in region us-east-1 for fingerprint ${key.fingerprint}`);
  });

  it('a digest replaced by another validly signed one: its hash is not the one the next digest chained', async () => {
    // What only a signer could do (a server signing two versions of a digest): the pointer check catches it.
    const t = trail({ edit: (i, input) => { if (i === 4) input.previous = { ...input.previous!, hashValue: 'ab'.repeat(32) }; } });
    const r = await run(t);
    expect(invalid(r)).toEqual([`digest ${t.periods[3]!.digest.key} hash value doesn't match the previousDigestHashValue of ${s3(t.periods[4]!.digest.key)}`, ...unlisted(t, 3)]);
  });
});

describe('log files that no digest lists', () => {
  const extraKey = (deliveryTimeMs: number, unique = 'extraextraextra1') => logFileKey({ accountId: ACCOUNT, region: REGION, deliveryTimeMs, unique });

  it('a copy of a delivered file under a new key: named, with the file it copies', async () => {
    const t = trail();
    const original = t.periods[3]!.files[0]!;
    const copy = extraKey(T0 + 3 * HOUR + 30 * 60_000);
    t.objects.put(BUCKET, copy, t.objects.get(BUCKET, original.key).body);
    const r = await run(t);
    expect(r.ok).toBe(false);
    expect(invalid(r)).toEqual([`log ${copy} not listed in any valid digest: a copy of ${s3(original.key)}`]);
    expect(text(r).stderr).toContain(`Log file\t${s3(copy)}\tINVALID: not listed in any valid digest: a copy of ${s3(original.key)}\n`);
    expect(text(r).stdout).toContain('9/10 log files valid, 1/10 log files INVALID');
  });

  it('a new file dated within the digests: named', async () => {
    const t = trail();
    const forged = extraKey(T0 + 1 * HOUR + 40 * 60_000);
    t.objects.put(BUCKET, forged, buildLogFile(['{"eventID":"forged"}']).gzip);
    const r = await run(t);
    expect(invalid(r)).toEqual([`log ${forged} not listed in any valid digest`]);
  });

  it('files after the newest digest (not in one yet) are left alone, unless copies', async () => {
    const t = trail();
    const end = T0 + 6 * HOUR;
    const tail = extraKey(end + 5 * 60_000, 'tailtailtailtai2');
    t.objects.put(BUCKET, tail, buildLogFile(['{"eventID":"tail"}']).gzip);
    const copy = extraKey(end + 10 * 60_000, 'copycopycopycop1');
    t.objects.put(BUCKET, copy, t.objects.get(BUCKET, t.periods[5]!.files[0]!.key).body);
    const r = await run(t, { endMs: end + HOUR });
    expect(invalid(r)).toEqual([`log ${copy} not listed in any valid digest: a copy of ${s3(t.periods[5]!.files[0]!.key)}`]);
  });

  it('files from before the first digest (validation was off) are left alone', async () => {
    const t = trail();
    t.objects.put(BUCKET, extraKey(T0 - 20 * 60_000), buildLogFile(['{"eventID":"early"}']).gzip);
    const r = await run(t, { startMs: T0 - HOUR });
    expect(invalid(r)).toEqual([]);
  });

  it('not looked for when another trail shares the bucket and prefix (log keys do not name the trail), or when turned off', async () => {
    const t = trail();
    const copy = extraKey(T0 + 3 * HOUR + 30 * 60_000);
    t.objects.put(BUCKET, copy, t.objects.get(BUCKET, t.periods[3]!.files[0]!.key).body);
    expect(invalid(await run(t, { checkUnlisted: false }))).toEqual([]);
    const sibling = digestKey({ accountId: ACCOUNT, region: REGION, trailName: 'other-trail', homeRegion: REGION, endTimeMs: T0 + HOUR });
    t.objects.put(BUCKET, sibling, t.objects.get(BUCKET, t.periods[0]!.digest.key).body);
    const r = await run(t);
    expect(invalid(r)).toEqual([]);
    expect(text(r).stdout).toContain(`Log files no digest lists\tnot checked: another trail's digests share this bucket and prefix (${s3(sibling)}), and log file keys do not name their trail\n`);
  });

  it('three consecutive digests deleted: one named by key, two by time', async () => {
    const t = trail();
    for (const i of [1, 2, 3]) t.objects.delete(BUCKET, t.periods[i]!.digest.key);
    const r = await run(t);
    expect(lost(r).map((l) => l.estimatedEndMs)).toEqual([T0 + 2 * HOUR, T0 + 3 * HOUR]);
    expect(r.digests.range).toEqual({ valid: 3, invalid: 3 });
  });
});

describe('the Merkle extension', () => {
  it('a signed root that does not match the records', async () => {
    const t = trail({ edit: (i, input) => { if (i === 3) input.merkle = { ...input.merkle, rootHash: 'cd'.repeat(32) }; } });
    const r = await run(t);
    expect(invalid(r)).toEqual([]);
    expect(merkleReasons(r)).toEqual([`the rebuilt tree at treeSize 13 does not match the rootHash of ${s3(t.periods[3]!.digest.key)}`]);
    expect(r.ok).toBe(false);
    expect(text(r).stdout).toContain('Merkle tree\tus-east-1\tINVALID (1 problem, above)');
  });

  it('a leaf range that does not match the record count', async () => {
    // Period 0's file holds 2 records, but its digest claims one leaf for it.
    const t = buildMemoryTrail({
      periods: [[2], [1]],
      signingKey: key,
      edit: (i, input) => {
        if (i !== 0) return;
        input.logFiles = [{ ...input.logFiles[0]!, leafRange: { first: 0, last: 0 } }];
        input.merkle = { ...input.merkle, treeSize: 1 };
      },
    });
    const r = await run(t, { endMs: T0 + 2 * HOUR });
    expect(merkleReasons(r)[0]).toBe(`log file ${s3(t.periods[0]!.files[0]!.key)} has 2 records, its leaf range 0..0 has 1`);
  });

  it('a tree that shrinks between digests', async () => {
    const t = buildMemoryTrail({ periods: [[2], []], signingKey: key, edit: (i, input) => { if (i === 1) input.merkle = { ...input.merkle, treeSize: 1 }; } });
    const r = await run(t, { endMs: T0 + 2 * HOUR });
    expect(merkleReasons(r)[0]).toBe(`treeSize shrinks from 2 at ${s3(t.periods[0]!.digest.key)} to 1 at ${s3(t.periods[1]!.digest.key)}`);
  });
});

describe('a trusted digest', () => {
  function trustedOf(t: MemoryTrail, i: number) {
    const digest = t.periods[i]!.digest;
    return { path: `/kept/digest-${i}.json.gz`, body: Buffer.from(digest.gzip), signature: digest.signature };
  }

  it('the newest one, with nothing removed: valid', async () => {
    const t = trail();
    const r = await run(t, { trusted: trustedOf(t, 5) });
    expect(r.ok).toBe(true);
    expect(r.entries[0]).toEqual({ kind: 'trusted', path: '/kept/digest-5.json.gz', valid: true, location: s3(t.periods[5]!.digest.key), treeSize: 17 });
  });

  it('tail truncation (newest digests and their log files deleted): the stock CLI cannot tell, this can', async () => {
    const t = trail();
    const kept = trustedOf(t, 5);
    for (const i of [4, 5]) {
      t.objects.delete(BUCKET, t.periods[i]!.digest.key);
      for (const f of t.periods[i]!.files) t.objects.delete(BUCKET, f.key);
    }
    const without = await run(t);
    expect(without.ok).toBe(true); // what any chain walk sees: a shorter, intact chain
    const r = await run(t, { trusted: kept });
    expect(r.ok).toBe(false);
    expect(merkleReasons(r)).toEqual([
      `tail truncated: the trusted digest ${s3(t.periods[5]!.digest.key)} (treeSize 17, ending 2026-01-05T06:00:00.000Z) ` +
        `is newer than the newest digest in the bucket, ${s3(t.periods[3]!.digest.key)} (treeSize 13, ending 2026-01-05T04:00:00.000Z)`,
    ]);
  });

  it('one after the requested range: the later digests are walked up to it', async () => {
    const t = trail();
    const r = await run(t, { endMs: T0 + 2 * HOUR, trusted: trustedOf(t, 5) });
    expect(r.ok).toBe(true);
    expect(r.digests.outside.valid).toBeGreaterThan(0);
  });

  it('with a wrong signature: INVALID, and the run fails', async () => {
    const t = trail();
    const r = await run(t, { trusted: { ...trustedOf(t, 5), signature: trustedOf(t, 4).signature } });
    expect(r.ok).toBe(false);
    expect(r.entries[0]).toEqual({ kind: 'trusted', path: '/kept/digest-5.json.gz', valid: false, reason: 'signature verification failed' });
  });

  it('of another trail: INVALID', async () => {
    const t = trail();
    const digest = t.periods[5]!.digest;
    const body = Buffer.from(digest.json.toString().replace(digest.key, digest.key.replace(TRAIL, 'other-trail')));
    const r = await run(t, { trusted: { path: 'kept.json', body, signature: digest.signature } });
    expect(r.entries[0]).toMatchObject({ kind: 'trusted', valid: false, reason: expect.stringContaining('is not a digest of this trail, region and bucket') as unknown });
  });
});
