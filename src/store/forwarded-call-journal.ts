/**
 * The gateway's write-ahead journal, read side. Entries are written and removed only through
 * the event log (StateChange openForwardedCall / closeForwardedCall), so an entry leaves in the
 * same transaction that appends its call's record. What is left after a crash are the calls
 * that may have reached their upstream without a record: recovery records them.
 */
import type { ForwardedCallInFlight } from './state-change.js';

export type { ForwardedCallInFlight } from './state-change.js';

export interface ForwardedCallJournal {
  /** Calls journaled and not yet recorded, oldest first. */
  inFlight(): Promise<ForwardedCallInFlight[]>;
}
