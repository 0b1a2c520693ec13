/** Messages between the event store and its writer thread. */
import type { AppendResult, PreparedEvent } from '../event-store.js';

export interface WriterData {
  file: string;
}

export type WriterRequest = { type: 'append'; id: number; events: readonly PreparedEvent[] } | { type: 'close' };

export type WriterResponse =
  | { type: 'appended'; id: number; result: AppendResult }
  | { type: 'failed'; id: number; message: string }
  | { type: 'closed' };
