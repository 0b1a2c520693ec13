/**
 * What `opentrail events import` makes of one log file's records: each checked before any is
 * stored, so a file is imported whole or not at all, and every problem is named by its index in
 * `Records`. Pure: the command reads files and appends; this decides.
 */
import type { PreparedEvent } from '../store/event-store.js';
import { prepareRawEvent } from './prepare-event.js';
import { isIsoDateTime } from './time-format.js';

export interface ImportRules {
  /** The account whose history receives the records. */
  accountId: string;
  /** File every record under this region instead of its awsRegion. */
  region?: string | undefined;
  /** Take records whose recipientAccountId is another account. */
  allowAccountMismatch: boolean;
  /** Records with an eventTime before this (epoch ms) are outside the retention window: skipped. */
  oldestMs: number;
  /** Let trails deliver the records (default: history only). */
  deliverToTrails: boolean;
}

export interface RecordProblem {
  /** Indexes in the file's `Records` array: first to last, consecutive records with one problem. */
  first: number;
  last: number;
  message: string;
}

export interface CheckedRecords {
  /** Ready to append, in file order; empty when there are problems. */
  events: PreparedEvent[];
  problems: RecordProblem[];
  /** Records with a problem (the problems' ranges summed). */
  invalid: number;
  /** Valid records older than the retention window, left out of `events`. */
  tooOld: number;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value) : `a ${typeof value}`;
}

/** Why one record cannot be imported, or undefined when it can. */
function problemOf(record: unknown, rules: ImportRules): string | undefined {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return `is ${describe(record)}, not a record object`;
  const r = record as Record<string, unknown>;
  if (typeof r.eventID !== 'string' || r.eventID === '') return r.eventID === undefined ? 'has no eventID' : `eventID is ${describe(r.eventID)}, not a string`;
  if (r.eventTime === undefined) return 'has no eventTime';
  if (!isIsoDateTime(r.eventTime)) {
    const what = typeof r.eventTime === 'string' ? `eventTime ${describe(r.eventTime)} is` : `eventTime is ${describe(r.eventTime)},`;
    return `${what} not a valid ISO 8601 date-time (such as 2026-01-31T12:00:00Z)`;
  }
  if (rules.region === undefined && (typeof r.awsRegion !== 'string' || r.awsRegion === '')) {
    return r.awsRegion === undefined ? 'has no awsRegion (give --region to file such records under one)' : `awsRegion is ${describe(r.awsRegion)}`;
  }
  if (!rules.allowAccountMismatch && r.recipientAccountId !== undefined && r.recipientAccountId !== rules.accountId) {
    return `recipientAccountId ${describe(r.recipientAccountId)} is not account ${rules.accountId} (--allow-account-mismatch imports it anyway)`;
  }
  return undefined;
}

/** Checks every record (`raw`: each record's exact text, from splitRecords) and prepares them. */
export function checkRecords(raw: readonly string[], rules: ImportRules): CheckedRecords {
  const problems: RecordProblem[] = [];
  const events: PreparedEvent[] = [];
  let tooOld = 0;
  raw.forEach((json, index) => {
    const record = JSON.parse(json) as unknown;
    const problem = problemOf(record, rules);
    if (problem !== undefined) {
      // A whole file of records from another account is one line, not thousands.
      const previous = problems.at(-1);
      if (previous !== undefined && previous.last === index - 1 && previous.message === problem) previous.last = index;
      else problems.push({ first: index, last: index, message: problem });
      return;
    }
    const region = rules.region ?? ((record as { awsRegion: string }).awsRegion);
    const event = prepareRawEvent(rules.accountId, region, json);
    if (event.keys.eventTimeMs < rules.oldestMs) {
      tooOld++;
      return;
    }
    // Idempotent: a record already in the account and region (an earlier import of the same
    // file, or twice in this one) is not stored again.
    events.push({ ...event, idempotent: true, deliverToTrails: rules.deliverToTrails });
  });
  const invalid = problems.reduce((n, p) => n + p.last - p.first + 1, 0);
  return { events: problems.length > 0 ? [] : events, problems, invalid, tooOld };
}
