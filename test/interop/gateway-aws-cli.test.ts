/**
 * The stock AWS CLI (v1, botocore) through the gateway to S3 (a moto server): the high-level
 * `aws s3` commands (multipart upload and ranged parallel download of a 200 MB file, sync of a
 * tree with awkward key names, ls, rm, presign) and `aws s3api` calls, checked against moto
 * directly (the effect) and against the records: management events with `aws cloudtrail
 * lookup-events`, data events in the log files of a trail with basic data selectors, and in a
 * second trail whose advanced selectors pick only writes under one prefix.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudTrailRecord } from '../../src/core/record.js';
import { compareWithSamples } from '../support/sample-shapes.js';
import { samplesAvailable } from '../support/samples.js';
import { runAdminCli } from '../support/admin-cli.js';
import { awsCli, deliveredRecords, lookupEvents, startGatewayServer } from '../support/gateway-peers.js';
import type { AwsCli, Json } from '../support/gateway-peers.js';
import { eventually } from '../support/log-files.js';
import { motoAvailable, startMoto } from '../support/moto.js';
import type { MotoServer } from '../support/moto.js';
import { awsCliAvailable } from '../support/peers.js';
import type { ServerProcess } from '../support/server-process.js';

const hasPeers = awsCliAvailable() && motoAvailable();
const ACCOUNT = '111122223333';
const BUCKET = 'cli-bucket';
const BIG_SIZE = 200 * 1024 * 1024;
/** Keys that need encoding in a URL and in a canonical request: space, plus, percent, non-ASCII. */
const TREE: Record<string, string> = {
  'x.txt': 'one\n',
  'a/with space.txt': 'two\n',
  'a/b/plus+and%.txt': 'three+\n',
  'c/ünï çødé.txt': 'four\n',
};

let moto: MotoServer;
let server: ServerProcess;
let cli: AwsCli;
let work: string;
const timings: Record<string, number> = {};

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function timed<T>(name: string, run: () => T): T {
  const started = Date.now();
  const value = run();
  timings[name] = Date.now() - started;
  return value;
}

const dataRecords = (): Json[] => deliveredRecords(server, 'audit').filter((r) => r.eventCategory === 'Data');
const additional = (r: Json) => (r.additionalEventData ?? {}) as Json;
const params = (r: Json) => (r.requestParameters ?? {}) as Json;
const bucketsAtMoto = (): string[] => (JSON.parse(cli.direct('s3api', 'list-buckets')) as { Buckets: { Name: string }[] }).Buckets.map((b) => b.Name);

