/**
 * OpenTrail's Merkle extension, checked without trusting the server: one tree per trail and
 * region over every delivered record, in delivery order. From the valid digests (signed
 * `openTrailMerkle` tree heads and per-file `openTrailLeafRange`s) and the records of their log
 * files, this rebuilds the tree from leaf 0 and requires:
 *
 * - the files' leaf ranges tile [0, treeSize) with no gap and no overlap, across digests and
 *   across logging gaps (a gap between digests means a digest is missing or invalid);
 * - each file has exactly as many records as its range has leaves;
 * - the rebuilt root at every digest's treeSize equals its signed rootHash (so every older tree
 *   head is a prefix of every newer one: append-only), and treeSize never shrinks in time;
 * - with a trusted digest kept from earlier: the bucket's newest digest is not older or smaller
 *   than it (else the tail was truncated), and the rebuilt root at its size equals its rootHash.
 */
import { CompactTree, HASH_SIZE, toHex } from '../merkle/index.js';
import type { LogFileResult } from './log-file-check.js';
import type { VerifiedDigest } from './types.js';

export interface MerkleFile {
  bucket: string;
  key: string;
  range: { first: number; last: number } | null;
  result: LogFileResult;
}

export interface MerkleDigest {
  verified: VerifiedDigest;
  files: MerkleFile[];
}

/** A digest the user kept: where it was, its tree head and end time (its signature already checked). */
export interface TrustedHead {
  location: string;
  treeSize: number;
  rootHash: string;
  endMs: number;
}

export type MerkleResult =
  | { status: 'valid'; leaves: number }
  | { status: 'invalid'; reasons: string[] }
  | { status: 'unavailable'; reason: string };

const s3 = (d: { bucket: string; key: string }) => `s3://${d.bucket}/${d.key}`;
const span = (first: number, last: number) => (first === last ? `leaf ${first}` : `leaves ${first}..${last}`);

function byTime(a: VerifiedDigest, b: VerifiedDigest): number {
  return a.endMs - b.endMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export function checkMerkle(digests: readonly MerkleDigest[], trusted?: TrustedHead): MerkleResult {
  const withoutTree = digests.find((d) => d.verified.digest.openTrailMerkle === null);
  if (withoutTree !== undefined) {
    const reason = `${s3(withoutTree.verified)} has no openTrailMerkle`;
    return trusted === undefined ? { status: 'unavailable', reason } : { status: 'invalid', reasons: [reason] };
  }
  if (digests.length === 0) {
    if (trusted === undefined) return { status: 'unavailable', reason: 'no valid digest' };
    return { status: 'invalid', reasons: [`tail truncated: the trusted digest ${trusted.location} (treeSize ${trusted.treeSize}) is newer than every digest in the bucket (none is valid)`] };
  }
  const reasons: string[] = [];
  const size = (d: MerkleDigest) => d.verified.digest.openTrailMerkle!.treeSize;

  const inTime = [...digests].sort((a, b) => byTime(a.verified, b.verified));
  inTime.forEach((d, i) => {
    const before = inTime[i - 1];
    if (before !== undefined && size(d) < size(before)) {
      reasons.push(`treeSize shrinks from ${size(before)} at ${s3(before.verified)} to ${size(d)} at ${s3(d.verified)}`);
    }
  });
  const newest = inTime[inTime.length - 1]!;
  if (trusted !== undefined && (size(newest) < trusted.treeSize || newest.verified.endMs < trusted.endMs)) {
    reasons.push(
      `tail truncated: the trusted digest ${trusted.location} (treeSize ${trusted.treeSize}, ending ${new Date(trusted.endMs).toISOString()}) ` +
        `is newer than the newest digest in the bucket, ${s3(newest.verified)} (treeSize ${size(newest)}, ending ${new Date(newest.verified.endMs).toISOString()})`,
    );
  }

  const tree = CompactTree.empty();
  let broken = false; // the rebuilt tree stops at the first problem: later roots cannot be compared
  const breakWith = (reason: string) => {
    reasons.push(reason);
    broken = true;
  };
  const checkTrusted = () => {
    if (!broken && trusted !== undefined && tree.size === trusted.treeSize && toHex(tree.root()) !== trusted.rootHash) {
      breakWith(`the rebuilt tree at treeSize ${trusted.treeSize} does not match the rootHash of the trusted digest ${trusted.location}`);
    }
  };
  checkTrusted();

  let expected = 0;
  let previous: MerkleDigest | undefined;
  const inTree = [...digests].sort((a, b) => size(a) - size(b) || byTime(a.verified, b.verified));
  for (const d of inTree) {
    const name = s3(d.verified);
    const missingBetween = (from: number, to: number) =>
      breakWith(`${span(from, to)} are in no valid digest: a digest ${previous === undefined ? 'before' : `between ${s3(previous.verified)} and`} ${name} is missing or invalid`);
    const files = [...d.files].sort((a, b) => (a.range?.first ?? -1) - (b.range?.first ?? -1));
    files.forEach((file, i) => {
      if (file.range === null) {
        breakWith(`log file ${s3(file)} in ${name} has no openTrailLeafRange`);
        return;
      }
      const { first, last } = file.range;
      if (first > expected) {
        if (i === 0) missingBetween(expected, first - 1);
        else breakWith(`the leaf ranges of ${name} are not contiguous: ${span(expected, first - 1)} are in none of its files`);
      } else if (first < expected) {
        breakWith(`the leaf range ${first}..${last} of ${s3(file)} overlaps leaves listed before it`);
      }
      expected = Math.max(expected, last + 1);
      if (broken) return;
      const result = file.result;
      if (!result.valid) return breakWith(`cannot rebuild ${span(first, last)}: log file ${s3(file)} is INVALID (${result.reason})`);
      if (result.leaves === undefined) return breakWith(`cannot rebuild ${span(first, last)}: the records of ${s3(file)} cannot be read (${result.leafProblem ?? 'not read'})`);
      const count = result.leaves.length / HASH_SIZE;
      if (count !== last - first + 1) return breakWith(`log file ${s3(file)} has ${count} records, its leaf range ${first}..${last} has ${last - first + 1}`);
      for (let at = 0; at < result.leaves.length; at += HASH_SIZE) {
        tree.append(result.leaves.subarray(at, at + HASH_SIZE));
        checkTrusted();
      }
    });
    const treeSize = size(d);
    if (treeSize > expected) {
      if (files.length === 0) missingBetween(expected, treeSize - 1);
      else breakWith(`the leaf ranges of ${name} end at ${expected - 1}, not at its treeSize ${treeSize} - 1`);
    } else if (treeSize < expected) {
      breakWith(`${name} lists leaves up to ${expected - 1}, beyond its treeSize ${treeSize}`);
    }
    expected = treeSize;
    if (!broken && tree.size === treeSize && toHex(tree.root()) !== d.verified.digest.openTrailMerkle!.rootHash) {
      breakWith(`the rebuilt tree at treeSize ${treeSize} does not match the rootHash of ${name}`);
    }
    previous = d;
  }
  return reasons.length > 0 ? { status: 'invalid', reasons } : { status: 'valid', leaves: tree.size };
}
