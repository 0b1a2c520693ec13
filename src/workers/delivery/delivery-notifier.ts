/** How delivery announces a delivered batch (SNS, webhook); implemented in server/. */
import type { Trail } from '../../store/trail-store.js';

export interface DeliveryNotifier {
  /** Announces the batch's log files; rejects with a message for GetTrailStatus on failure. */
  notify(trail: Trail, bucket: string, keys: readonly string[]): Promise<void>;
}

/** Whether this trail has anywhere to send notifications. */
export type NotifierFor = (trail: Trail) => DeliveryNotifier | undefined;
