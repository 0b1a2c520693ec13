/**
 * The trail-side ports on both stores: trails and their changes (with the cursor moves of
 * StartLogging and StopLogging), delivery status, delivery cursors with the Merkle ledger they
 * complete batches into, digest chains, signing keys, channels, the gateway's journal and bucket
 * owners. Changes go through the event log with a record, as calls make them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/store/channel-store.js';
import { CompactTree, consistencyProof, inclusionProof, leafHash, rootOf } from '../../src/integrity/merkle/index.js';
import type { DeliveredFile, TreeState } from '../../src/store/merkle-ledger.js';
import type { StateChange } from '../../src/store/state-change.js';
import { StateConflictError } from '../../src/store/state-change.js';
import type { Trail } from '../../src/store/trail-store.js';
import { TRAILS_SCHEMA } from '../../src/store/postgres/schema/trails.js';
import { STORE_BACKENDS } from '../support/store-backends.js';
import type { TestStores } from '../support/store-backends.js';
import { event } from './event-store.suite.js';

const ACCOUNT = '111122223333';
const arnOf = (name: string, account = ACCOUNT) => `arn:aws:cloudtrail:us-east-1:${account}:trail/${name}`;

function trail(name: string, account = ACCOUNT): Trail {
  return {
    trailArn: arnOf(name, account),
    accountId: account,
    homeRegion: 'us-east-1',
    name,
    config: { S3BucketName: 'bucket', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, LogFileValidationEnabled: true },
    tags: [],
    isLogging: false,
    status: {},
    createdAt: 1000,
  };
}

function channel(name: string): Channel {
  return { channelArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:channel/${name}`, accountId: ACCOUNT, region: 'us-east-1', name, source: 'Custom', destinations: [], tags: [], createdAt: 1 };
}

function file(leafFirst: number, leafLast: number, key: string): DeliveredFile {
  return {
    accountId: ACCOUNT,
    region: 'us-east-1',
    bucket: 'bucket',
    key,
    sha256: 'ab'.repeat(32),
    newestEventTime: '2026-12-01T00:00:01Z',
    oldestEventTime: '2026-12-01T00:00:00Z',
    deliveredAt: 5000,
    leafFirst,
    leafLast,
    leafHashes: Buffer.alloc((leafLast - leafFirst + 1) * 32, leafFirst + 1),
  };
}

for (const backend of STORE_BACKENDS) {
  const available = await backend.available();
  describe.skipIf(!available)(`trail-side ports on ${backend.name}`, () => {
    let stores: TestStores;
    let seq = 0;
    beforeEach(async () => {
      stores = await backend.open();
    });
    afterEach(async () => {
      await stores.close();
    });
    /** Appends a call record carrying the changes; answers the record's position. */
    async function commit(...changes: StateChange[]): Promise<number> {
      return (await stores.events.append([event(++seq)], changes)).events.at(-1)!.seq;
    }
    async function conflictOf(change: StateChange): Promise<string | undefined> {
      try {
        await commit(change);
        return undefined;
      } catch (error) {
        if (error instanceof StateConflictError) return error.reason;
        throw error;
      }
    }

    it('creates, lists, changes and deletes trails; a taken name or a missing trail conflicts', async () => {
      await commit({ kind: 'createTrail', trail: trail('b') }, { kind: 'createTrail', trail: trail('a') });
      await commit({ kind: 'createTrail', trail: trail('a', '444455556666') });
      expect((await stores.trails.list(ACCOUNT)).map((t) => t.name)).toEqual(['a', 'b']);
      expect((await stores.trails.list(ACCOUNT, 'eu-west-1')).map((t) => t.name)).toEqual([]);
      expect(await conflictOf({ kind: 'createTrail', trail: trail('a') })).toBe('exists');
      const config = { ...trail('a').config, S3KeyPrefix: 'p' };
      await commit({ kind: 'setTrailConfig', trailArn: arnOf('a'), config });
      await commit({ kind: 'setTrailSelectors', trailArn: arnOf('a'), selectors: { advanced: [{ Name: 'w', FieldSelectors: [{ Field: 'readOnly', Equals: ['false'] }] }] } as never });
      await commit({ kind: 'setTrailTags', trailArn: arnOf('a'), tags: [{ Key: 'k', Value: 'v' }] });
      await commit({ kind: 'setTrailInsightSelectors', trailArn: arnOf('a'), insightSelectors: [{ InsightType: 'ApiCallRateInsight', EventCategories: ['Management'] }] });
      const a = await stores.trails.get(arnOf('a'));
      expect(a).toMatchObject({ config, tags: [{ Key: 'k', Value: 'v' }], insightSelectors: [{ InsightType: 'ApiCallRateInsight', EventCategories: ['Management'] }] });
      expect(a?.selectors).toBeDefined();
      for (const kind of ['setTrailTags', 'deleteTrail'] as const) {
        expect(await conflictOf({ kind, trailArn: arnOf('nope'), tags: [] })).toBe('missing');
      }
      await commit({ kind: 'deleteTrail', trailArn: arnOf('b') });
      expect(await stores.trails.get(arnOf('b'))).toBeUndefined();
      expect(await stores.cursors.cursor(arnOf('b'))).toBeUndefined();
      expect((await stores.trails.listAll()).map((t) => t.trailArn)).toEqual([arnOf('a'), arnOf('a', '444455556666')]);
    });

    it('moves both cursors on StartLogging and StopLogging, and lists the trails with events to deliver', async () => {
      await commit({ kind: 'createTrail', trail: trail('t') });
      expect(await stores.cursors.cursor(arnOf('t'))).toEqual({ trailArn: arnOf('t'), lastSeq: 0, untilSeq: 0 });
      expect(await stores.trails.listDeliverable()).toEqual([]);
      const start = await commit({ kind: 'startLogging', trailArn: arnOf('t'), timeMs: 2000 });
      expect(await stores.cursors.cursor(arnOf('t'))).toEqual({ trailArn: arnOf('t'), lastSeq: 0, untilSeq: 0, resumeSeq: start - 1 });
      expect(await stores.forwardingCursors.cursor(arnOf('t'))).toEqual({ trailArn: arnOf('t'), lastSeq: 0, untilSeq: 0, resumeSeq: start - 1 });
      expect((await stores.trails.listDeliverable()).map((t) => t.name)).toEqual(['t']);
      await stores.cursors.skipGap(arnOf('t'));
      expect(await stores.cursors.cursor(arnOf('t'))).toEqual({ trailArn: arnOf('t'), lastSeq: start - 1 });
      const stop = await commit({ kind: 'stopLogging', trailArn: arnOf('t'), timeMs: 3000 });
      expect(await stores.cursors.cursor(arnOf('t'))).toEqual({ trailArn: arnOf('t'), lastSeq: start - 1, untilSeq: stop });
      expect((await stores.trails.get(arnOf('t')))?.isLogging).toBe(false);
      // Stopped, delivery not yet at the stop: still deliverable.
      expect((await stores.trails.listDeliverable()).map((t) => t.name)).toEqual(['t']);
      // A change of log group moves forwarding to the call's own record.
      const change = await commit({ kind: 'setTrailConfig', trailArn: arnOf('t'), config: { ...trail('t').config, CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:g:*' } });
      expect((await stores.forwardingCursors.cursor(arnOf('t')))?.lastSeq).toBe(change - 1);
      await stores.forwardingCursors.planBatch(arnOf('t'), change + 5);
      expect((await stores.forwardingCursors.cursor(arnOf('t')))?.batchLastSeq).toBe(change + 5);
      expect(await stores.forwardingCursors.completeBatch(arnOf('t'), change + 4)).toBe(false);
      expect(await stores.forwardingCursors.completeBatch(arnOf('t'), change + 5)).toBe(true);
      expect((await stores.forwardingCursors.cursor(arnOf('t')))?.lastSeq).toBe(change + 5);
    });

    it('merges delivery status fields, and removes those set to null', async () => {
      await commit({ kind: 'createTrail', trail: trail('t') });
      await stores.trails.updateStatus(arnOf('t'), { latestDeliveryTime: 10, latestDeliveryError: 'boom' });
      await stores.trails.updateStatus(arnOf('t'), { latestNotificationTime: 20, latestDeliveryError: null });
      expect((await stores.trails.get(arnOf('t')))?.status).toEqual({ latestDeliveryTime: 10, latestNotificationTime: 20 });
    });

    it('completes only the planned batch, recording its files and trees with the cursor', async () => {
      await commit({ kind: 'createTrail', trail: trail('t') });
      const t = arnOf('t');
      const partition = { trailArn: t, accountId: ACCOUNT, region: 'us-east-1' };
      await stores.cursors.planBatch(t, 10, 5000);
      expect((await stores.cursors.cursor(t))?.batch).toEqual({ lastSeq: 10, deliveryTime: 5000 });
      await stores.cursors.completeBatch(t, 9, { files: [file(0, 1, 'stale')], trees: [] });
      expect(await stores.ledger.lastFileId(partition)).toBe(0);
      await stores.cursors.completeBatch(t, 10, { files: [file(0, 1, 'k1'), file(2, 4, 'k2')], trees: [{ accountId: ACCOUNT, region: 'us-east-1', size: 5, frontier: '[]' }] });
      expect(await stores.cursors.cursor(t)).toMatchObject({ lastSeq: 10 });
      expect((await stores.cursors.cursor(t))?.batch).toBeUndefined();
      expect(await stores.ledger.treeState(partition)).toEqual({ accountId: ACCOUNT, region: 'us-east-1', size: 5, frontier: '[]' });
      expect(await stores.ledger.treePartitions(t)).toEqual([{ accountId: ACCOUNT, region: 'us-east-1' }]);
      const last = await stores.ledger.lastFileId(partition);
      expect((await stores.ledger.deliveredFiles(partition, 0, last)).map((f) => f.key)).toEqual(['k1', 'k2']);
      expect(await stores.ledger.treeSizeAt(partition, last)).toBe(5);
      expect((await stores.ledger.fileForLeaf(partition, 3))?.key).toBe('k2');
      expect(await stores.ledger.fileForLeaf(partition, 9)).toBeUndefined();
      const leaves = await stores.ledger.leafHashes(partition, 5);
      expect(leaves.map((l) => l[0])).toEqual([1, 1, 3, 3, 3]);
      await expect(stores.ledger.leafHashes(partition, 6)).rejects.toThrow(/holds 5 leaves/);
    });

    it('answers proofs and roots from the nodes stored with each batch, equal to those over all leaves; deleting the trail deletes them', async () => {
      await commit({ kind: 'createTrail', trail: trail('t') });
      const t = arnOf('t');
      const regions = ['us-east-1', 'eu-west-1'];
      const leaves = new Map(regions.map((r) => [r, [] as Buffer[]]));
      const trees = new Map(regions.map((r) => [r, CompactTree.empty()]));
      // Batches of uneven sizes, each with a file or two per region, as delivery writes them.
      for (let batch = 1, size = 3; batch <= 12; batch++, size = (size * 37) % 97 + 1) {
        const files: DeliveredFile[] = [];
        const states: TreeState[] = [];
        for (const region of regions) {
          for (const part of [size, batch % 3 === 0 ? 17 : 0].filter((n) => n > 0)) {
            const tree = trees.get(region)!;
            const hashes = Array.from({ length: part }, (_, i) => leafHash(Buffer.from(`${region} ${tree.size + i}`)));
            const first = tree.size;
            for (const h of hashes) tree.append(h);
            leaves.get(region)!.push(...hashes);
            files.push({ ...file(first, tree.size - 1, `${region}-${first}`), region, leafHashes: Buffer.concat(hashes), oldestEventTime: `2026-12-01T00:${String(batch).padStart(2, '0')}:00Z`, newestEventTime: `2026-12-01T00:${String(batch).padStart(2, '0')}:59Z` });
          }
          states.push({ accountId: ACCOUNT, region, size: trees.get(region)!.size, frontier: trees.get(region)!.toJSON() });
        }
        await stores.cursors.planBatch(t, batch, 5000);
        await stores.cursors.completeBatch(t, batch, { files, trees: states });
      }
      for (const region of regions) {
        const all = leaves.get(region)!;
        const p = { trailArn: t, accountId: ACCOUNT, region };
        const n = all.length;
        expect(n).toBeGreaterThan(400);
        for (const size of [0, 1, 15, 16, 17, 255, 256, n - 1, n]) expect((await stores.ledger.rootAt(p, size)).equals(rootOf(all.slice(0, size))), `root at ${size}`).toBe(true);
        for (const [index, size] of [[0, 1], [0, n], [5, n], [16, 300], [n - 1, n], [n - 17, n - 3], [Math.floor(n / 2), n]] as const) {
          expect(await stores.ledger.inclusionProof(p, index, size), `${index} in ${size}`).toEqual(inclusionProof(all, index, size));
        }
        for (const [m, size] of [[0, n], [1, n], [16, 17], [100, 333], [n - 1, n], [n, n]] as const) {
          expect(await stores.ledger.consistencyProof(p, m, size), `${m} -> ${size}`).toEqual(consistencyProof(all, m, size));
        }
        await expect(stores.ledger.inclusionProof(p, 0, n + 16)).rejects.toThrow();
        await expect(stores.ledger.rootAt(p, n + 1)).rejects.toThrow();
        expect(await stores.ledger.leafIndexOf(p, all[123]!, n, '2026-12-01T00:05:30Z')).toBe(123);
        expect(await stores.ledger.leafIndexOf(p, all[123]!, n)).toBe(123);
        expect(await stores.ledger.leafIndexOf(p, all[123]!, 123)).toBeUndefined();
        expect(await stores.ledger.leafIndexOf(p, leafHash(Buffer.from('absent')), n)).toBeUndefined();
      }
      const count = async () => Number((await stores.rawQuery(`SELECT COUNT(*) AS n FROM merkle_tiles WHERE trail_arn = '${t}'`))[0]!.n);
      expect(await count()).toBeGreaterThan(0);
      await commit({ kind: 'deleteTrail', trailArn: t });
      expect(await count()).toBe(0);
    });

    it('answers a trail created again under the same name from its new tree, not from the hashes its first tree left behind', async () => {
      const t = arnOf('t');
      const p = { trailArn: t, accountId: ACCOUNT, region: 'us-east-1' };
      const deliver = async (label: string): Promise<Buffer[]> => {
        const tree = CompactTree.empty();
        const all: Buffer[] = [];
        for (let batch = 1; batch <= 5; batch++) {
          const hashes = Array.from({ length: 100 }, (_, i) => leafHash(Buffer.from(`${label} ${tree.size + i}`)));
          const first = tree.size;
          for (const h of hashes) tree.append(h);
          all.push(...hashes);
          await stores.cursors.planBatch(t, batch, 5000);
          await stores.cursors.completeBatch(t, batch, {
            files: [{ ...file(first, tree.size - 1, `${label}-${first}`), leafHashes: Buffer.concat(hashes) }],
            trees: [{ accountId: ACCOUNT, region: 'us-east-1', size: tree.size, frontier: tree.toJSON() }],
          });
        }
        return all;
      };
      const proofsOf = async (all: Buffer[]) => {
        for (const index of [0, 17, 255, 256, 300, all.length - 1]) {
          expect(await stores.ledger.inclusionProof(p, index, all.length), `${index}`).toEqual(inclusionProof(all, index, all.length));
        }
        expect((await stores.ledger.rootAt(p, all.length)).equals(rootOf(all))).toBe(true);
      };
      await commit({ kind: 'createTrail', trail: trail('t') });
      // Twice: the second time from whatever the first kept.
      const first = await deliver('first');
      await proofsOf(first);
      await proofsOf(first);
      await commit({ kind: 'deleteTrail', trailArn: t });
      await commit({ kind: 'createTrail', trail: trail('t') });
      const second = await deliver('second');
      await proofsOf(second);
      await proofsOf(second);
    });

    it.runIf(backend.name === 'postgres')('fills merkle_tiles from trees delivered before its migration (the migration run again on them)', async () => {
      await commit({ kind: 'createTrail', trail: trail('t') });
      const t = arnOf('t');
      const tree = CompactTree.empty();
      const all: Buffer[] = [];
      for (let batch = 1; batch <= 9; batch++) {
        const hashes = Array.from({ length: 61 * batch }, (_, i) => leafHash(Buffer.from(`leaf ${tree.size + i}`)));
        const first = tree.size;
        for (const h of hashes) tree.append(h);
        all.push(...hashes);
        await stores.cursors.planBatch(t, batch, 5000);
        await stores.cursors.completeBatch(t, batch, {
          files: [{ ...file(first, tree.size - 1, `k${first}`), leafHashes: Buffer.concat(hashes) }],
          trees: [{ accountId: ACCOUNT, region: 'us-east-1', size: tree.size, frontier: tree.toJSON() }],
        });
      }
      const tiles = async () => stores.rawQuery("SELECT band, idx, encode(hashes, 'hex') AS hashes FROM merkle_tiles ORDER BY band, idx");
      const written = await tiles();
      expect(written.length).toBeGreaterThan(0);
      // As a database of the version before: no merkle_tiles, then the migration.
      await stores.rawQuery('DROP TABLE merkle_tiles');
      await stores.rawQuery(TRAILS_SCHEMA.at(-1)!);
      expect(await tiles()).toEqual(written);
      const p = { trailArn: t, accountId: ACCOUNT, region: 'us-east-1' };
      expect((await stores.ledger.rootAt(p, all.length)).equals(rootOf(all))).toBe(true);
      expect(await stores.ledger.inclusionProof(p, 100, all.length)).toEqual(inclusionProof(all, 100, all.length));
    });

    it('plans and completes digests, ends a chain with a final one, and summarises chains', async () => {
      await commit({ kind: 'createTrail', trail: trail('t') });
      const p = { trailArn: arnOf('t'), accountId: ACCOUNT, region: 'us-east-1' };
      expect(await stores.digestChains.digestChain(p)).toBeUndefined();
      await stores.digestChains.planDigest(p, { endTime: 100, maxFileId: 0 });
      expect(await stores.digestChains.digestChain(p)).toEqual({ active: false, lastFileId: 0, pending: { endTime: 100, maxFileId: 0 } });
      const previous = { bucket: 'bucket', key: 'd1', hashValue: 'aa', signature: 'bb' };
      await stores.digestChains.completeDigest(p, { endTime: 100, bucket: 'bucket', key: 'd1', treeSize: 0, rootHash: '00', previous, maxFileId: 0 }, false);
      expect(await stores.digestChains.digestChain(p)).toEqual({ active: true, lastEndTime: 100, previous, lastFileId: 0 });
      await stores.digestChains.planDigest(p, { endTime: 200, maxFileId: 3 });
      await stores.digestChains.completeDigest(p, { endTime: 200, bucket: 'bucket', key: 'd2', treeSize: 3, rootHash: '11', previous, maxFileId: 3 }, true);
      expect(await stores.digestChains.digestChain(p)).toEqual({ active: false, lastEndTime: 200, lastFileId: 3 });
      expect((await stores.digestChains.digests(p)).map((d) => d.key)).toEqual(['d1', 'd2']);
      expect(await stores.digestChains.chainsOfTrail(arnOf('t'))).toEqual([
        { accountId: ACCOUNT, region: 'us-east-1', active: false, digestCount: 2, latest: { accountId: ACCOUNT, region: 'us-east-1', endTime: 200, bucket: 'bucket', key: 'd2', treeSize: 3, rootHash: '11' } },
      ]);
    });

    it('keeps one signing key per region and start, whoever adds it first', async () => {
      const key = { region: 'us-east-1', fingerprint: 'f1', publicKeyDer: Buffer.from([1, 2, 3]), validFromMs: 0, validToMs: 10, sealedPrivateKey: 'sealed' };
      expect(await stores.signingKeys.add(key)).toBe(true);
      expect(await stores.signingKeys.add({ ...key, fingerprint: 'f2' })).toBe(false);
      await stores.signingKeys.add({ ...key, region: 'eu-west-1' });
      expect(await stores.signingKeys.list('us-east-1')).toEqual([key]);
      expect(await stores.signingKeys.listRegions()).toEqual(['eu-west-1', 'us-east-1']);
    });

    it('creates, pages, renames and deletes channels; a taken name conflicts', async () => {
      await commit({ kind: 'createChannel', channel: channel('b') }, { kind: 'createChannel', channel: channel('a') });
      await commit({ kind: 'createChannel', channel: channel('c') });
      expect((await stores.channels.list(ACCOUNT, 'us-east-1', undefined, 2)).map((c) => c.name)).toEqual(['a', 'b']);
      expect((await stores.channels.list(ACCOUNT, 'us-east-1', 'b', 2)).map((c) => c.name)).toEqual(['c']);
      expect(await stores.channels.count(ACCOUNT, 'us-east-1')).toBe(3);
      expect(await conflictOf({ kind: 'updateChannel', channelArn: channel('a').channelArn, name: 'b' })).toBe('exists');
      expect(await conflictOf({ kind: 'updateChannel', channelArn: channel('zz').channelArn, name: 'q' })).toBe('missing');
      await commit({ kind: 'updateChannel', channelArn: channel('a').channelArn, name: 'z', destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds' }] });
      await commit({ kind: 'setChannelTags', channelArn: channel('a').channelArn, tags: [{ Key: 'k' }] });
      expect(await stores.channels.get(channel('a').channelArn)).toMatchObject({ name: 'z', destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds' }], tags: [{ Key: 'k' }] });
      await commit({ kind: 'deleteChannel', channelArn: channel('b').channelArn });
      expect(await conflictOf({ kind: 'deleteChannel', channelArn: channel('b').channelArn })).toBe('missing');
      expect(await stores.channels.count(ACCOUNT, 'us-east-1')).toBe(2);
    });

    it('journals a forwarded call without a record until its own record closes it; claims and releases buckets', async () => {
      const call = { callId: 'c1', accountId: ACCOUNT, region: 'us-east-1', record: '{}', openedAtMs: 7 };
      await stores.events.append([], [{ kind: 'openForwardedCall', call }]);
      expect(await stores.forwardedCalls.inFlight()).toEqual([call]);
      expect(await conflictOf({ kind: 'openForwardedCall', call })).toBe('exists');
      await commit({ kind: 'closeForwardedCall', callId: 'c1' });
      expect(await stores.forwardedCalls.inFlight()).toEqual([]);
      expect(await conflictOf({ kind: 'closeForwardedCall', callId: 'c1' })).toBe('missing');
      await commit({ kind: 'claimBucket', bucket: 'mine', accountId: ACCOUNT, timeMs: 1 }, { kind: 'claimBucket', bucket: 'theirs', accountId: '444455556666', timeMs: 1 });
      expect(await stores.bucketOwners.ownerOf('mine')).toBe(ACCOUNT);
      expect([...(await stores.bucketOwners.ownedByOthers(ACCOUNT))]).toEqual(['theirs']);
      // A stale claim gives way to the account that just created the bucket.
      await commit({ kind: 'claimBucket', bucket: 'theirs', accountId: ACCOUNT, timeMs: 2 });
      expect(await stores.bucketOwners.ownerOf('theirs')).toBe(ACCOUNT);
      await commit({ kind: 'releaseBucket', bucket: 'mine' });
      expect(await stores.bucketOwners.ownerOf('mine')).toBeUndefined();
    });
  });
}
