/**
 * The delivery-cursor port: how far each trail has delivered the event log, and the batch it is
 * delivering. StopLogging and StartLogging set the stop and resume positions through staged
 * state changes (./state-change.ts); the delivery worker moves the cursor through this port.
 */
import type { DeliveredFile, TreeState } from './merkle-ledger.js';

export interface DeliveryCursor {
  trailArn: string;
  /** Events with seq <= lastSeq are delivered (or were skipped). */
  lastSeq: number;
  /** Set by StopLogging: events after it are not delivered... */
  untilSeq?: number;
  /** ...until StartLogging: delivery resumes after this position (the gap is skipped). */
  resumeSeq?: number;
  /** A planned batch not yet confirmed: (lastSeq, batchLastSeq] at batchDeliveryTime. */
  batch?: { lastSeq: number; deliveryTime: number };
}

export interface DeliveryCursorStore {
  cursor(trailArn: string): Promise<DeliveryCursor | undefined>;
  /** Records the batch about to be delivered, so a crash redoes exactly it. */
  planBatch(trailArn: string, batchLastSeq: number, deliveryTime: number): Promise<void>;
  /** Delivery reached the stop position and logging was restarted: skip the stopped gap. */
  skipGap(trailArn: string): Promise<void>;
  /**
   * The planned batch is delivered: in one transaction the cursor moves to its end, the files
   * are recorded in the Merkle ledger, and the trees take their new states. Nothing is recorded
   * when the batch is no longer the planned one (StartLogging reset the cursor meanwhile).
   */
  completeBatch(trailArn: string, batchLastSeq: number, delivered: { files: DeliveredFile[]; trees: TreeState[] }): Promise<void>;
}
