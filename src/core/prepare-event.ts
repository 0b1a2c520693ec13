/** Turns a record into what the event log stores: canonical bytes plus lookup keys. */
import type { PreparedEvent } from '../store/event-store.js';
import { lookupKeysOf } from './lookup-keys.js';
import type { CloudTrailRecord } from './record.js';

/**
 * The canonical bytes of a record are its JSON text as produced here, once; the log file and
 * every hash over the record use these bytes, never a re-serialisation.
 */
export function prepareEvent(accountId: string, region: string, record: CloudTrailRecord): PreparedEvent {
  return { accountId, region, json: JSON.stringify(record), keys: lookupKeysOf(record) };
}

/**
 * An event whose canonical bytes already exist (a record read from a log file or sent by a
 * client): the text is kept exactly, and parsed only to index it.
 */
export function prepareRawEvent(accountId: string, region: string, json: string): PreparedEvent {
  return { accountId, region, json, keys: lookupKeysOf(JSON.parse(json) as CloudTrailRecord) };
}
