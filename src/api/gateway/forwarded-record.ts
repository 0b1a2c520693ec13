/**
 * The CloudTrail record of a forwarded call: who and when from the gateway, the rest from the
 * service's record form (record-form/). Field order follows the records CloudTrail writes.
 */
import type { CloudTrailRecord, UserIdentity } from '../../core/record.js';
import { EVENT_VERSION } from '../../core/record.js';
import { isoSeconds } from '../../core/time-format.js';
import type { RecordForm } from './contract.js';

export interface ForwardedRecordFacts {
  identity: UserIdentity;
  accountId: string;
  eventSource: string;
  region: string;
  timeMs: number;
  sourceIPAddress: string;
  userAgent: string;
  eventId: string;
  /** Used when the upstream gave no request id (it was never reached, or named none). */
  gatewayRequestId: string;
  tls?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
  /** Joins the copies of one call recorded in two accounts (another account's bucket). */
  sharedEventId?: string;
}

export function forwardedCallRecord(facts: ForwardedRecordFacts, form: RecordForm): CloudTrailRecord {
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: facts.identity,
    eventTime: isoSeconds(facts.timeMs),
    eventSource: facts.eventSource,
    eventName: form.eventName,
    awsRegion: facts.region,
    sourceIPAddress: facts.sourceIPAddress,
    userAgent: facts.userAgent,
    ...(form.error !== undefined && { errorCode: form.error.code, errorMessage: form.error.message }),
    requestParameters: form.requestParameters,
    responseElements: form.responseElements,
    ...(form.additionalEventData !== undefined && { additionalEventData: form.additionalEventData }),
    requestID: form.requestId ?? facts.gatewayRequestId,
    eventID: facts.eventId,
    readOnly: form.readOnly,
    ...(form.resources.length > 0 && { resources: form.resources }),
    eventType: 'AwsApiCall',
    managementEvent: form.eventCategory === 'Management',
    recipientAccountId: facts.accountId,
    ...(facts.sharedEventId !== undefined && { sharedEventID: facts.sharedEventId }),
    eventCategory: form.eventCategory,
    ...(facts.tls !== undefined && { tlsDetails: facts.tls }),
  };
}