describe.skipIf(!hasPeers)('the AWS CLI through the gateway to S3 (moto)', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'opentrail-gw-cli-'));
    moto = await startMoto();
    server = await startGatewayServer(moto, ACCOUNT);
    cli = awsCli(server, moto);
    runAdminCli(server.dataDir, 'buckets', 'create', 'audit');
    runAdminCli(server.dataDir, 'buckets', 'create', 'audit-reports');
    cli.ok('cloudtrail', 'create-trail', '--name', 'all-data', '--s3-bucket-name', 'audit');
    // CloudTrail's value for "all buckets" is `arn:aws:s3` (the API reference); `arn:aws:s3:::` is accepted too.
    cli.ok('cloudtrail', 'put-event-selectors', '--trail-name', 'all-data', '--event-selectors',
      JSON.stringify([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }]));
    cli.ok('cloudtrail', 'start-logging', '--name', 'all-data');
    cli.ok('cloudtrail', 'create-trail', '--name', 'report-writes', '--s3-bucket-name', 'audit-reports');
    cli.ok('cloudtrail', 'put-event-selectors', '--trail-name', 'report-writes', '--advanced-event-selectors',
      JSON.stringify([{
        Name: 'writes under reports/',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${BUCKET}/reports/`] },
          { Field: 'readOnly', Equals: ['false'] },
        ],
      }]));
    cli.ok('cloudtrail', 'start-logging', '--name', 'report-writes');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await moto?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
    if (Object.keys(timings).length > 0) console.log(`gateway-aws-cli timings (ms): ${JSON.stringify(timings)}`);
  });

  it('accepts both spellings of "every bucket" in a basic data selector', () => {
    for (const all of ['arn:aws:s3', 'arn:aws:s3:::']) {
      cli.ok('cloudtrail', 'create-trail', '--name', 'spelling', '--s3-bucket-name', 'audit', '--s3-key-prefix', 'spelling');
      const put = cli.json<{ EventSelectors: Json[] }>('cloudtrail', 'put-event-selectors', '--trail-name', 'spelling', '--event-selectors',
        JSON.stringify([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: [all] }] }]));
      expect(put.EventSelectors[0]).toMatchObject({ DataResources: [{ Type: 'AWS::S3::Object', Values: [all] }] });
      cli.ok('cloudtrail', 'delete-trail', '--name', 'spelling');
    }
  });

  it('s3 mb, then a 200 MB s3 cp up (multipart) and back down, byte for byte', async () => {
    expect(cli.ok('s3', 'mb', `s3://${BUCKET}`)).toContain(`make_bucket: ${BUCKET}`);
    expect(bucketsAtMoto()).toContain(BUCKET);

    const big = join(work, 'big.bin');
    const fd = openSync(big, 'w');
    for (let written = 0; written < BIG_SIZE; written += 8 * 1024 * 1024) writeSync(fd, randomBytes(Math.min(8 * 1024 * 1024, BIG_SIZE - written)));
    closeSync(fd);
    timed('cp up 200 MB', () => cli.ok('s3', 'cp', '--no-progress', big, `s3://${BUCKET}/big.bin`));
    const head = JSON.parse(cli.direct('s3api', 'head-object', '--bucket', BUCKET, '--key', 'big.bin')) as Json;
    expect(head.ContentLength).toBe(BIG_SIZE);
    // A multipart upload's ETag is `"<md5 of the parts' md5s>-<parts>"`.
    expect(head.ETag).toMatch(/-\d+"$/);

    const down = join(work, 'big.down');
    timed('cp down 200 MB', () => cli.ok('s3', 'cp', '--no-progress', `s3://${BUCKET}/big.bin`, down));
    expect(statSync(down).size).toBe(BIG_SIZE);
    expect(await sha256Of(down)).toBe(await sha256Of(big));
    rmSync(big);
    rmSync(down);
  }, 180_000);

  it('s3 sync a tree with spaces, plus signs, percent signs and non-ASCII in its keys, up and back down', () => {
    const up = join(work, 'tree');
    for (const [key, text] of Object.entries(TREE)) {
      mkdirSync(join(up, key, '..'), { recursive: true });
      writeFileSync(join(up, key), text);
      // S3's LastModified has whole seconds: a file written in the second of its upload would
      // look newer than its copy to the second sync below.
      const anHourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(join(up, key), anHourAgo, anHourAgo);
    }
    cli.ok('s3', 'sync', '--no-progress', up, `s3://${BUCKET}/tree`);
    const listed = JSON.parse(cli.direct('s3api', 'list-objects-v2', '--bucket', BUCKET, '--prefix', 'tree/')) as { Contents: Json[] };
    expect(listed.Contents.map((o) => o.Key).sort()).toEqual(Object.keys(TREE).map((k) => `tree/${k}`).sort());
    const down = join(work, 'tree-down');
    cli.ok('s3', 'sync', '--no-progress', `s3://${BUCKET}/tree`, down);
    expect(filesUnder(down)).toEqual(TREE);
    // Nothing changed: a second sync sends nothing.
    expect(cli.ok('s3', 'sync', '--no-progress', up, `s3://${BUCKET}/tree`)).toBe('');
  });

  it('s3 ls lists the buckets and, recursively, the objects', () => {
    expect(cli.ok('s3', 'ls')).toContain(BUCKET);
    const listing = cli.ok('s3', 'ls', '--recursive', `s3://${BUCKET}/tree/`);
    for (const key of Object.keys(TREE)) expect(listing).toContain(`tree/${key}`);
  });

  it('s3 presign with SigV4 (signature_version = s3v4): the URL fetches the object', async () => {
    const v4 = awsCli(server, moto, { configDir: work, s3v4: true });
    const url = v4.ok('s3', 'presign', `s3://${BUCKET}/tree/a/with space.txt`, '--expires-in', '300').trim();
    expect(url).toContain('X-Amz-Signature=');
    const answer = await fetch(url);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe(TREE['a/with space.txt']);
  });

  // CLI v1 presigns S3 URLs with Signature Version 2 by default (`?AWSAccessKeyId=…&Signature=…&Expires=…`);
  // the gateway verifies it as S3 does, and records the call as SigV2.
  it('s3 presign with the CLI v1 default (SigV2 query string) fetches the object, recorded as SigV2 QueryString', async () => {
    const keys = ['tree/c/ünï çødé.txt', 'tree/a/b/plus+and%.txt'];
    for (const key of keys) {
      const url = cli.ok('s3', 'presign', `s3://${BUCKET}/${key}`, '--expires-in', '300').trim();
      expect(url).toContain('AWSAccessKeyId=');
      expect(url).not.toContain('X-Amz-Signature=');
      const answer = await fetch(url);
      expect(answer.status, key).toBe(200);
      expect(await answer.text()).toBe(TREE[key.slice('tree/'.length)]);
      // One character of the signature changed: S3's SignatureDoesNotMatch, nothing forwarded.
      const forged = url.replace(/Signature=(.)/, (_, c: string) => `Signature=${c === 'A' ? 'B' : 'A'}`);
      const refused = await fetch(forged);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
    const records = await eventually(() => {
      const found = dataRecords().filter((r) => r.eventName === 'GetObject' && additional(r).SignatureVersion === 'SigV2');
      return keys.every((key) => found.some((r) => params(r).key === key && r.errorCode === undefined)) ? found : undefined;
    }, 30_000, 'the SigV2 GetObject records');
    const got = records.find((r) => params(r).key === keys[0] && r.errorCode === undefined)!;
    expect(got).toMatchObject({
      awsRegion: 'us-east-1',
      requestParameters: { bucketName: BUCKET, key: keys[0] },
      additionalEventData: { SignatureVersion: 'SigV2', AuthenticationMethod: 'QueryString', bytesTransferredOut: Buffer.byteLength(TREE['c/ünï çødé.txt']!) },
    });
    for (const name of ['AWSAccessKeyId', 'Signature', 'Expires']) expect(params(got)).not.toHaveProperty(name);
    // The forged URLs are recorded too, as failed, with S3's code.
    expect(records.some((r) => r.errorCode === 'SignatureDoesNotMatch')).toBe(true);
  });

  it('s3api put-object, get-object, head-object, list-objects-v2 and delete-objects, keys with spaces', () => {
    const body = join(work, 'report.csv');
    writeFileSync(body, 'quarter,revenue\nq3,42\n');
    const put = cli.json('s3api', 'put-object', '--bucket', BUCKET, '--key', 'reports/q3 final.csv', '--body', body);
    expect(put.ETag).toBe(`"${createHash('md5').update(readFileSync(body)).digest('hex')}"`);
    cli.ok('s3api', 'put-object', '--bucket', BUCKET, '--key', 'reports/q4.csv', '--body', body);
    cli.ok('s3', 'cp', '--no-progress', body, `s3://${BUCKET}/reports/q1.csv`);
    cli.ok('s3api', 'put-object', '--bucket', BUCKET, '--key', 'other/q3.csv', '--body', body);

    const got = join(work, 'got.csv');
    const meta = cli.json('s3api', 'get-object', '--bucket', BUCKET, '--key', 'reports/q3 final.csv', got);
    expect(meta.ContentLength).toBe(statSync(body).size);
    expect(readFileSync(got, 'utf8')).toBe(readFileSync(body, 'utf8'));
    expect(cli.json('s3api', 'head-object', '--bucket', BUCKET, '--key', 'reports/q3 final.csv').ETag).toBe(put.ETag);
    const missing = cli.run('s3api', 'head-object', '--bucket', BUCKET, '--key', 'reports/none.csv');
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('404');

    const listed = cli.json<{ Contents: Json[]; KeyCount: number }>('s3api', 'list-objects-v2', '--bucket', BUCKET, '--prefix', 'reports/');
    expect(listed.Contents.map((o) => o.Key).sort()).toEqual(['reports/q1.csv', 'reports/q3 final.csv', 'reports/q4.csv']);

    const deleted = cli.json<{ Deleted: Json[] }>('s3api', 'delete-objects', '--bucket', BUCKET, '--delete', JSON.stringify({ Objects: [{ Key: 'reports/q4.csv' }, { Key: 'other/q3.csv' }] }));
    expect(deleted.Deleted.map((d) => d.Key).sort()).toEqual(['other/q3.csv', 'reports/q4.csv']);
    const after = JSON.parse(cli.direct('s3api', 'list-objects-v2', '--bucket', BUCKET, '--prefix', 'reports/')) as { Contents: Json[] };
    expect(after.Contents.map((o) => o.Key).sort()).toEqual(['reports/q1.csv', 'reports/q3 final.csv']);
  });

  it('s3 rm --recursive empties the tree, s3 rb removes an empty bucket', () => {
    const out = cli.ok('s3', 'rm', '--recursive', `s3://${BUCKET}/tree`);
    expect(out.split('\n').filter((line) => line.startsWith('delete:'))).toHaveLength(Object.keys(TREE).length);
    const left = JSON.parse(cli.direct('s3api', 'list-objects-v2', '--bucket', BUCKET, '--prefix', 'tree/') || '{}') as { Contents?: Json[] };
    expect(left.Contents ?? []).toEqual([]);
    cli.ok('s3', 'mb', 's3://cli-scratch');
    cli.ok('s3', 'rb', 's3://cli-scratch');
    expect(bucketsAtMoto()).not.toContain('cli-scratch');
  });

  it('records the management events in the event history: CreateBucket, ListBuckets, DeleteBucket', () => {
    const created = lookupEvents(cli, 'CreateBucket').find((e) => params(e.record).bucketName === BUCKET);
    expect(created?.record).toMatchObject({
      eventSource: 's3.amazonaws.com',
      eventCategory: 'Management',
      readOnly: false,
      userIdentity: { type: 'IAMUser', accountId: ACCOUNT, accessKeyId: server.accessKeyId },
      userAgent: expect.stringContaining('aws-cli/') as unknown,
    });
    expect(created?.Resources).toContainEqual({ ResourceType: 'AWS::S3::Bucket', ResourceName: BUCKET });
    const listed = lookupEvents(cli, 'ListBuckets');
    expect(listed.length).toBeGreaterThan(0);
    expect(listed[0]!.record).toMatchObject({ readOnly: true, eventCategory: 'Management' });
    const removed = lookupEvents(cli, 'DeleteBucket');
    expect(removed.map((e) => params(e.record).bucketName)).toContain('cli-scratch');
    // Data events never reach the event history.
    for (const name of ['PutObject', 'UploadPart', 'GetObject', 'ListObjects', 'DeleteObjects']) expect(lookupEvents(cli, name)).toEqual([]);
  });

  it('delivers the data events to the trail that selects them, with what CloudTrail records of each', async () => {
    const wanted = ['PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'GetObject', 'HeadObject', 'ListObjects', 'DeleteObjects', 'DeleteObject'];
    let seen = '';
    const records = await eventually(() => {
      const found = dataRecords();
      const names = new Set(found.map((r) => r.eventName));
      const bigIn = found.filter((r) => r.eventName === 'UploadPart' && params(r).key === 'big.bin').reduce((sum, r) => sum + (additional(r).bytesTransferredIn as number), 0);
      seen = `${[...names].join(', ')}; UploadPart bytes of big.bin: ${bigIn}`;
      return wanted.every((n) => names.has(n)) && bigIn === BIG_SIZE ? found : undefined;
    }, 30_000, 'the data events in the trail').catch((error: Error) => {
      throw new Error(`${error.message} (seen: ${seen})`);
    });
    for (const r of records) expect(r).toMatchObject({ eventSource: 's3.amazonaws.com', eventCategory: 'Data', managementEvent: false, recipientAccountId: ACCOUNT });

    // The 200 MB upload: its parts add up to the file; the download's ranged GETs add up to it too.
    const parts = records.filter((r) => r.eventName === 'UploadPart' && params(r).key === 'big.bin');
    expect(parts.length).toBeGreaterThan(1);
    expect(new Set(parts.map((r) => params(r).uploadId)).size).toBe(1);
    expect(parts[0]).toMatchObject({ readOnly: false, requestParameters: { bucketName: BUCKET, key: 'big.bin', partNumber: expect.any(String) as unknown } });
    const gets = records.filter((r) => r.eventName === 'GetObject' && params(r).key === 'big.bin');
    expect(gets.reduce((sum, r) => sum + (additional(r).bytesTransferredOut as number), 0)).toBe(BIG_SIZE);
    expect(gets[0]).toMatchObject({ readOnly: true });

    // A key with a space is recorded decoded, in requestParameters and in the resource ARN.
    const put = records.find((r) => r.eventName === 'PutObject' && params(r).key === 'reports/q3 final.csv');
    expect(put).toMatchObject({
      readOnly: false,
      requestParameters: { bucketName: BUCKET, key: 'reports/q3 final.csv' },
      additionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader', bytesTransferredIn: 22, bytesTransferredOut: 0 },
      resources: [
        { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${BUCKET}/reports/q3 final.csv` },
        { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` },
      ],
    });
    expect(records.find((r) => r.eventName === 'PutObject' && params(r).key === 'tree/c/ünï çødé.txt')).toBeDefined();
    const got = records.find((r) => r.eventName === 'GetObject' && params(r).key === 'reports/q3 final.csv');
    expect(got).toMatchObject({ readOnly: true, additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 22 } });
    const list = records.find((r) => r.eventName === 'ListObjects' && params(r).prefix === 'reports/');
    expect(list).toMatchObject({ readOnly: true, requestParameters: { bucketName: BUCKET, 'list-type': '2' } });
    expect(list!.resources).toContainEqual({ type: 'AWS::S3::Object', ARNPrefix: `arn:aws:s3:::${BUCKET}/reports/` });
    const multi = records.find((r) => r.eventName === 'DeleteObjects');
    expect(multi).toMatchObject({ readOnly: false, requestParameters: { bucketName: BUCKET, delete: '' } });
    // Management events reach the same trail (IncludeManagementEvents: true).
    expect(deliveredRecords(server, 'audit').some((r) => r.eventName === 'CreateBucket')).toBe(true);
  }, 60_000);

  it('delivers to the advanced-selector trail only the writes under reports/', async () => {
    const records = await eventually(() => {
      const found = deliveredRecords(server, 'audit-reports');
      const keys = new Set(found.filter((r) => r.eventName === 'PutObject').map((r) => params(r).key));
      return ['reports/q3 final.csv', 'reports/q4.csv', 'reports/q1.csv'].every((k) => keys.has(k)) ? found : undefined;
    }, 30_000, 'the PutObject records under reports/');
    // Give the trail a moment to deliver anything it (wrongly) selected besides.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const all = deliveredRecords(server, 'audit-reports');
    expect(all.length).toBeGreaterThanOrEqual(records.length);
    for (const r of all) {
      expect(r).toMatchObject({ eventCategory: 'Data', readOnly: false });
      expect((r.resources as Json[]).some((res) => res.type === 'AWS::S3::Object' && String(res.ARN).startsWith(`arn:aws:s3:::${BUCKET}/reports/`))).toBe(true);
    }
    expect(new Set(all.map((r) => r.eventName))).toEqual(new Set(['PutObject']));
    expect(all.map((r) => params(r).key).sort()).toEqual(['reports/q1.csv', 'reports/q3 final.csv', 'reports/q4.csv']);
  }, 60_000);

  it.skipIf(!samplesAvailable())('writes records with the member sets of the real records of each eventName found in both', () => {
    const { compared, mismatches } = compareWithSamples([...deliveredRecords(server, 'audit'), ...deliveredRecords(server, 'audit-reports')] as unknown as CloudTrailRecord[]);
    expect(compared.length, compared.join(', ')).toBeGreaterThanOrEqual(8);
    console.log(`member sets compared with the samples for: ${compared.join(', ')}`);
    expect(mismatches).toEqual([]);
  });
});
