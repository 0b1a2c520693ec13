/**
 * The writer thread of the SQLite event log. It owns the only connection that appends events,
 * and group-commits: every append that arrives before the next turn of its event loop joins
 * one transaction, and each is answered only after that transaction's fsync. Running here,
 * the commit's fsync no longer stops the main thread from reading and checking requests.
 *
 * Each append runs in its own savepoint inside the group's transaction: its events, then the
 * state changes of the call they record. One append that fails (a change in conflict, a
 * constraint) is rolled back alone and answered with its failure; the others still commit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AppendResult } from '../event-store.js';
import { openSqliteDatabase } from './database.js';
import { EventWriter } from './event-writer.js';
import { ChangeConflict, StateChangeWriter } from './state-changes.js';
import type { WriterData, WriterRequest, WriterResponse } from './writer-protocol.js';

type AppendRequest = Extract<WriterRequest, { type: 'append' }>;

const port = parentPort!;
const db = openSqliteDatabase((workerData as WriterData).file);
const writer = new EventWriter(db);
const stateWriter = new StateChangeWriter(db);
let pending: AppendRequest[] = [];
let scheduled = false;

function post(message: WriterResponse): void {
  port.postMessage(message);
}

/** Thrown inside a savepoint to roll it back; carries what to answer. */
class AppendFailure extends Error {
  readonly response: WriterResponse;

  constructor(response: WriterResponse) {
    super(response.type);
    this.response = response;
  }
}

function appendOne(request: AppendRequest): AppendResult {
  const result = writer.insertAll(request.events);
  if (request.changes.length > 0) {
    // The call's own record is the last event of its append. Only the gateway's journal entry
    // comes without one: it is written before its call has an outcome to record.
    const callSeq = result.events.at(-1)?.seq;
    if (callSeq === undefined && !request.changes.every((change) => change.kind === 'openForwardedCall')) {
      throw new Error('state changes need the record of the call that makes them');
    }
    request.changes.forEach((change, index) => {
      try {
        stateWriter.apply(change, callSeq ?? 0);
      } catch (error) {
        if (!(error instanceof ChangeConflict)) throw error;
        throw new AppendFailure({ type: 'failed', id: request.id, message: error.message, conflict: { index, reason: error.reason } });
      }
    });
  }
  return result;
}

const inSavepoint = db.transaction((request: AppendRequest): WriterResponse => {
  return { type: 'appended', id: request.id, result: appendOne(request) };
});

function flush(): void {
  scheduled = false;
  const batch = pending;
  pending = [];
  if (batch.length === 0) return;
  try {
    // BEGIN IMMEDIATE: take the write lock first (waiting on busy_timeout). A deferred
    // transaction that reads first (the idempotency check) and then writes fails at once with
    // SQLITE_BUSY when another connection (the main thread's: delivery cursors and ledger, trail
    // status, digest chains) committed in between.
    const responses = db
      .transaction(() =>
        batch.map((request): WriterResponse => {
          try {
            return inSavepoint(request);
          } catch (error) {
            // SQLite rolled back the whole transaction (e.g. disk full): nothing of the batch stands.
            if (!db.inTransaction) throw error;
            if (error instanceof AppendFailure) return error.response;
            return { type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) };
          }
        }),
      )
      .immediate();
    for (const response of responses) post(response);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const request of batch) post({ type: 'failed', id: request.id, message });
  }
}

port.on('message', (request: WriterRequest) => {
  if (request.type === 'append') {
    pending.push(request);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    return;
  }
  flush();
  db.close();
  post({ type: 'closed' });
  port.close();
});
