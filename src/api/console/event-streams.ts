/**
 * The console's two streams over the event history, each opened by one LookupEvents call made
 * through the pipeline (authorized by the user's policies and recorded like any other):
 *
 * - download: everything the filter matches, newest first, written page by page as it is read
 *   (CSV or JSON), from one snapshot of the log (the last position when the download began);
 * - live tail: server-sent events of what is appended after the stream opened and matches the
 *   filter, read by log position as appends are announced.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import { lookupKeysOf } from '../../core/lookup-keys.js';
import type { CloudTrailRecord } from '../../core/record.js';
import type { Caller } from '../../iam/caller.js';
import type { LookupEventsRequest } from '../../services/cloudtrail/model.gen.js';
import { historyFilterOf } from '../../services/cloudtrail/operations/lookup-events.js';
import type { HistoryFilter } from '../../services/cloudtrail/operations/lookup-events.js';
import { eventOf } from '../../services/cloudtrail/operations/event-shape.js';
import type { EventStore, LookupPosition } from '../../store/event-store.js';
import type { LocalCall } from '../pipeline.js';
import { ConsoleError, SECURITY_HEADERS } from './console-http.js';
import { csvHeader, csvRow } from './events-csv.js';
import { matchesHistoryFilter } from './history-match.js';
import type { ConsoleSession, ConsoleSessions } from './sessions.js';

const DOWNLOAD_PAGE = 1000;
/** The tail reads at most this many events per pass; beyond, it skips ahead and says how many it skipped. */
const TAIL_BATCH = 1000;
const TAIL_MIN_INTERVAL_MS = 250;
const HEARTBEAT_MS = 15_000;

export interface StreamDeps {
  events: EventStore;
  logger: Logger;
  clock: Clock;
  retentionDays: number;
  sessions: ConsoleSessions;
  /** Whether the session is open and its key still active (a stream checks before it writes). */
  stillSignedIn(session: ConsoleSession): Promise<boolean>;
  /** The pipeline's local call (steps 4-8): authorizes, validates and records the opening call. */
  invoke(call: LocalCall): Promise<unknown>;
}

/** Who is asking, for the opening call's record. */
export interface StreamCaller {
  caller: Caller;
  session: ConsoleSession;
  region: string;
  sourceIPAddress: string;
  userAgent: string;
}

/** The `query` parameter: LookupEvents' input without paging. */
export function parseHistoryQuery(text: string | null): LookupEventsRequest {
  if (text === null || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConsoleError('ValidationException', 'query must be JSON: LookupEvents input without MaxResults and NextToken.', 400);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConsoleError('ValidationException', 'query must be a JSON object.', 400);
  const { LookupAttributes, StartTime, EndTime, EventCategory } = value as Record<string, unknown>;
  return { LookupAttributes, StartTime, EndTime, EventCategory } as LookupEventsRequest;
}

/** The opening LookupEvents call; its errors (AccessDenied, a bad attribute) end the stream before it starts. */
async function openingCall(input: LookupEventsRequest, who: StreamCaller, deps: StreamDeps): Promise<HistoryFilter> {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  await deps.invoke({
    service: 'cloudtrail',
    operation: 'LookupEvents',
    input: defined,
    caller: who.caller,
    sourceIPAddress: who.sourceIPAddress,
    userAgent: who.userAgent,
    region: who.region,
    fromConsole: true,
  });
  return historyFilterOf(input, deps.clock.now(), deps.retentionDays);
}

/** Writes and waits for the socket to take it when its buffer is full; false once the client is gone. */
async function write(res: ServerResponse, chunk: string): Promise<boolean> {
  // Ended (shutdown ends open streams) or gone: a write now would be an error event nobody handles.
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(chunk)) return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

export async function download(format: string | null, input: LookupEventsRequest, who: StreamCaller, res: ServerResponse, deps: StreamDeps): Promise<void> {
  if (format !== 'csv' && format !== 'json') throw new ConsoleError('ValidationException', 'format must be csv or json.', 400);
  const filter = await openingCall(input, who, deps);
  const maxSeq = await deps.events.lastSeq();
  const stamp = new Date(deps.clock.now()).toISOString().replace(/[-:]/g, '').slice(0, 15);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
    'content-disposition': `attachment; filename="event-history-${who.region}-${stamp}Z.${format}"`,
  });
  let first = true;
  if (!(await write(res, format === 'csv' ? csvHeader() : '{"Records":['))) return;
  let after: LookupPosition | undefined;
  for (;;) {
    const rows = await deps.events.lookup({ accountId: who.caller.accountId, region: who.region, ...filter, maxSeq, ...(after && { after }), limit: DOWNLOAD_PAGE });
    if (rows.length > 0) {
      const chunk =
        format === 'csv'
          ? rows.map((row) => csvRow(JSON.parse(row.json) as CloudTrailRecord)).join('')
          : rows.map((row, i) => (first && i === 0 ? '' : ',') + row.json).join('');
      first = false;
      if (!(await write(res, chunk))) return;
    }
    const last = rows.at(-1);
    if (rows.length < DOWNLOAD_PAGE || last === undefined) break;
    after = { timeMs: last.timeMs, seq: last.seq };
  }
  res.end(format === 'csv' ? '' : ']}');
}

