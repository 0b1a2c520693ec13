/**
 * Hand-built gateway calls for the record-form tests: small service models and ForwardedCall
 * values, as the gateway would hand them over (S3 in path style, lower-case header names).
 */
import type { BoundMember, ForwardedCall, GatewayOperationRoute, GatewayProtocol, GatewayRequestView, GatewayResponseView, GatewayServiceModel } from '../../src/api/gateway/contract.js';

export const ACCOUNT = '111122223333';

export function serviceModel(signingName: string, protocol: GatewayProtocol, operations: GatewayOperationRoute[] = []): GatewayServiceModel {
  return { signingName, eventSource: `${signingName}.amazonaws.com`, protocol, apiVersion: '2020-01-01', operations };
}

export function route(name: string, method: string, requestUri: string, bound: BoundMember[] = [], extra: Partial<GatewayOperationRoute> = {}): GatewayOperationRoute {
  return { name, method, requestUri, bound, ...extra };
}

export interface CallParts {
  model: GatewayServiceModel;
  operation?: string;
  eventName?: string;
  uriParams?: Record<string, string>;
  request?: Partial<GatewayRequestView>;
  response?: Partial<GatewayResponseView> | null;
  cipherSuite?: string | null;
  authenticationMethod?: 'AuthHeader' | 'QueryString';
}

export function call(parts: CallParts): ForwardedCall {
  const request: GatewayRequestView = { method: 'GET', path: '/', query: '', headers: {}, host: 'localhost', bytesIn: 0, ...parts.request };
  const response: GatewayResponseView | undefined = parts.response === null ? undefined : { status: 200, headers: {}, bytesOut: 0, ...parts.response };
  return {
    model: parts.model,
    ...(parts.operation !== undefined && {
      matched: { operation: parts.operation, eventName: parts.eventName ?? parts.operation, uriParams: parts.uriParams ?? {} },
    }),
    request,
    ...(response !== undefined && { response }),
    region: 'us-east-1',
    resourceAccountId: ACCOUNT,
    authenticationMethod: parts.authenticationMethod ?? 'AuthHeader',
    ...(parts.cipherSuite !== null && { cipherSuite: parts.cipherSuite ?? 'TLS_AES_128_GCM_SHA256' }),
  };
}

export function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export function xmlBody(text: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
}

export function formBody(params: Record<string, string>): Buffer {
  return Buffer.from(new URLSearchParams(params).toString());
}
