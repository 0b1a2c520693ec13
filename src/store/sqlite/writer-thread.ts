/**
 * The writer thread of the SQLite event log. It owns the only connection that appends events,
 * and group-commits: every append that arrives before the next turn of its event loop joins
 * one transaction, and each is answered only after that transaction's fsync. Running here,
 * the commit's fsync no longer stops the main thread from reading and checking requests.
 *
 * Each append runs in its own savepoint inside the group's transaction: its events, then the
 * state changes of the call they record. One append that fails (a change in conflict, a
 * constraint) is rolled back alone and answered with its failure; the others still commit.
 *
 * Between commits the thread keeps the lookup index up with the log (event-indexer.ts): in
 * chunks while appends pause, and before them when the index lags too far, which bounds both the
 * unindexed tail that lookups scan and the memory of its event ids.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AppendResult } from '../event-store.js';
import { openSqliteDatabase, WRITER_CACHE_MB } from './database.js';
import { EventIndexer } from './event-indexer.js';
import { EventWriter } from './event-writer.js';
import { ChangeConflict, StateChangeWriter } from './state-changes.js';
import { UnindexedEventIds } from './unindexed-event-ids.js';
import type { WriterData, WriterRequest, WriterResponse } from './writer-protocol.js';

type AppendRequest = Extract<WriterRequest, { type: 'append' }>;

const port = parentPort!;
/** Events indexed per transaction: large enough that each index page is written once per chunk. */
const INDEX_CHUNK = 10_000;
/** Fewer unindexed events than this wait for a pause in appends (or INDEX_IDLE_MS without one). */
const INDEX_MIN_CHUNK = 2_000;
/** More than this, and the index is brought under it before further appends are taken: it bounds the tail a lookup scans. */
const INDEX_MAX_LAG = 20_000;
const INDEX_IDLE_MS = 20;

const db = openSqliteDatabase((workerData as WriterData).file, { cacheMb: WRITER_CACHE_MB });
const indexer = new EventIndexer(db);
// A tail left unindexed by a crash (or a log of an older version) is indexed before any append:
// the idempotency check then needs the ids of this process's appends only.
indexer.catchUp(INDEX_CHUNK);
const unindexed = new UnindexedEventIds();
const writer = new EventWriter(db, unindexed);
const stateWriter = new StateChangeWriter(db);
let pending: AppendRequest[] = [];
let scheduled = false;
let lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM events').pluck().get() as number;
let indexTimer: NodeJS.Timeout | undefined;

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
  unindexed.beginSavepoint();
  try {
    return { type: 'appended', id: request.id, result: appendOne(request) };
  } catch (error) {
    unindexed.rollbackSavepoint();
    throw error;
  }
});

function indexLag(): number {
  return lastSeq - indexer.head;
}

/** One chunk; false when it failed. The index is derived: a failed chunk is retried later. */
function indexChunk(): boolean {
  try {
    // Nothing after the head although positions were handed out: the newest rows were purged.
    if (indexer.indexNext(INDEX_CHUNK) === 0) lastSeq = indexer.head;
    unindexed.indexedUpTo(indexer.head);
    return true;
  } catch (error) {
    post({ type: 'indexFailed', message: error instanceof Error ? error.message : String(error) });
    return false;
  }
}

/** After a commit: index now if far behind, at the next pause if a chunk is due, else when idle. */
function scheduleIndexing(): void {
  while (indexLag() > INDEX_MAX_LAG) if (!indexChunk()) break;
  if (indexLag() === 0 || indexTimer !== undefined) return;
  const wait = indexLag() >= INDEX_MIN_CHUNK ? 0 : INDEX_IDLE_MS;
  indexTimer = setTimeout(() => {
    indexTimer = undefined;
    // Appends that came meanwhile go first; their flush schedules indexing again.
    if (pending.length > 0) return;
    if (indexChunk()) scheduleIndexing();
    else indexTimer = setTimeout(() => { indexTimer = undefined; scheduleIndexing(); }, 1000);
  }, wait);
}

function flush(): void {
  scheduled = false;
  const batch = pending;
  pending = [];
  if (batch.length === 0) return;
  unindexed.beginTransaction();
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
    for (const response of responses) {
      if (response.type === 'appended') for (const event of response.result.events) lastSeq = Math.max(lastSeq, event.seq);
      post(response);
    }
  } catch (error) {
    unindexed.rollbackTransaction();
    const message = error instanceof Error ? error.message : String(error);
    for (const request of batch) post({ type: 'failed', id: request.id, message });
  }
  scheduleIndexing();
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
  clearTimeout(indexTimer);
  db.close();
  post({ type: 'closed' });
  port.close();
});