export async function tail(input: LookupEventsRequest, who: StreamCaller, res: ServerResponse, deps: StreamDeps): Promise<void> {
  const filter = await openingCall(input, who, deps);
  let position = await deps.events.lastSeq();
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
  /** Writes unless the stream has ended: a pass or heartbeat may finish after shutdown or sign-out ended it. */
  const emit = (text: string) => {
    if (!closed && !res.destroyed && !res.writableEnded) res.write(text);
  };
  const accountId = who.caller.accountId;
  let running = false;
  let again = false;
  let lastPassMs = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  emit(': tailing\n\n');

  const end = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    cancelOnEnd();
    if (timer !== undefined) clearTimeout(timer);
    unsubscribe();
    if (!res.destroyed && !res.writableEnded) res.end('event: end\ndata: {}\n\n');
  };
  const pass = async () => {
    running = true;
    lastPassMs = deps.clock.now();
    try {
      // Nothing more once the session has ended or its key is gone, whatever was appended.
      if (!(await deps.stillSignedIn(who.session))) {
        end();
        return;
      }
      const entries = await deps.events.readAfter(position, TAIL_BATCH);
      const newest = entries.at(-1);
      if (newest === undefined) return;
      position = newest.seq;
      const matching = [];
      for (const entry of entries) {
        if (entry.accountId !== accountId || entry.region !== who.region) continue;
        const record = JSON.parse(entry.json) as CloudTrailRecord;
        if (matchesHistoryFilter(lookupKeysOf(record), filter)) matching.push(eventOf(record, entry.json));
      }
      if (entries.length === TAIL_BATCH) {
        // Far behind: go to the end of the log rather than fall further behind; say so.
        const last = await deps.events.lastSeq();
        if (last > position) {
          emit(`event: skipped\ndata: ${JSON.stringify({ positions: last - position })}\n\n`);
          position = last;
        }
      }
      if (matching.length > 0) emit(`event: events\ndata: ${JSON.stringify(matching.reverse())}\n\n`);
    } finally {
      running = false;
      if (again && !closed) schedule();
    }
  };
  const schedule = () => {
    again = false;
    const wait = Math.max(0, lastPassMs + TAIL_MIN_INTERVAL_MS - deps.clock.now());
    timer = setTimeout(() => {
      timer = undefined;
      pass().catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'live tail stopped: reading the log failed');
        end();
      });
    }, wait);
  };
  const onAppended = () => {
    if (closed) return;
    if (running || timer !== undefined) {
      again = true;
      return;
    }
    schedule();
  };
  const heartbeat = setInterval(() => {
    deps
      .stillSignedIn(who.session)
      .then((open) => (open ? emit(': still here\n\n') : end()))
      .catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'live tail stopped: its session could not be checked');
        end();
      });
  }, HEARTBEAT_MS);
  const unsubscribe = deps.events.onAppended(onAppended);
  // Sign-out ends the stream at once, not at the next heartbeat.
  const cancelOnEnd = deps.sessions.whenEnded(who.session, end);
  res.once('close', end);
}
