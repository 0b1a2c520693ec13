/**
 * One trail's delivery, batch after batch, until it has caught up with the event log:
 *
 *   read the log after the cursor → plan the batch (durably: its end and delivery time)
 *   → build one gzipped log file per region → put each object → move the cursor → notify.
 *
 * A crash anywhere redoes the planned batch: the same events, delivery time and keys, hence the
 * same bytes under the same keys. No event is lost and none is delivered twice.
 */
import type { Clock } from '../../core/clock.js';
import { batchEnd, planFiles, planInsightFiles } from '../../core/delivery-plan.js';
import { errorMessage } from '../../core/error-message.js';
import type { ObjectStore } from '../../objects/object-store.js';
import type { EventStore } from '../../store/event-store.js';
import type { DeliveryCursorStore } from '../../store/delivery-cursor-store.js';
import type { DeliveredFile, MerkleLedger, TreeState } from '../../store/merkle-ledger.js';
import type { Trail, TrailStore } from '../../store/trail-store.js';
import type { PlannedFile } from '../../core/delivery-plan.js';
import { CompactTree } from '../../integrity/merkle/index.js';
import { accountsRead, organizationScope } from '../organization-scope.js';
import type { OrganizationDirectory } from '../organization-scope.js';

export interface DeliveryDeps {
  events: EventStore;
  /** The trails' delivery status. */
  trails: TrailStore;
  cursors: DeliveryCursorStore;
  /** The trees' states before the batch (completing it records the new ones through `cursors`). */
  ledger: MerkleLedger;
  /** The accounts an organization trail logs. */
  organizations: OrganizationDirectory;
  objects: ObjectStore;
  clock: Clock;
  /** Events read per batch at most. */
  maxBatchEvents: number;
  /** Uncompressed bytes per log file at most (a batch is cut before it would exceed this). */
  maxFileBytes: number;
  /**
   * Runs a trail's delivery alone among the nodes sharing the store: the worker's pass and a
   * DeleteTrail's last delivery on another node must not plan batches of the same trail at once
   * (absent: one process, nothing to exclude).
   */
  exclusively?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

export class DeliveryError extends Error {
  /** Set when recording this failure in the trail's status failed too (logged beside it). */
  statusError?: unknown;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/**
 * The batch's files as the trail's Merkle trees see them: each file's records become the next
 * leaves of its partition's tree (account and region). Computed from the trees' states before
 * the batch, so a redone batch extends them identically.
 */
async function extendTrees(trail: Trail, bucket: string, files: PlannedFile[], deliveryTime: number, deps: DeliveryDeps): Promise<{ files: DeliveredFile[]; trees: TreeState[] }> {
  const trees = new Map<string, { accountId: string; region: string; tree: CompactTree }>();
  const delivered: DeliveredFile[] = [];
  for (const planned of files) {
    const id = `${planned.accountId}/${planned.region}`;
    let partition = trees.get(id);
    if (partition === undefined) {
      const state = await deps.ledger.treeState({ trailArn: trail.trailArn, accountId: planned.accountId, region: planned.region });
      partition = { accountId: planned.accountId, region: planned.region, tree: state === undefined ? CompactTree.empty() : CompactTree.fromJSON(state.frontier) };
      trees.set(id, partition);
    }
    const { tree } = partition;
    const leafFirst = tree.size;
    for (const leaf of planned.leafHashes) tree.append(leaf);
    delivered.push({
      accountId: planned.accountId,
      region: planned.region,
      bucket,
      key: planned.key,
      sha256: planned.file.sha256,
      newestEventTime: planned.newestEventTime,
      oldestEventTime: planned.oldestEventTime,
      deliveredAt: deliveryTime,
      leafFirst,
      leafLast: tree.size - 1,
      leafHashes: Buffer.concat(planned.leafHashes),
    });
  }
  return { files: delivered, trees: [...trees.values()].map(({ accountId, region, tree }) => ({ accountId, region, size: tree.size, frontier: tree.toJSON() })) };
}

/** Called after each delivered batch with its keys (notifications are sent from there). */
export type OnDelivered = (trail: Trail, bucket: string, keys: string[]) => void;

/**
 * Delivers what is pending for the trail; resolves when caught up. Any failure of a pass
 * (reading the log, planning, putting, extending the trees, completing the batch) is recorded as
 * the trail's LatestDeliveryError and rethrown as a DeliveryError carrying that first cause;
 * a failure to record the status never replaces it.
 */
export async function deliverTrail(trail: Trail, deps: DeliveryDeps, onDelivered: OnDelivered): Promise<number> {
  const pass = async () => deliverPending(trail, deps, onDelivered);
  return deps.exclusively === undefined ? pass() : deps.exclusively(`delivery:${trail.trailArn}`, pass);
}

async function deliverPending(trail: Trail, deps: DeliveryDeps, onDelivered: OnDelivered): Promise<number> {
  let delivered = 0;
  for (;;) {
    const attemptTime = deps.clock.now();
    let batch: { files: PlannedFile[]; eventCount: number } | 'caught-up';
    try {
      batch = await deliverNextBatch(trail, deps, attemptTime);
    } catch (error) {
      const failure = new DeliveryError(`delivering trail ${trail.name} to ${deps.objects.kind} bucket ${trail.config.S3BucketName} failed: ${errorMessage(error)}`, { cause: error });
      await deps.trails.updateStatus(trail.trailArn, { latestDeliveryAttemptTime: attemptTime, latestDeliveryError: errorMessage(error) }).catch((statusError: unknown) => {
        failure.statusError = statusError;
      });
      throw failure;
    }
    if (batch === 'caught-up') return delivered;
    if (batch.files.length > 0) {
      onDelivered(trail, trail.config.S3BucketName, batch.files.map((f) => f.key));
    }
    delivered += batch.eventCount;
  }
}

/** One batch: planned (or the one planned before a crash), put, recorded. */
async function deliverNextBatch(trail: Trail, deps: DeliveryDeps, attemptTime: number): Promise<{ files: PlannedFile[]; eventCount: number } | 'caught-up'> {
  for (;;) {
    const cursor = await deps.cursors.cursor(trail.trailArn);
    if (cursor === undefined) return 'caught-up'; // deleted meanwhile
    const organization = await organizationScope(trail, deps.organizations);
    let end: number;
    let deliveryTime: number;
    if (cursor.batch !== undefined) {
      end = cursor.batch.lastSeq;
      deliveryTime = cursor.batch.deliveryTime;
    } else {
      if (cursor.untilSeq !== undefined && cursor.lastSeq >= cursor.untilSeq) {
        if (cursor.resumeSeq === undefined) return 'caught-up';
        await deps.cursors.skipGap(trail.trailArn);
        continue;
      }
      const ahead = await deps.events.readRange(accountsRead(trail, organization), cursor.lastSeq, cursor.untilSeq, deps.maxBatchEvents);
      if (ahead.length === 0) return 'caught-up';
      end = batchEnd(ahead, deps.maxFileBytes);
      deliveryTime = deps.clock.now();
      await deps.cursors.planBatch(trail.trailArn, end, deliveryTime);
    }
    const entries = await deps.events.readRange(accountsRead(trail, organization), cursor.lastSeq, end, Number.MAX_SAFE_INTEGER);
    const files = planFiles(trail, entries, { firstSeq: cursor.lastSeq + 1, lastSeq: end }, deliveryTime, organization);
    const insightFiles = planInsightFiles(trail, entries, { firstSeq: cursor.lastSeq + 1, lastSeq: end }, deliveryTime);
    const bucket = trail.config.S3BucketName;
    for (const planned of [...files, ...insightFiles]) {
      await deps.objects.putObject({
        bucket,
        key: planned.key,
        body: planned.file.gzip,
        contentType: 'application/json',
        encryption: trail.config.KmsKeyId !== undefined ? { type: 'aws:kms', kmsKeyId: trail.config.KmsKeyId } : { type: 'AES256' },
      });
    }
    await deps.cursors.completeBatch(trail.trailArn, end, await extendTrees(trail, bucket, files, deliveryTime, deps));
    if (files.length + insightFiles.length > 0) {
      await deps.trails.updateStatus(trail.trailArn, { latestDeliveryTime: deps.clock.now(), latestDeliveryAttemptTime: attemptTime, latestDeliveryError: null });
    }
    return { files, eventCount: files.reduce((n, f) => n + f.eventCount, 0) };
  }
}
