/**
 * PutAuditEvents from TypeScript: there is no cloudtrail-data client for JavaScript in our
 * registry, so requests are signed with the real @smithy/signature-v4, as the SDK would.
 */
import { createHash } from 'node:crypto';
import { sendSigned } from './signed-request.js';
import type { RawResponse } from './signed-request.js';

export interface AuditEventInput {
  id: string;
  eventData: string;
  eventDataChecksum?: string;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface PutAuditEventsOutput {
  successful: { id: string; eventID: string }[];
  failed: { id: string; errorCode: string; errorMessage: string }[];
}

let uid = 0;

/** A valid eventData object for a custom integration; override any field. */
export function eventData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  uid++;
  return {
    version: '1.0',
    userIdentity: { type: 'CustomUser', principalId: 'app-user-1', details: { team: 'payments' } },
    userAgent: 'payments-service/2.1',
    eventSource: 'payments.example.com',
    eventName: 'ApproveRefund',
    eventTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    UID: `uid-${process.pid}-${uid}`,
    requestParameters: { amount: 12.0, currency: 'EUR' },
    sourceIPAddress: '203.0.113.7',
    ...overrides,
  };
}

export function auditEvent(id: string, data: Record<string, unknown> | string = eventData(), withChecksum = true): AuditEventInput {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return {
    id,
    eventData: text,
    ...(withChecksum && { eventDataChecksum: createHash('sha256').update(text).digest('base64') }),
  };
}

export async function putAuditEvents(
  url: string,
  credentials: Credentials,
  channelArn: string,
  auditEvents: unknown,
  options: { region?: string; externalId?: string; rawBody?: string } = {},
): Promise<RawResponse> {
  return sendSigned({
    url,
    path: '/PutAuditEvents',
    query: { channelArn, ...(options.externalId !== undefined && { externalId: options.externalId }) },
    service: 'cloudtrail-data',
    region: options.region ?? 'us-east-1',
    headers: { 'content-type': 'application/json' },
    body: options.rawBody ?? JSON.stringify({ auditEvents }),
    ...credentials,
  });
}
