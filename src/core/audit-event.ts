/**
 * Custom audit events (cloudtrail-data PutAuditEvents): validation of one caller-supplied
 * `eventData` against CloudTrail's integration schema, and the record it becomes.
 *
 * The record wraps the caller's eventData the way CloudTrail Lake stores integration events:
 * CloudTrail's own fields (eventVersion, eventCategory ActivityAuditLog, eventType ActivityLog,
 * eventID, eventTime, awsRegion, recipientAccountId, metadata) around `eventData`, which keeps
 * the caller's exact text.
 */
import { createHash } from 'node:crypto';
// The policy parser's scanner: the same question (does a key repeat?) for another document.
import { findDuplicateKey } from './json-text.js';
import { isObject } from './is-object.js';
import { MAX_JSON_DEPTH } from './json-depth.js';
import { jsonTextShape, parsedMembers } from './json-shape.js';
import type { LookupKeys } from './lookup-keys.js';
import { lookupKeysOf } from './lookup-keys.js';
import { EVENT_VERSION } from './record.js';
import { isoSeconds } from './time-format.js';

export type AuditEventErrorCode = 'FieldTooLong' | 'FieldNotFound' | 'InvalidChecksum' | 'InvalidData' | 'InvalidRecipient' | 'InvalidEventSource';

export interface AuditEventFailure {
  errorCode: AuditEventErrorCode;
  errorMessage: string;
}

export interface ValidAuditEvent {
  /** The caller's eventData, parsed. */
  data: Record<string, unknown>;
  eventTimeMs: number;
}

/** A single event's data may not exceed this (bytes of UTF-8). */
export const MAX_EVENT_DATA_BYTES = 256 * 1024;
/**
 * Objects and arrays nested in one eventData at most (the eventData object itself is level 1).
 * Audit records are read by many tools, some of them recursive; 64 is far beyond real events.
 */
export const MAX_EVENT_DATA_DEPTH = MAX_JSON_DEPTH;

type FieldType = 'string' | 'object';
interface FieldRule {
  type: FieldType;
  required: boolean;
  maxLength?: number;
}

const FIELDS: Record<string, FieldRule> = {
  version: { type: 'string', required: true, maxLength: 64 },
  userIdentity: { type: 'object', required: true },
  userAgent: { type: 'string', required: false, maxLength: 1024 },
  eventSource: { type: 'string', required: true, maxLength: 1024 },
  eventName: { type: 'string', required: true, maxLength: 1024 },
  eventTime: { type: 'string', required: true, maxLength: 64 },
  UID: { type: 'string', required: true, maxLength: 1024 },
  requestParameters: { type: 'object', required: false },
  responseElements: { type: 'object', required: false },
  errorCode: { type: 'string', required: false, maxLength: 1024 },
  errorMessage: { type: 'string', required: false, maxLength: 4096 },
  sourceIPAddress: { type: 'string', required: false, maxLength: 1024 },
  recipientAccountId: { type: 'string', required: false, maxLength: 12 },
  additionalEventData: { type: 'object', required: false },
};

const IDENTITY_FIELDS: Record<string, FieldRule> = {
  type: { type: 'string', required: true, maxLength: 1024 },
  principalId: { type: 'string', required: true, maxLength: 1024 },
  details: { type: 'object', required: false },
};

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function checkFields(value: Record<string, unknown>, rules: Record<string, FieldRule>, path: string): AuditEventFailure | undefined {
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(rules, key)) return { errorCode: 'InvalidData', errorMessage: `Unknown field ${path}${key}.` };
  }
  for (const [key, rule] of Object.entries(rules)) {
    const field = value[key];
    if (field === undefined || field === null) {
      if (rule.required) return { errorCode: 'FieldNotFound', errorMessage: `Required field ${path}${key} is missing.` };
      continue;
    }
    const ok = rule.type === 'object' ? isObject(field) : typeof field === 'string';
    if (!ok) return { errorCode: 'InvalidData', errorMessage: `Field ${path}${key} must be a JSON ${rule.type}.` };
    if (rule.maxLength !== undefined && (field as string).length > rule.maxLength) {
      return { errorCode: 'FieldTooLong', errorMessage: `Field ${path}${key} is longer than ${rule.maxLength} characters.` };
    }
  }
  return undefined;
}

