/** Messages between the event store and its writer thread. */
import type { AppendResult, PreparedEvent } from '../event-store.js';
import type { ConflictReason, StateChange } from '../state-change.js';

export interface WriterData {
  file: string;
}

export type WriterRequest =
  | { type: 'append'; id: number; events: readonly PreparedEvent[]; changes: readonly StateChange[] }
  | { type: 'close' };

export type WriterResponse =
  | { type: 'appended'; id: number; result: AppendResult }
  | { type: 'failed'; id: number; message: string; conflict?: { index: number; reason: ConflictReason } }
  /** The index fell behind by a failed chunk (retried): for the log, not for any caller. */
  | { type: 'indexFailed'; message: string }
  | { type: 'closed' };
