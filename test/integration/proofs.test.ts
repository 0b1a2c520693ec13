/**
 * Merkle proofs beyond CloudTrail: GetEventProof and GetConsistencyProof, checked by an
 * independent verifier against the tree heads in the signed digests of the bucket (so the test
 * trusts the bucket's digests, not the server's answers).
 */
import { CreateTrailCommand, LookupEventsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitRecords } from '../../src/core/log-file-records.js';
import { cloudTrailClient } from '../support/clients.js';
import { verifyConsistencyIndependently, verifyInclusionIndependently } from '../support/independent-merkle-verifier.js';
import { bucketKeys, eventually } from '../support/log-files.js';
import { BIN, startServer } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { sendSigned } from '../support/signed-request.js';

const ACCOUNT = '111122223333';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/proven`;
let server: ServerProcess;
let client: CloudTrailClient;
let bucketDir: string;

interface DigestDoc {
  openTrailMerkle: { treeSize: number; rootHash: string };
  logFiles: { s3Object: string }[];
}

const fromHex = (hex: string) => Buffer.from(hex, 'hex');
const leafOf = (text: string) => createHash('sha256').update(Buffer.from([0])).update(Buffer.from(text, 'utf8')).digest();

function digests(): DigestDoc[] {
  return bucketKeys(bucketDir)
    .filter((k) => k.includes('/CloudTrail-Digest/'))
    .map((k) => JSON.parse(gunzipSync(readFileSync(join(bucketDir, k))).toString()) as DigestDoc);
}

async function call(operation: string, input: Record<string, unknown>) {
  const response = await sendSigned({
    url: server.url,
    body: JSON.stringify(input),
    headers: { 'x-amz-target': `OpenTrail_20261124.${operation}` },
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
  });
  return { status: response.status, body: response.json() };
}

beforeAll(async () => {
  server = await startServer({ accountId: ACCOUNT, args: ['--delivery-interval', '1', '--digest-interval', '1'] });
  spawnSync(process.execPath, [BIN, 'buckets', 'create', 'proofs', '--data-dir', server.dataDir]);
  bucketDir = join(server.dataDir, 'buckets', 'proofs');
  client = cloudTrailClient(server);
  await client.send(new CreateTrailCommand({ Name: 'proven', S3BucketName: 'proofs', EnableLogFileValidation: true }));
  await client.send(new StartLoggingCommand({ Name: 'proven' }));
  for (let i = 0; i < 20; i++) await client.send(new LookupEventsCommand({ MaxResults: 1 }));
  await eventually(() => (digests().filter((d) => d.openTrailMerkle.treeSize >= 20).length >= 2 ? true : undefined), 30_000, 'two digests over 20 events');
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

describe('Merkle proofs', () => {
  it('proves an event is in the tree of a signed digest', async () => {
    // The first event the trail delivered: covered by every digest since.
    const file = bucketKeys(bucketDir).find((k) => k.includes('/CloudTrail/'))!;
    const records = splitRecords(gunzipSync(readFileSync(join(bucketDir, file))).toString());
    const record = records[0]!;
    const eventId = (JSON.parse(record) as { eventID: string }).eventID;
    const { status, body } = await call('GetEventProof', { TrailARN: TRAIL_ARN, EventId: eventId });
    expect(status).toBe(200);
    const proof = body as unknown as { LeafIndex: number; LeafHash: string; TreeSize: number; RootHash: string; AuditPath: string[]; LogFile: { S3Object: string } };
    expect(proof.LeafHash).toBe(leafOf(record).toString('hex'));
    expect(proof.LogFile.S3Object).toBe(file);
    // The root the proof leads to is one a signed digest in the bucket committed to.
    const signed = digests().find((d) => d.openTrailMerkle.treeSize === proof.TreeSize);
    expect(signed?.openTrailMerkle.rootHash).toBe(proof.RootHash);
    expect(verifyInclusionIndependently(leafOf(record), proof.LeafIndex, proof.TreeSize, proof.AuditPath.map(fromHex), fromHex(signed!.openTrailMerkle.rootHash))).toBe(true);
    // And not for another record's bytes or another position.
    expect(verifyInclusionIndependently(leafOf(records[1] ?? record + ' '), proof.LeafIndex, proof.TreeSize, proof.AuditPath.map(fromHex), fromHex(proof.RootHash))).toBe(false);
  });

  it('proves a later digest extends an earlier one', async () => {
    const all = digests().filter((d) => d.openTrailMerkle.treeSize > 0);
    const older = all[0]!;
    const newer = all.at(-1)!;
    const { status, body } = await call('GetConsistencyProof', {
      TrailARN: TRAIL_ARN,
      FirstTreeSize: older.openTrailMerkle.treeSize,
      SecondTreeSize: newer.openTrailMerkle.treeSize,
    });
    expect(status).toBe(200);
    const proof = (body as unknown as { Proof: string[] }).Proof.map(fromHex);
    const ok = verifyConsistencyIndependently(
      older.openTrailMerkle.treeSize,
      newer.openTrailMerkle.treeSize,
      fromHex(older.openTrailMerkle.rootHash),
      fromHex(newer.openTrailMerkle.rootHash),
      proof,
    );
    expect(ok).toBe(true);
  });

  it('answers unknown events, bad sizes and unknown operations with AWS errors', async () => {
    expect((await call('GetEventProof', { TrailARN: TRAIL_ARN, EventId: 'nope' })).body.__type).toBe('EventNotFoundException');
    expect((await call('GetConsistencyProof', { TrailARN: TRAIL_ARN, FirstTreeSize: 5, SecondTreeSize: 4 })).body.__type).toBe('InvalidParameterException');
    expect((await call('GetConsistencyProof', { TrailARN: TRAIL_ARN })).body.__type).toBe('ValidationException');
    expect((await call('GetEventProof', { TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/missing`, EventId: 'x' })).body.__type).toBe('TrailNotFoundException');
    expect((await call('DropTables', {})).body.__type).toBe('UnknownOperationException');
  });
});
