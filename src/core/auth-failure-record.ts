/**
 * The record that sums up the failed authentications of one access key id in one minute that
 * were not recorded one by one (see api/auth-failure-limiter.ts). It is a service event of
 * OpenTrail itself, filed under the key's owner so lookups by user name or key id find it.
 */
import type { CloudTrailRecord, UserIdentity } from './record.js';
import { EVENT_VERSION } from './record.js';
import { isoSeconds } from './time-format.js';

export const AUTH_FAILURE_SUMMARY_EVENT = 'AuthenticationFailureSummary';

/** What one key id's failures in one minute add up to. */
export interface AuthFailureCounts {
  windowStartMs: number;
  windowEndMs: number;
  /** Failures recorded one by one in the window. */
  recorded: number;
  /** Failures only counted. */
  unrecorded: number;
  errorCodes: Record<string, number>;
  /** Distinct source addresses of the unrecorded failures (a bounded number of them). */
  sourceIPAddresses: string[];
}

export interface AuthFailureSummaryFacts extends AuthFailureCounts {
  identity: UserIdentity;
  recipientAccountId: string;
  region: string;
  eventSource: string;
  eventId: string;
  /** When the summary is recorded: the window's end, or earlier at shutdown. */
  timeMs: number;
}

export function authFailureSummaryRecord(facts: AuthFailureSummaryFacts): CloudTrailRecord {
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: facts.identity,
    eventTime: isoSeconds(facts.timeMs),
    eventSource: facts.eventSource,
    eventName: AUTH_FAILURE_SUMMARY_EVENT,
    awsRegion: facts.region,
    sourceIPAddress: facts.eventSource,
    userAgent: facts.eventSource,
    requestParameters: null,
    responseElements: null,
    eventID: facts.eventId,
    readOnly: true,
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: facts.recipientAccountId,
    serviceEventDetails: {
      accessKeyId: facts.identity.accessKeyId,
      windowStart: isoSeconds(facts.windowStartMs),
      windowEnd: isoSeconds(facts.windowEndMs),
      failuresRecordedIndividually: facts.recorded,
      failuresNotRecordedIndividually: facts.unrecorded,
      errorCodes: facts.errorCodes,
      sourceIPAddresses: facts.sourceIPAddresses,
    },
    eventCategory: 'Management',
  };
}
