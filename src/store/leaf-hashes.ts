/**
 * A tree's leaves from the ledger's file rows, for either store: the rows must follow each other
 * leaf by leaf and hold all `treeSize` leaves, or a root or proof over a shorter or gapped tree
 * would be signed as if whole.
 */
import type { TrailPartition } from './trail-partition.js';

export interface LeafRow {
  first: number;
  last: number;
  hashes: Buffer;
}

/** The account in a trail ARN (arn:aws:cloudtrail:<region>:<account>:trail/<name>). */
function accountOfTrailArn(trailArn: string): string | undefined {
  return trailArn.split(':')[4];
}

/** `rows` in leaf order, those starting below treeSize. */
export function joinLeafHashes(rows: readonly LeafRow[], partition: TrailPartition, treeSize: number): Buffer[] {
  const where = `${partition.trailArn}${partition.accountId === accountOfTrailArn(partition.trailArn) ? '' : ` for account ${partition.accountId}`} in ${partition.region}`;
  const leaves: Buffer[] = [];
  for (const row of rows) {
    if (row.first !== leaves.length || row.hashes.length !== (row.last - row.first + 1) * 32) {
      throw new Error(`the Merkle ledger of ${where} is inconsistent at leaf ${leaves.length} (a file holds leaves ${row.first}-${row.last} with ${row.hashes.length} bytes of hashes)`);
    }
    for (let i = 0; i < row.hashes.length && leaves.length < treeSize; i += 32) leaves.push(row.hashes.subarray(i, i + 32));
  }
  if (leaves.length < treeSize) {
    throw new Error(`the Merkle ledger of ${where} holds ${leaves.length} leaves, not the ${treeSize} asked for`);
  }
  return leaves;
}

/** Leaf hashes [lo, hi) from the file rows overlapping it, in leaf order; throws on a gap or a shortfall. */
export function sliceLeafHashes(rows: readonly LeafRow[], partition: TrailPartition, lo: number, hi: number): Buffer[] {
  const where = `${partition.trailArn}${partition.accountId === accountOfTrailArn(partition.trailArn) ? '' : ` for account ${partition.accountId}`} in ${partition.region}`;
  const leaves: Buffer[] = [];
  for (const row of rows) {
    const at = lo + leaves.length;
    if (row.first > at || row.last < at || row.hashes.length !== (row.last - row.first + 1) * 32) {
      throw new Error(`the Merkle ledger of ${where} is inconsistent at leaf ${at} (a file holds leaves ${row.first}-${row.last} with ${row.hashes.length} bytes of hashes)`);
    }
    for (let i = at; i <= row.last && i < hi; i++) leaves.push(row.hashes.subarray((i - row.first) * 32, (i - row.first + 1) * 32));
    if (lo + leaves.length >= hi) break;
  }
  if (lo + leaves.length < hi) throw new Error(`the Merkle ledger of ${where} holds no leaves ${lo + leaves.length}-${hi - 1}`);
  return leaves;
}

/**
 * The index of the first leaf equal to `leaf` in the rows (any order), below treeSize: a
 * 32-byte-aligned search of each file's hashes.
 */
export function findLeaf(rows: readonly LeafRow[], leaf: Buffer, treeSize: number): number | undefined {
  let found: number | undefined;
  for (const row of rows) {
    for (let at = row.hashes.indexOf(leaf); at >= 0; at = row.hashes.indexOf(leaf, at + 1)) {
      if (at % 32 !== 0) continue;
      const index = row.first + at / 32;
      if (index < treeSize && (found === undefined || index < found)) found = index;
      break;
    }
  }
  return found;
}