/** Validates one audit event for a channel of `accountId`. */
export function validateAuditEvent(
  eventData: string,
  checksum: string | undefined,
  accountId: string,
): ValidAuditEvent | AuditEventFailure {
  if (Buffer.byteLength(eventData) > MAX_EVENT_DATA_BYTES) {
    return { errorCode: 'FieldTooLong', errorMessage: `eventData is larger than ${MAX_EVENT_DATA_BYTES} bytes.` };
  }
  if (checksum !== undefined && createHash('sha256').update(eventData).digest('base64') !== checksum) {
    return { errorCode: 'InvalidChecksum', errorMessage: 'eventDataChecksum does not match the SHA-256 of eventData.' };
  }
  let data: unknown;
  try {
    data = JSON.parse(eventData);
  } catch {
    return { errorCode: 'InvalidData', errorMessage: 'eventData is not valid JSON.' };
  }
  // JSON.parse takes any depth; records are serialised and hashed recursively, so nothing
  // deeper than the bound is handed on.
  const shape = jsonTextShape(eventData);
  if (shape.depth > MAX_EVENT_DATA_DEPTH) {
    return { errorCode: 'InvalidData', errorMessage: `eventData nests objects and arrays more than ${MAX_EVENT_DATA_DEPTH} levels deep.` };
  }
  if (!isObject(data)) return { errorCode: 'InvalidData', errorMessage: 'eventData must be a JSON object.' };
  // JSON.parse keeps the last of two equal keys, so the index would show one value and a reader
  // of the stored text might take the other: an audit record must say one thing. The text has
  // more members than the value exactly when a key repeats; only then is it looked for.
  const duplicate = shape.members === parsedMembers(data) ? undefined : findDuplicateKey(eventData);
  if (duplicate !== undefined) {
    return { errorCode: 'InvalidData', errorMessage: `eventData has the key "${duplicate.slice(0, 128)}" more than once in one object.` };
  }
  const problem = checkFields(data, FIELDS, '') ?? checkFields(data.userIdentity as Record<string, unknown>, IDENTITY_FIELDS, 'userIdentity.');
  if (problem !== undefined) return problem;
  const eventTime = data.eventTime as string;
  const eventTimeMs = Date.parse(eventTime);
  if (!ISO_8601.test(eventTime) || Number.isNaN(eventTimeMs)) {
    return { errorCode: 'InvalidData', errorMessage: 'eventTime must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z.' };
  }
  if (data.recipientAccountId !== undefined && data.recipientAccountId !== accountId) {
    return { errorCode: 'InvalidRecipient', errorMessage: 'recipientAccountId must be the account that owns the channel.' };
  }
  // AWS service sources are reserved: a custom event must not pass for a call to an AWS service.
  if ((data.eventSource as string).endsWith('.amazonaws.com')) {
    return { errorCode: 'InvalidEventSource', errorMessage: 'eventSource must not be an AWS service (*.amazonaws.com).' };
  }
  return { data, eventTimeMs };
}

export function isAuditEventFailure(result: ValidAuditEvent | AuditEventFailure): result is AuditEventFailure {
  return 'errorCode' in result;
}

export interface AuditRecordFacts {
  eventId: string;
  eventTimeMs: number;
  region: string;
  accountId: string;
  channelArn: string;
  /** ISO 8601, the same for every event of one call. */
  ingestionTime: string;
}

export interface AuditRecord {
  /**
   * The record's canonical text: CloudTrail's fields, then `"eventData":` followed by the
   * caller's eventData exactly as sent (validated JSON), so none of its bytes change.
   */
  json: string;
  keys: LookupKeys;
}

/** The record of one accepted audit event; `data` is its eventData already parsed. */
export function auditRecord(facts: AuditRecordFacts, eventData: string, data: Record<string, unknown>): AuditRecord {
  const record = {
    eventVersion: EVENT_VERSION,
    eventCategory: 'ActivityAuditLog',
    eventType: 'ActivityLog',
    eventID: facts.eventId,
    eventTime: isoSeconds(facts.eventTimeMs),
    awsRegion: facts.region,
    recipientAccountId: facts.accountId,
    metadata: { ingestionTime: facts.ingestionTime, channelARN: facts.channelArn },
  };
  const wrapper = JSON.stringify(record);
  return {
    json: `${wrapper.slice(0, -1)},"eventData":${eventData}}`,
    keys: lookupKeysOf({ ...record, eventData: data }),
  };
}

/** How every record auditRecord makes begins: its first two members, in this order. */
const CUSTOM_RECORD_START = `{"eventVersion":"${EVENT_VERSION}","eventCategory":"ActivityAuditLog",`;

/**
 * Whether a stored record's text is a custom event made by auditRecord, read from its first
 * bytes: consumers that skip custom events (the Insights detector) need not parse them.
 */
export function isAuditRecordText(json: string): boolean {
  return json.startsWith(CUSTOM_RECORD_START);
}
