/**
 * Migrations on a database that already holds events: what an upgrade meets in the field.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigration, openSqliteDatabase } from './database.js';
import { reindexEventResources } from './reindex-resources.js';
import { createMerkleTiles } from './merkle-tiles.js';
import { consistencyProof, inclusionProof, leafHash, rootOf } from '../../integrity/merkle/index.js';
import { migrations } from './schema.js';
import { buildLookupSql } from './lookup-sql.js';
import { SqliteDigestChainStore } from './digest-chain-store.js';
import { SqliteMerkleLedger } from './merkle-ledger.js';
import { SqliteIdentityStore } from './identity-store.js';
import { systemClock } from '../../core/clock.js';
import { IdentityService } from '../../iam/identity-service.js';
import { evaluate } from '../../iam/policy/index.js';
import { SecretBox } from '../../iam/secret-box.js';

const dir = mkdtempSync(join(tmpdir(), 'opentrail-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ACCOUNT = '111122223333';

function record(id: string, fields: Record<string, unknown>): string {
  return JSON.stringify({ eventVersion: '1.08', eventTime: '2026-11-24T10:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'PutObject', awsRegion: 'us-east-1', eventID: id, ...fields });
}

describe('the data-event migration', () => {
  it('takes data events stored before it out of the event history', () => {
    const file = join(dir, 'old.db');
    // A database as the version before this migration left it (the first three migrations).
    const old = new Database(file);
    for (const [version, sql] of migrations.slice(0, 3).entries()) {
      applyMigration(old, sql);
      old.pragma(`user_version = ${version + 1}`);
    }
    const insert = old.prepare(
      `INSERT INTO events (account_id, region, event_time, is_insight, event_id, event_name, record) VALUES (?, 'us-east-1', ?, 0, ?, 'PutObject', ?)`,
    );
    const t = Date.UTC(2026, 10, 24, 10);
    insert.run(ACCOUNT, t, 'data', record('data', { eventCategory: 'Data', managementEvent: false }));
    insert.run(ACCOUNT, t, 'old-data', record('old-data', { managementEvent: false }));
    insert.run(ACCOUNT, t, 'mgmt', record('mgmt', { eventCategory: 'Management', managementEvent: true }));
    insert.run(ACCOUNT, t, 'v105', record('v105', {}));
    old.close();

    const db = openSqliteDatabase(file);
    const { sql, params } = buildLookupSql({ accountId: ACCOUNT, region: 'us-east-1', attributes: [], startMs: 0, endMs: t + 1, insights: false, limit: 10 });
    const ids = (db.prepare(sql).all(...params) as { record: string }[]).map((r) => (JSON.parse(r.record) as { eventID: string }).eventID);
    expect(ids.sort()).toEqual(['mgmt', 'v105']);
    // Still in the log, and bound for trails.
    expect(db.prepare('SELECT COUNT(*) FROM events WHERE to_trails = 1').pluck().get()).toBe(4);
    db.close();
  });
});

describe('the organization-trail migration', () => {
  it("keys the ledger and digest chains by account, existing rows taking their trail's account", async () => {
    const file = join(dir, 'before-org-trails.db');
    const old = new Database(file);
    // The version before the organization-trail migration (later ones may follow it).
    const before = migrations.findIndex((sql) => typeof sql === 'string' && sql.includes('-- Organization trails (issue 9, item 5)'));
    expect(before).toBeGreaterThan(0);
    for (const [version, sql] of migrations.slice(0, before).entries()) {
      applyMigration(old, sql);
      old.pragma(`user_version = ${version + 1}`);
    }
    const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`;
    old.prepare(`INSERT INTO trails (trail_arn, account_id, home_region, name, config, tags, is_logging, status, created_at) VALUES (?, ?, 'us-east-1', 't', '{}', '[]', 1, '{}', 0)`).run(arn, ACCOUNT);
    old.prepare(`INSERT INTO delivered_log_files (file_id, trail_arn, region, bucket, key, sha256, newest_event_time, oldest_event_time, delivered_at, leaf_first, leaf_last, leaf_hashes)
                 VALUES (7, ?, 'us-east-1', 'b', 'k', 'aa', 't', 't', 0, 0, 0, ?)`).run(arn, Buffer.alloc(32, 1));
    old.prepare(`INSERT INTO trail_trees (trail_arn, region, size, frontier) VALUES (?, 'us-east-1', 1, '[]')`).run(arn);
    old.prepare(`INSERT INTO digest_chains (trail_arn, region, active, last_end_time, previous, last_file_id) VALUES (?, 'us-east-1', 1, 5, '{"bucket":"b"}', 7)`).run(arn);
    old.prepare(`INSERT INTO digests (trail_arn, region, end_time, bucket, key, tree_size, root_hash) VALUES (?, 'us-east-1', 5, 'b', 'd', 1, 'ff')`).run(arn);
    old.close();

    const db = openSqliteDatabase(file);
    const partition = { trailArn: arn, accountId: ACCOUNT, region: 'us-east-1' };
    const ledger = new SqliteMerkleLedger(db);
    expect(await ledger.treePartitions(arn)).toEqual([{ accountId: ACCOUNT, region: 'us-east-1' }]);
    expect(await ledger.lastFileId(partition)).toBe(7);
    expect((await ledger.deliveredFiles(partition, 0, 7)).map((f) => [f.accountId, f.key])).toEqual([[ACCOUNT, 'k']]);
    const chains = new SqliteDigestChainStore(db);
    expect(await chains.digestChain(partition)).toMatchObject({ active: true, lastEndTime: 5, lastFileId: 7 });
    expect(await chains.digests(partition)).toEqual([{ accountId: ACCOUNT, region: 'us-east-1', endTime: 5, bucket: 'b', key: 'd', treeSize: 1, rootHash: 'ff' }]);
    // Another account's partition of the same trail is empty, and the trail's deletion still takes every row.
    expect(await ledger.lastFileId({ ...partition, accountId: '444455556666' })).toBe(0);
    db.prepare('DELETE FROM trails').run();
    for (const table of ['delivered_log_files', 'trail_trees', 'digest_chains', 'digests']) expect(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get()).toBe(0);
    db.close();
  });
});

describe('the identity migration (IAM, STS, Organizations)', () => {
  it("keeps what users had: their inline policies and ready-made policies, now attached by ARN, still allow what they did", async () => {
    const file = join(dir, 'before-iam.db');
    const old = new Database(file);
    const before = migrations.findIndex((sql) => typeof sql === 'string' && sql.includes('-- Identity grows into IAM, STS and Organizations'));
    expect(before).toBeGreaterThan(0);
    for (const [version, sql] of migrations.slice(0, before).entries()) {
      applyMigration(old, sql);
      old.pragma(`user_version = ${version + 1}`);
    }
    old.prepare("INSERT INTO accounts (account_id, name, created_at) VALUES (?, 'default', 0)").run(ACCOUNT);
    old.prepare("INSERT INTO users (account_id, user_name, principal_id, created_at) VALUES (?, 'admin', 'AIDAADMIN00000000001', 0)").run(ACCOUNT);
    old.prepare("INSERT INTO user_policies (account_id, user_name, policy_name, kind, document) VALUES (?, 'admin', 'OpenTrailFullAccess', 'managed', NULL)").run(ACCOUNT);
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'cloudtrail:DeleteTrail', Resource: '*' }] });
    old.prepare("INSERT INTO user_policies (account_id, user_name, policy_name, kind, document) VALUES (?, 'admin', 'no-deletes', 'inline', ?)").run(ACCOUNT, deny);
    old.close();

    const db = openSqliteDatabase(file);
    const store = new SqliteIdentityStore(db);
    const user = await store.getUser(ACCOUNT, 'admin');
    expect(user).toMatchObject({ userName: 'admin', path: '/', tags: [] });
    const principal = { accountId: ACCOUNT, kind: 'user' as const, name: 'admin' };
    expect(await store.listAttachedPolicyArns(principal)).toEqual(['arn:aws:iam::aws:policy/OpenTrailFullAccess']);
    expect((await store.listInlinePolicies(principal)).map((p) => p.policyName)).toEqual(['no-deletes']);
    const identity = new IdentityService(store, new SecretBox(Buffer.alloc(32, 7)), systemClock);
    const policies = await identity.policiesOfPrincipal(principal);
    expect(evaluate({ action: 'cloudtrail:LookupEvents', resource: '*' }, policies)).toBe('Allow');
    expect(evaluate({ action: 'cloudtrail:DeleteTrail', resource: '*' }, policies)).toBe('ExplicitDeny');
    expect(evaluate({ action: 'iam:CreateUser', resource: '*' }, policies)).toBe('ImplicitDeny');
    db.close();
  });
});

describe('the resources migration', () => {
  it('indexes the resources of events stored before it as CloudTrail names them', () => {
    const file = join(dir, 'before-resources.db');
    const old = new Database(file);
    const before = migrations.indexOf(reindexEventResources);
    expect(before).toBeGreaterThan(0);
    for (const [version, sql] of migrations.slice(0, before).entries()) {
      applyMigration(old, sql);
      old.pragma(`user_version = ${version + 1}`);
    }
    const t = Date.UTC(2026, 10, 24, 10);
    const bucketRecord = record('bucket', { eventName: 'GetBucketAcl', eventCategory: 'Management', requestParameters: { bucketName: 'finance' }, resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::finance' }] });
    const { lastInsertRowid } = old
      .prepare(`INSERT INTO events (account_id, region, event_time, is_insight, event_id, event_name, record) VALUES (?, 'us-east-1', ?, 0, 'bucket', 'GetBucketAcl', ?)`)
      .run(ACCOUNT, t, bucketRecord);
    // As an earlier version indexed it: by the resource's ARN only.
    old.prepare("INSERT INTO event_resources (seq, account_id, region, event_time, resource_type, resource_name) VALUES (?, ?, 'us-east-1', ?, 'AWS::S3::Bucket', 'arn:aws:s3:::finance')").run(lastInsertRowid, ACCOUNT, t);
    old.close();

    const db = openSqliteDatabase(file);
    const rows = db.prepare('SELECT resource_type, resource_name FROM event_resources WHERE seq = ?').raw().all(lastInsertRowid);
    expect(rows).toEqual([['AWS::S3::Bucket', 'finance']]);
    db.close();
  });
});

describe('the Merkle tiles migration', () => {
  it('fills merkle_tiles from the leaf hashes of trees delivered before it, up to a gap', async () => {
    const file = join(dir, 'before-tiles.db');
    const old = new Database(file);
    const before = migrations.indexOf(createMerkleTiles);
    expect(before).toBe(migrations.length - 1);
    for (const [version, sql] of migrations.slice(0, before).entries()) {
      applyMigration(old, sql);
      old.pragma(`user_version = ${version + 1}`);
    }
    const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`;
    old.prepare(`INSERT INTO trails (trail_arn, account_id, home_region, name, config, tags, is_logging, status, created_at) VALUES (?, ?, 'us-east-1', 't', '{}', '[]', 1, '{}', 0)`).run(arn, ACCOUNT);
    const leaves = (region: string, n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`${region} ${i}`)));
    const insert = old.prepare(`INSERT INTO delivered_log_files (trail_arn, account_id, region, bucket, key, sha256, newest_event_time, oldest_event_time, delivered_at, leaf_first, leaf_last, leaf_hashes)
                 VALUES (?, ?, ?, 'b', ?, 'aa', 't', 't', 0, ?, ?, ?)`);
    // us-east-1: 5,000 leaves in files of 333; eu-west-1: 100 leaves, then a gap, then more.
    const east = leaves('us-east-1', 5000);
    for (let first = 0; first < east.length; first += 333) {
      const part = east.slice(first, first + 333);
      insert.run(arn, ACCOUNT, 'us-east-1', `e${first}`, first, first + part.length - 1, Buffer.concat(part));
    }
    const west = leaves('eu-west-1', 300);
    insert.run(arn, ACCOUNT, 'eu-west-1', 'w0', 0, 99, Buffer.concat(west.slice(0, 100)));
    insert.run(arn, ACCOUNT, 'eu-west-1', 'w1', 200, 299, Buffer.concat(west.slice(200)));
    old.close();

    const db = openSqliteDatabase(file);
    const ledger = new SqliteMerkleLedger(db);
    const p = { trailArn: arn, accountId: ACCOUNT, region: 'us-east-1' };
    expect((await ledger.rootAt(p, 5000)).equals(rootOf(east))).toBe(true);
    for (const [index, size] of [[0, 5000], [4097, 5000], [4999, 5000], [17, 4096]] as const) expect(await ledger.inclusionProof(p, index, size)).toEqual(inclusionProof(east, index, size));
    expect(await ledger.consistencyProof(p, 1234, 5000)).toEqual(consistencyProof(east, 1234, 5000));
    const w = { ...p, region: 'eu-west-1' };
    expect((await ledger.rootAt(w, 100)).equals(rootOf(west.slice(0, 100)))).toBe(true);
    await expect(ledger.rootAt(w, 300)).rejects.toThrow();
    const westNodes = db.prepare("SELECT SUM(length(hashes)) / 32 FROM merkle_tiles WHERE region = 'eu-west-1'").pluck().get();
    expect(westNodes).toBe(6 + 3 + 1); // levels 4, 5 and 6 of 100 leaves
    db.prepare('DELETE FROM trails').run();
    expect(db.prepare('SELECT COUNT(*) FROM merkle_tiles').pluck().get()).toBe(0);
    db.close();
  });
});
