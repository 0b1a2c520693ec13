/**
 * One digest of one trail in one partition (an account's events in one region: an organization
 * trail has a chain per account of its organization): the files recorded since the chain's last
 * digest, the tree head after them, CloudTrail's JSON and signature, written at CloudTrail's key
 * with the signature in the object's metadata. The digest is planned first (end time, last
 * file), so a crash rebuilds exactly the same one.
 */
import type { Clock } from '../../core/clock.js';
import { digestKey } from '../../core/log-file.js';
import { buildSignedDigest } from '../../integrity/digest/digest-writer.js';
import type { SigningKeyRing } from '../../integrity/keys/index.js';
import { toHex } from '../../integrity/merkle/index.js';
import type { ObjectStore } from '../../objects/object-store.js';
import type { DeliveryCursorStore } from '../../store/delivery-cursor-store.js';
import type { DigestChain, DigestChainStore } from '../../store/digest-chain-store.js';
import type { MerkleLedger } from '../../store/merkle-ledger.js';
import type { Trail, TrailStore } from '../../store/trail-store.js';
import type { TrailPartition } from '../../store/trail-partition.js';
import { comparePartitions } from '../../store/trail-partition.js';
import type { OrganizationScope } from '../../core/delivery-plan.js';
import { organizationScope } from '../organization-scope.js';
import type { OrganizationDirectory } from '../organization-scope.js';

