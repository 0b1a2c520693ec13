/**
 * Log events: GetLogEvents (one stream, f/ and b/ tokens), FilterLogEvents (a group's streams,
 * through a filter pattern) and PutLogEvents (a user's own stream; staged, stored with the
 * call's record by the writer thread, with the group's metric filters applied as for ingest).
 */
import type { FilterPattern } from '../../../monitoring/filter-pattern/index.js';
import { FilterPatternError, matchLogEvent, parseFilterPattern } from '../../../monitoring/filter-pattern/index.js';
import type { LogEventInput, LogEventPosition, StoredLogEvent } from '../../../store/monitoring/log-groups.js';
import { eventSize } from '../../../store/monitoring/log-groups.js';
import type { RejectedLogEventsInfo } from '../model.gen.js';
import { authorizationArn, authorizationGroupName, existingGroup, groupNameOfInput } from '../logs-access.js';
import { logsErrors } from '../logs-errors.js';
import { decodeToken, encodeToken, parseStreamToken, streamToken } from '../logs-paging.js';
import type { OperationSpec } from './operation-spec.js';

const DEFAULT_EVENTS_LIMIT = 10_000;
/** Positions before and after every event: the tokens of a page without events. */
const BEFORE_ALL: LogEventPosition = { timestamp: -1e15, id: 0 };
const AFTER_ALL: LogEventPosition = { timestamp: 1e15, id: 0 };

/** A filter pattern of a request: parsed, or InvalidParameterException saying where it failed. */
export function requestPattern(source: string): FilterPattern {
  try {
    return parseFilterPattern(source);
  } catch (error) {
    if (error instanceof FilterPatternError) {
      throw logsErrors.invalidParameter(`Invalid filter pattern at position ${error.position}: ${error.message}`);
    }
    throw error;
  }
}

const isBlank = (pattern: string | undefined) => pattern === undefined || pattern.trim() === '';

export const getLogEvents: OperationSpec<'GetLogEvents'> = {
  authorizationResource: (input, context) => authorizationArn(context, authorizationGroupName(input), input.logStreamName),
  async handle(input, context) {
    const group = await existingGroup(context, groupNameOfInput(context, input));
    const { accountId } = context.caller;
    if ((await context.services.logs.stream(accountId, context.region, group.name, input.logStreamName)) === undefined) throw logsErrors.streamNotFound();
    const token = input.nextToken === undefined ? undefined : parseStreamToken(input.nextToken);
    const direction = token !== undefined ? (token.direction === 'f' ? 'forward' : 'backward') : input.startFromHead === true ? 'forward' : 'backward';
    const found = await context.services.logs.streamEvents(accountId, context.region, group.name, input.logStreamName, {
      ...(input.startTime !== undefined && { startTime: input.startTime }),
      ...(input.endTime !== undefined && { endTime: input.endTime }),
      direction,
      ...(token !== undefined && { from: token.position }),
      limit: input.limit ?? DEFAULT_EVENTS_LIMIT,
    });
    const events = direction === 'forward' ? found : found.reverse();
    const first = events[0];
    const last = events[events.length - 1];
    let forward: string;
    let backward: string;
    if (first !== undefined && last !== undefined) {
      forward = streamToken('f', last);
      backward = streamToken('b', first);
    } else if (token !== undefined) {
      // Nothing more that way: the same token again, which tells a client it has read to the end.
      const p = token.position;
      forward = token.direction === 'f' ? input.nextToken! : streamToken('f', { timestamp: p.timestamp, id: p.id - 1 });
      backward = token.direction === 'b' ? input.nextToken! : streamToken('b', { timestamp: p.timestamp, id: p.id + 1 });
    } else {
      forward = streamToken('f', BEFORE_ALL);
      backward = streamToken('b', AFTER_ALL);
    }
    return {
      events: events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: forward,
      nextBackwardToken: backward,
    };
  },
};

/** Events read per query while filtering, and at most this many scanned per call (a page may then be short, with a nextToken). */
const SCAN_BATCH = 1_000;
const SCAN_BUDGET = 100_000;

