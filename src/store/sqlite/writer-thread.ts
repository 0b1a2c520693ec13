/**
 * The writer thread of the SQLite event log. It owns the only connection that appends events,
 * and group-commits: every append that arrives before the next turn of its event loop joins
 * one transaction, and each is answered only after that transaction's fsync. Running here,
 * the commit's fsync no longer stops the main thread from reading and checking requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDatabase } from './database.js';
import { EventWriter } from './event-writer.js';
import type { WriterData, WriterRequest, WriterResponse } from './writer-protocol.js';

const port = parentPort!;
const db = openSqliteDatabase((workerData as WriterData).file);
const writer = new EventWriter(db);
let pending: Extract<WriterRequest, { type: 'append' }>[] = [];
let scheduled = false;

function post(message: WriterResponse): void {
  port.postMessage(message);
}

function flush(): void {
  scheduled = false;
  const batch = pending;
  pending = [];
  if (batch.length === 0) return;
  try {
    // BEGIN IMMEDIATE: take the write lock first (waiting on busy_timeout). A deferred
    // transaction that reads first (the idempotency check) and then writes fails at once with
    // SQLITE_BUSY when another connection (the trail store) committed in between.
    const results = db.transaction(() => batch.map((request) => writer.insertAll(request.events))).immediate();
    batch.forEach((request, i) => post({ type: 'appended', id: request.id, result: results[i]! }));
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
