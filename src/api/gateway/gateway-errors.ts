/**
 * The gateway's own answers (denied, unsigned, upstream down, overloaded) in the wire form of
 * the service the client called, so its SDK reads the code as it would from the real service:
 * S3's `<Error>`, EC2's `<Response><Errors>`, the query protocol's `<ErrorResponse>`, and the
 * JSON protocols' `__type` body.
 */
import { xmlText } from '../protocols/aws-query/xml-text.js';
import type { GatewayProtocol } from './contract.js';

export interface GatewayErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A failure the gateway answers itself, with the code each protocol family uses for it. */
export interface GatewayFailure {
  code: string;
  message: string;
  status: number;
}

export type FailureKind = 'accessDenied' | 'unsafePath' | 'overloaded' | 'upstreamDown' | 'noUpstream' | 'bodyTooLarge' | 'internal';

const CODES: Record<FailureKind, Record<'s3' | 'ec2' | 'query' | 'json', [string, number]>> = {
  accessDenied: { s3: ['AccessDenied', 403], ec2: ['UnauthorizedOperation', 403], query: ['AccessDenied', 403], json: ['AccessDeniedException', 400] },
  overloaded: { s3: ['SlowDown', 503], ec2: ['RequestLimitExceeded', 503], query: ['Throttling', 400], json: ['ThrottlingException', 400] },
  upstreamDown: { s3: ['ServiceUnavailable', 503], ec2: ['Unavailable', 503], query: ['ServiceUnavailable', 503], json: ['ServiceUnavailable', 503] },
  unsafePath: { s3: ['InvalidURI', 400], ec2: ['InvalidParameterValue', 400], query: ['InvalidParameterValue', 400], json: ['ValidationException', 400] },
  noUpstream: { s3: ['NotImplemented', 501], ec2: ['NotImplemented', 501], query: ['NotImplemented', 501], json: ['NotImplemented', 501] },
  bodyTooLarge: { s3: ['EntityTooLarge', 400], ec2: ['RequestEntityTooLarge', 413], query: ['RequestEntityTooLarge', 413], json: ['RequestEntityTooLargeException', 413] },
  internal: { s3: ['InternalError', 500], ec2: ['InternalError', 500], query: ['InternalFailure', 500], json: ['InternalFailure', 500] },
};

function family(protocol: GatewayProtocol, signingName: string): 's3' | 'ec2' | 'query' | 'json' {
  if (signingName === 's3' || protocol === 'rest-xml') return 's3';
  if (protocol === 'ec2') return 'ec2';
  if (protocol === 'query') return 'query';
  return 'json';
}

export function gatewayFailure(kind: FailureKind, protocol: GatewayProtocol, signingName: string, message: string): GatewayFailure {
  const [code, status] = CODES[kind][family(protocol, signingName)];
  return { code, message, status };
}

/** CloudTrail records a denied call as AccessDenied (EC2's as Client.UnauthorizedOperation). */
export function recordedFailureCode(failure: GatewayFailure, protocol: GatewayProtocol): string {
  if (failure.code === 'UnauthorizedOperation') return 'Client.UnauthorizedOperation';
  if (failure.code === 'AccessDeniedException') return 'AccessDenied';
  return protocol === 'ec2' && failure.status < 500 ? `Client.${failure.code}` : failure.code;
}

export function gatewayErrorAnswer(failure: GatewayFailure, protocol: GatewayProtocol, signingName: string, requestId: string): GatewayErrorAnswer {
  const code = xmlText(failure.code);
  const message = xmlText(failure.message);
  const id = xmlText(requestId);
  switch (family(protocol, signingName)) {
    case 's3':
      return {
        status: failure.status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${id}</RequestId></Error>`,
      };
    case 'ec2':
      return {
        status: failure.status,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`,
      };
    case 'query':
      return {
        status: failure.status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse><Error><Type>${failure.status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
      };
    case 'json':
      return {
        status: failure.status,
        headers: {
          'content-type': protocol === 'rest-json' ? 'application/json' : 'application/x-amz-json-1.1',
          'x-amzn-requestid': requestId,
          'x-amzn-errortype': failure.code,
        },
        body: JSON.stringify({ __type: failure.code, message: failure.message }),
      };
  }
}
