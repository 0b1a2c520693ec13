/**
 * One digest of one trail in one region: the files recorded since the chain's last digest, the
 * tree head after them, CloudTrail's JSON and signature, written at CloudTrail's key with the
 * signature in the object's metadata. The digest is planned first (end time, last file), so a
 * crash rebuilds exactly the same one.
 */
import type { Clock } from '../../core/clock.js';
import { digestKey } from '../../core/log-file.js';
import { buildSignedDigest } from '../../integrity/digest/digest-writer.js';
import type { SigningKeyRing } from '../../integrity/keys/index.js';
import { rootOf, toHex } from '../../integrity/merkle/index.js';
import type { ObjectStore } from '../../objects/object-store.js';
import type { DeliveryCursorStore } from '../../store/delivery-cursor-store.js';
import type { DigestChain, DigestChainStore } from '../../store/digest-chain-store.js';
import type { MerkleLedger } from '../../store/merkle-ledger.js';
import type { Trail, TrailStore } from '../../store/trail-store.js';

export interface DigestDeps {
  /** The trails and their digest delivery status. */
  trails: TrailStore;
  /** A stopped trail's final digest waits for its delivery to reach the stop. */
  cursors: DeliveryCursorStore;
  /** The files and tree heads a digest lists. */
  ledger: MerkleLedger;
  digestChains: DigestChainStore;
  objects: ObjectStore;
  keyRing: SigningKeyRing;
  clock: Clock;
  /** Digest period: a chain gets its next digest once this long has passed since the last. */
  intervalMs: number;
}

/** When the window of the chain's next digest starts. */
export function windowStart(trail: Trail, chain: DigestChain | undefined): number {
  if (chain?.active === true && chain.lastEndTime !== undefined) return chain.lastEndTime;
  // A new chain starts when logging (re)started, never before the previous chain's end.
  return Math.max(chain?.lastEndTime ?? 0, trail.startLoggingTime ?? trail.createdAt);
}

/** What the chain needs now: nothing, its next digest, or a final one (logging or validation stopped). */
export function digestDue(trail: Trail, chain: DigestChain | undefined, nowMs: number, intervalMs: number): 'none' | 'next' | 'final' {
  const wanted = trail.isLogging && trail.config.LogFileValidationEnabled;
  if (!wanted) return chain?.active === true || chain?.pending !== undefined ? 'final' : 'none';
  if (chain?.pending !== undefined) return 'next';
  return nowMs - windowStart(trail, chain) >= intervalMs ? 'next' : 'none';
}

export async function writeDigest(trail: Trail, region: string, final: boolean, deps: DigestDeps): Promise<void> {
  let chain = await deps.digestChains.digestChain(trail.trailArn, region);
  if (chain?.pending === undefined) {
    // Digest keys carry the end time to the second: two digests ending in the same second would
    // share a key, the second overwriting the first and pointing to itself. Wait for the next second.
    const last = chain?.lastEndTime;
    if (last !== undefined && Math.floor(deps.clock.now() / 1000) <= Math.floor(last / 1000)) {
      await new Promise((resolve) => setTimeout(resolve, (Math.floor(last / 1000) + 1) * 1000 - deps.clock.now() + 5));
    }
    await deps.digestChains.planDigest(trail.trailArn, region, { endTime: deps.clock.now(), maxFileId: await deps.ledger.lastFileId(trail.trailArn, region) });
    chain = await deps.digestChains.digestChain(trail.trailArn, region);
  }
  const pending = chain!.pending!;
  const startTimeMs = Math.min(windowStart(trail, chain), pending.endTime);
  const previous = chain!.active ? chain!.previous : undefined;
  const files = await deps.ledger.deliveredFiles(trail.trailArn, region, chain!.lastFileId, pending.maxFileId);
  const treeSize = await deps.ledger.treeSizeAt(trail.trailArn, region, pending.maxFileId);
  const rootHash = toHex(rootOf(await deps.ledger.leafHashes(trail.trailArn, region, treeSize)));
  const bucket = trail.config.S3BucketName;
  const key = digestKey({
    ...(trail.config.S3KeyPrefix !== undefined && trail.config.S3KeyPrefix !== '' && { prefix: trail.config.S3KeyPrefix }),
    accountId: trail.accountId,
    region,
    trailName: trail.name,
    homeRegion: trail.homeRegion,
    endTimeMs: pending.endTime,
  });
  const signingKey = await deps.keyRing.current(region, pending.endTime);
  const digest = buildSignedDigest(
    {
      accountId: trail.accountId,
      startTimeMs,
      endTimeMs: pending.endTime,
      bucket,
      key,
      ...(previous !== undefined && { previous }),
      logFiles: files.map((f) => ({
        s3Bucket: f.bucket,
        s3Object: f.key,
        hashValue: f.sha256,
        newestEventTime: f.newestEventTime,
        oldestEventTime: f.oldestEventTime,
        leafRange: { first: f.leafFirst, last: f.leafLast },
      })),
      merkle: { treeSize, rootHash },
    },
    signingKey,
  );
  await deps.objects.putObject({
    bucket,
    key,
    body: digest.gzip,
    contentType: 'application/json',
    metadata: digest.metadata,
    encryption: trail.config.KmsKeyId !== undefined ? { type: 'aws:kms', kmsKeyId: trail.config.KmsKeyId } : { type: 'AES256' },
  });
  await deps.digestChains.completeDigest(
    trail.trailArn,
    region,
    { region, endTime: pending.endTime, bucket, key, treeSize, rootHash, previous: digest.asPrevious, maxFileId: pending.maxFileId },
    final,
  );
  await deps.trails.updateStatus(trail.trailArn, { latestDigestDeliveryTime: deps.clock.now(), latestDigestDeliveryError: null });
}

/** The regions a trail keeps digest chains in: its home, and for a multi-region trail every region it delivered to. */
export async function digestRegions(trail: Trail, ledger: MerkleLedger): Promise<string[]> {
  const regions = new Set([trail.homeRegion]);
  if (trail.config.IsMultiRegionTrail) for (const region of await ledger.treeRegions(trail.trailArn)) regions.add(region);
  return [...regions].sort();
}

/** A stopped trail's final digest waits until its last files (up to StopLogging) are delivered. */
async function deliveryCaughtUp(trail: Trail, cursors: DeliveryCursorStore): Promise<boolean> {
  const cursor = await cursors.cursor(trail.trailArn);
  return cursor === undefined || cursor.untilSeq === undefined || cursor.lastSeq >= cursor.untilSeq;
}

/** Every chain of the trail that is due gets its digest; failures propagate (the worker retries). */
export async function digestTrail(trail: Trail, deps: DigestDeps, force: 'final' | undefined = undefined): Promise<void> {
  for (const region of await digestRegions(trail, deps.ledger)) {
    const chain = await deps.digestChains.digestChain(trail.trailArn, region);
    const due = force === 'final' ? (chain?.active === true || trail.isLogging ? 'final' : 'none') : digestDue(trail, chain, deps.clock.now(), deps.intervalMs);
    if (due === 'none') continue;
    if (due === 'final' && force === undefined && !(await deliveryCaughtUp(trail, deps.cursors))) continue;
    await writeDigest(trail, region, due === 'final', deps);
  }
}