export interface DigestDeps {
  /** The trails and their digest delivery status. */
  trails: TrailStore;
  /** A stopped trail's final digest waits for its delivery to reach the stop. */
  cursors: DeliveryCursorStore;
  /** The files and tree heads a digest lists. */
  ledger: MerkleLedger;
  /** The accounts an organization trail keeps chains for. */
  organizations: OrganizationDirectory;
  digestChains: DigestChainStore;
  objects: ObjectStore;
  keyRing: SigningKeyRing;
  clock: Clock;
  /** Digest period: a chain gets its next digest once this long has passed since the last. */
  intervalMs: number;
  /** Runs a trail's digests alone among the nodes sharing the store (see DeliveryDeps.exclusively). */
  exclusively?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

/**
 * When the window of the chain's next digest starts. `joinedAt`: when the chain's account
 * joined the organization of an organization trail (its chain starts no earlier).
 */
export function windowStart(trail: Trail, chain: DigestChain | undefined, joinedAt = Number.NEGATIVE_INFINITY): number {
  if (chain?.active === true && chain.lastEndTime !== undefined) return chain.lastEndTime;
  // A new chain starts when logging (re)started, never before the previous chain's end.
  return Math.max(chain?.lastEndTime ?? 0, trail.startLoggingTime ?? trail.createdAt, joinedAt);
}

/** What the chain needs now: nothing, its next digest, or a final one (logging or validation stopped). */
export function digestDue(trail: Trail, chain: DigestChain | undefined, nowMs: number, intervalMs: number, joinedAt = Number.NEGATIVE_INFINITY): 'none' | 'next' | 'final' {
  const wanted = trail.isLogging && trail.config.LogFileValidationEnabled;
  if (!wanted) return chain?.active === true || chain?.pending !== undefined ? 'final' : 'none';
  if (chain?.pending !== undefined) return 'next';
  return nowMs - windowStart(trail, chain, joinedAt) >= intervalMs ? 'next' : 'none';
}

/** A chain to write to: the partition, and for an organization trail its organization. */
export interface DigestTarget {
  partition: TrailPartition;
  organization?: OrganizationScope;
}

function joinedAtOf(target: DigestTarget): number {
  return target.organization?.joinedAt.get(target.partition.accountId) ?? Number.NEGATIVE_INFINITY;
}

export async function writeDigest(trail: Trail, target: DigestTarget, final: boolean, deps: DigestDeps): Promise<void> {
  const { partition, organization } = target;
  const { region } = partition;
  let chain = await deps.digestChains.digestChain(partition);
  if (chain?.pending === undefined) {
    // Digest keys carry the end time to the second: two digests ending in the same second would
    // share a key, the second overwriting the first and pointing to itself. Wait for the next second.
    const last = chain?.lastEndTime;
    if (last !== undefined && Math.floor(deps.clock.now() / 1000) <= Math.floor(last / 1000)) {
      await new Promise((resolve) => setTimeout(resolve, (Math.floor(last / 1000) + 1) * 1000 - deps.clock.now() + 5));
    }
    await deps.digestChains.planDigest(partition, { endTime: deps.clock.now(), maxFileId: await deps.ledger.lastFileId(partition) });
    chain = await deps.digestChains.digestChain(partition);
  }
  const pending = chain!.pending!;
  const startTimeMs = Math.min(windowStart(trail, chain, joinedAtOf(target)), pending.endTime);
  const previous = chain!.active ? chain!.previous : undefined;
  const files = await deps.ledger.deliveredFiles(partition, chain!.lastFileId, pending.maxFileId);
  const treeSize = await deps.ledger.treeSizeAt(partition, pending.maxFileId);
  const rootHash = toHex(await deps.ledger.rootAt(partition, treeSize));
  const bucket = trail.config.S3BucketName;
  // An organization trail's digest belongs to the account whose files it lists, under the organization's folder.
  const key = digestKey({
    ...(trail.config.S3KeyPrefix !== undefined && trail.config.S3KeyPrefix !== '' && { prefix: trail.config.S3KeyPrefix }),
    ...(organization !== undefined && { organizationId: organization.organizationId }),
    accountId: partition.accountId,
    region,
    trailName: trail.name,
    homeRegion: trail.homeRegion,
    endTimeMs: pending.endTime,
  });
  const signingKey = await deps.keyRing.current(region, pending.endTime);
  const digest = buildSignedDigest(
    {
      accountId: partition.accountId,
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
    partition,
    { endTime: pending.endTime, bucket, key, treeSize, rootHash, previous: digest.asPrevious, maxFileId: pending.maxFileId },
    final,
  );
  await deps.trails.updateStatus(trail.trailArn, { latestDigestDeliveryTime: deps.clock.now(), latestDigestDeliveryError: null });
}

/**
 * The chains a trail keeps: for each account it logs (its own; every account of the organization
 * for an organization trail), one in the home region and one in every other region it
 * delivered that account's files to.
 */
export async function digestTargets(trail: Trail, deps: Pick<DigestDeps, 'ledger' | 'organizations'>): Promise<DigestTarget[]> {
  const organization = await organizationScope(trail, deps.organizations);
  const accounts = organization === undefined ? [trail.accountId] : [...organization.joinedAt.keys()];
  const partitions = new Map(accounts.map((accountId) => [`${accountId}/${trail.homeRegion}`, { accountId, region: trail.homeRegion }]));
  for (const tree of await deps.ledger.treePartitions(trail.trailArn)) {
    if (accounts.includes(tree.accountId)) partitions.set(`${tree.accountId}/${tree.region}`, tree);
  }
  return [...partitions.values()]
    .sort(comparePartitions)
    .map((p) => ({ partition: { trailArn: trail.trailArn, ...p }, ...(organization !== undefined && { organization }) }));
}

/** A stopped trail's final digest waits until its last files (up to StopLogging) are delivered. */
async function deliveryCaughtUp(trail: Trail, cursors: DeliveryCursorStore): Promise<boolean> {
  const cursor = await cursors.cursor(trail.trailArn);
  return cursor === undefined || cursor.untilSeq === undefined || cursor.lastSeq >= cursor.untilSeq;
}

/** Every chain of the trail that is due gets its digest; failures propagate (the worker retries). */
export async function digestTrail(trail: Trail, deps: DigestDeps, force: 'final' | undefined = undefined): Promise<void> {
  const pass = async () => digestTargetsDue(trail, deps, force);
  return deps.exclusively === undefined ? pass() : deps.exclusively(`digests:${trail.trailArn}`, pass);
}

/** A stopped trail with validation whose chain never covered its last delivered files. */
async function filesLeftUndigested(trail: Trail, chain: DigestChain | undefined, target: DigestTarget, deps: DigestDeps): Promise<boolean> {
  if (trail.isLogging || !trail.config.LogFileValidationEnabled || chain?.active === true) return false;
  return (await deps.ledger.lastFileId(target.partition)) > (chain?.lastFileId ?? 0);
}

async function digestTargetsDue(trail: Trail, deps: DigestDeps, force: 'final' | undefined): Promise<void> {
  for (const target of await digestTargets(trail, deps)) {
    const chain = await deps.digestChains.digestChain(target.partition);
    let due = force === 'final' ? (chain?.active === true || trail.isLogging ? 'final' : 'none') : digestDue(trail, chain, deps.clock.now(), deps.intervalMs, joinedAtOf(target));
    // A trail stopped before its first digest still has its files signed: one final digest.
    if (due === 'none' && (await filesLeftUndigested(trail, chain, target, deps))) due = 'final';
    if (due === 'none') continue;
    if (due === 'final' && force === undefined && !(await deliveryCaughtUp(trail, deps.cursors))) continue;
    await writeDigest(trail, target, due === 'final', deps);
  }
}