export const filterLogEvents: OperationSpec<'FilterLogEvents'> = {
  authorizationResource: (input, context) => authorizationArn(context, authorizationGroupName(input)),
  async handle(input, context) {
    if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
      throw logsErrors.invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
    }
    const pattern = isBlank(input.filterPattern) ? undefined : requestPattern(input.filterPattern!);
    const group = await existingGroup(context, groupNameOfInput(context, input));
    const limit = input.limit ?? DEFAULT_EVENTS_LIMIT;
    let position: LogEventPosition | undefined =
      input.nextToken === undefined ? undefined : decodeToken('FilterLogEvents', input.nextToken, { timestamp: 'number', id: 'number' });
    const matched: StoredLogEvent[] = [];
    let scanned = 0;
    let exhausted = false;
    while (matched.length < limit && scanned < SCAN_BUDGET) {
      const batch = await context.services.logs.groupEvents(context.caller.accountId, context.region, group.name, {
        ...(input.logStreamNames !== undefined && { streamNames: input.logStreamNames }),
        ...(input.logStreamNamePrefix !== undefined && { streamPrefix: input.logStreamNamePrefix }),
        ...(input.startTime !== undefined && { startTime: input.startTime }),
        ...(input.endTime !== undefined && { endTime: input.endTime }),
        ...(position !== undefined && { after: position }),
        limit: SCAN_BATCH,
      });
      for (const event of batch) {
        scanned++;
        position = { timestamp: event.timestamp, id: event.id };
        if (pattern === undefined || matchLogEvent(pattern, event.message) !== undefined) matched.push(event);
        if (matched.length === limit) break;
      }
      if (batch.length < SCAN_BATCH && matched.length < limit) {
        exhausted = true;
        break;
      }
    }
    return {
      events: matched.map((e) => ({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: String(e.id).padStart(20, '0'),
      })),
      searchedLogStreams: [],
      ...(!exhausted && position !== undefined && { nextToken: encodeToken('FilterLogEvents', { timestamp: position.timestamp, id: position.id }) }),
    };
  },
};

const MAX_BATCH_BYTES = 1_048_576;
const MAX_SPAN_MS = 24 * 3_600_000;
const TOO_NEW_MS = 2 * 3_600_000;
const TOO_OLD_MS = 14 * 86_400_000;
const DAY_MS = 86_400_000;

export const putLogEvents: OperationSpec<'PutLogEvents'> = {
  authorizationResource: (input, context) => authorizationArn(context, input.logGroupName, input.logStreamName),
  async handle(input, context) {
    const events = input.logEvents;
    for (let i = 1; i < events.length; i++) {
      if (events[i]!.timestamp < events[i - 1]!.timestamp) {
        throw logsErrors.invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
      }
    }
    if (events.length > 0 && events[events.length - 1]!.timestamp - events[0]!.timestamp > MAX_SPAN_MS) {
      throw logsErrors.invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    }
    if (events.reduce((sum, e) => sum + eventSize(e.message), 0) > MAX_BATCH_BYTES) {
      throw logsErrors.invalidParameter(`The batch of log events is larger than ${MAX_BATCH_BYTES} bytes (each event counts its message's UTF-8 bytes plus 26).`);
    }
    const group = await existingGroup(context, input.logGroupName);
    const { accountId } = context.caller;
    if ((await context.services.logs.stream(accountId, context.region, group.name, input.logStreamName)) === undefined) throw logsErrors.streamNotFound();

    const now = context.nowMs;
    const tooOldBefore = now - TOO_OLD_MS;
    const expiredBefore = group.retentionInDays === undefined ? -Infinity : now - group.retentionInDays * DAY_MS;
    const rejected: RejectedLogEventsInfo = {};
    const accepted: LogEventInput[] = [];
    events.forEach((e, index) => {
      if (e.timestamp > now + TOO_NEW_MS) rejected.tooNewLogEventStartIndex ??= index;
      else if (e.timestamp < tooOldBefore) rejected.tooOldLogEventEndIndex = index + 1;
      else if (e.timestamp < expiredBefore) rejected.expiredLogEventEndIndex = index + 1;
      else accepted.push({ timestamp: e.timestamp, message: e.message });
    });
    if (accepted.length > 0) {
      context.stage(
        { kind: 'putLogEvents', target: { accountId, region: context.region, logGroupName: group.name, logStreamName: input.logStreamName }, events: accepted, nowMs: now },
        { missing: logsErrors.streamNotFound() },
      );
    }
    return Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {};
  },
};
