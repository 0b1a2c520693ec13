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
