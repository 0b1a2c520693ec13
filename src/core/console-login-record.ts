/**
 * The record of a console sign-in, as CloudTrail writes one: eventSource signin.amazonaws.com,
 * eventName ConsoleLogin, eventType AwsConsoleSignIn, the outcome in responseElements, and
 * additionalEventData saying where the sign-in led and whether MFA was used. A console sign-in
 * changes who can act, so it is not read-only. The field order follows real records.
 */
import type { CloudTrailRecord, UserIdentity } from './record.js';
import { EVENT_VERSION } from './record.js';
import { isoSeconds } from './time-format.js';

/** What CloudTrail writes as the user name of a failed sign-in by nobody it knows. */
export const HIDDEN_USER_NAME = 'HIDDEN_DUE_TO_SECURITY_REASONS';

export interface ConsoleLoginFacts {
  identity: UserIdentity;
  recipientAccountId: string;
  region: string;
  timeMs: number;
  sourceIPAddress: string;
  userAgent: string;
  success: boolean;
  /** The console's URL the sign-in led to. */
  loginTo: string;
  eventId: string;
  tls?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
}

export function consoleLoginRecord(facts: ConsoleLoginFacts): CloudTrailRecord {
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: facts.identity,
    eventTime: isoSeconds(facts.timeMs),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: facts.region,
    sourceIPAddress: facts.sourceIPAddress,
    userAgent: facts.userAgent,
    ...(!facts.success && { errorMessage: 'Failed authentication' }),
    requestParameters: null,
    responseElements: { ConsoleLogin: facts.success ? 'Success' : 'Failure' },
    // OpenTrail signs in with access keys only, never with MFA.
    additionalEventData: { LoginTo: facts.loginTo, MobileVersion: 'No', MFAUsed: 'No' },
    eventID: facts.eventId,
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: facts.recipientAccountId,
    eventCategory: 'Management',
    ...(facts.tls !== undefined && { tlsDetails: facts.tls }),
  };
}
