/**
 * A child process for the Merkle-ledger crash test (test/reliability/merkle-nodes-crash.test.ts):
 * appends delivered batches to a trail's tree in a SQLite ledger, forever, the way delivery does
 * (the tree state read from the ledger, the batch planned, then completed in one transaction),
 * printing each completed batch's tree size. Leaf i of region r is leafHash("r i"), so the test
 * knows what every stored leaf must be. Run compiled: node dist/test/support/merkle-appender.js <db> <trail ARN>
 */
import { pathToFileURL } from 'node:url';
import { CompactTree, leafHash } from '../../src/integrity/merkle/index.js';
import type { DeliveredFile, TreeState } from '../../src/store/merkle-ledger.js';
import { openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { SqliteDeliveryCursorStore } from '../../src/store/sqlite/delivery-cursor-store.js';
import { SqliteMerkleLedger } from '../../src/store/sqlite/merkle-ledger.js';

export const APPENDER_ACCOUNT = '111122223333';
export const APPENDER_REGIONS = ['us-east-1', 'eu-west-1'];

/** The leaf hash the appender gives leaf `index` of a region's tree. */
export function appendedLeaf(region: string, index: number): Buffer {
  return leafHash(Buffer.from(`${region} ${index}`));
}

async function main(file: string, trailArn: string): Promise<void> {
  const db = openSqliteDatabase(file);
  const cursors = new SqliteDeliveryCursorStore(db);
  const ledger = new SqliteMerkleLedger(db);
  let seq = (await cursors.cursor(trailArn))?.lastSeq ?? 0;
  for (let batch = 0; ; batch++) {
    const files: DeliveredFile[] = [];
    const trees: TreeState[] = [];
    for (const region of APPENDER_REGIONS) {
      const state = await ledger.treeState({ trailArn, accountId: APPENDER_ACCOUNT, region });
      const tree = state === undefined ? CompactTree.empty() : CompactTree.fromJSON(state.frontier);
      // Files of uneven sizes, some crossing the stored levels' boundaries.
      for (let f = 0; f < 1 + (batch % 3); f++) {
        const count = 1 + ((batch * 131 + f * 17 + tree.size) % 97);
        const first = tree.size;
        const hashes = Array.from({ length: count }, (_, i) => appendedLeaf(region, first + i));
        for (const h of hashes) tree.append(h);
        files.push({
          accountId: APPENDER_ACCOUNT,
          region,
          bucket: 'b',
          key: `${region}/${first}`,
          sha256: '00'.repeat(32),
          newestEventTime: '2026-12-01T00:00:00Z',
          oldestEventTime: '2026-12-01T00:00:00Z',
          deliveredAt: 0,
          leafFirst: first,
          leafLast: tree.size - 1,
          leafHashes: Buffer.concat(hashes),
        });
      }
      trees.push({ accountId: APPENDER_ACCOUNT, region, size: tree.size, frontier: tree.toJSON() });
    }
    seq++;
    await cursors.planBatch(trailArn, seq, 0);
    await cursors.completeBatch(trailArn, seq, { files, trees });
    process.stdout.write(`${trees.map((t) => t.size).join(' ')}\n`);
  }
}

// Only when run as the child, not when the test imports appendedLeaf from here.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, trailArn] = process.argv.slice(2);
  if (file === undefined || trailArn === undefined) throw new Error('usage: merkle-appender <database file> <trail ARN>');
  await main(file, trailArn);
}
