/**
 * The gateway's write-ahead journal (docs/gateway.md, "No effect without its record").
 *
 * An upstream's effect cannot be rolled back once it happened, so the gateway cannot do what
 * the hosted services do (commit the record with the effect). Instead a call is journaled,
 * durably and with the record it has so far, before it is forwarded; its final record is
 * appended together with the removal of its journal entry. A crash in between leaves the entry,
 * and the next start records the call from it, marked as of unknown outcome: every call that
 * may have reached an upstream has a record, whatever happens to the process.
 */
import { prepareEvent } from '../../core/prepare-event.js';
import type { CloudTrailRecord } from '../../core/record.js';
import type { EventStore } from '../../store/event-store.js';
import type { ForwardedCallJournal } from '../../store/forwarded-call-journal.js';
import type { StateChange } from '../../store/state-change.js';

export const OUTCOME_UNKNOWN = 'OutcomeUnknown';

export function openChange(callId: string, accountId: string, region: string, record: CloudTrailRecord, nowMs: number): StateChange {
  return { kind: 'openForwardedCall', call: { callId, accountId, region, record: JSON.stringify(record), openedAtMs: nowMs } };
}

export function closeChange(callId: string): StateChange {
  return { kind: 'closeForwardedCall', callId };
}

/** The journaled record with its error where CloudTrail puts one: after userAgent. */
function withOutcomeUnknown(record: CloudTrailRecord): CloudTrailRecord {
  const out: CloudTrailRecord = { eventVersion: record.eventVersion, eventTime: record.eventTime, awsRegion: record.awsRegion, eventID: record.eventID };
  for (const [field, value] of Object.entries(record)) {
    if (field === 'errorCode' || field === 'errorMessage') continue;
    out[field] = value;
    if (field === 'userAgent') {
      out.errorCode = OUTCOME_UNKNOWN;
      out.errorMessage = "OpenTrail stopped, or could not record, after forwarding this call and before recording the upstream's answer; the call may have taken effect.";
    }
  }
  return out;
}

/**
 * Records every journaled call left by a previous run (or, with `openedBeforeMs`, only those
 * opened before then: older than any call in progress can be); returns how many.
 */
export async function recoverForwardedCalls(journal: ForwardedCallJournal, events: EventStore, openedBeforeMs = Number.POSITIVE_INFINITY): Promise<number> {
  const left = (await journal.inFlight()).filter((entry) => entry.openedAtMs < openedBeforeMs);
  for (const entry of left) {
    const recovered = withOutcomeUnknown(JSON.parse(entry.record) as CloudTrailRecord);
    await events.append([prepareEvent(entry.accountId, entry.region, recovered)], [closeChange(entry.callId)]);
  }
  return left.length;
}
