/**
 * The data plane: cloudtrail-data 2021-08-11 over REST-JSON, served on the same port as the
 * control plane. Its one operation is `POST /PutAuditEvents?channelArn=...&externalId=...`
 * with a JSON body `{"auditEvents": [...]}`; errors carry the code in `x-amzn-ErrorType`.
 */
import { errorResponse, jsonResponse } from '../../api/aws-json.js';
import { protocolErrors } from '../../api/errors.js';
import { putAuditEvents } from './put-audit-events.js';
import * as model from './model.gen.js';
import { checkInput, parseJsonBody } from '../../api/parse-input.js';
import type { DecodedCall, ServiceProtocol } from '../../api/protocols/service-protocol.js';

const PATH = '/PutAuditEvents';
const CONTENT_TYPE = 'application/json';

export const cloudTrailDataRest: ServiceProtocol = {
  signingName: 'cloudtrail-data',
  eventSource: 'cloudtrail-data.amazonaws.com',
  matches: (request) => request.path === PATH,
  eventNameOf: () => 'PutAuditEvents',
  decode(request): DecodedCall {
    if (request.method !== 'POST') throw protocolErrors.unknownOperation(`${request.method} ${PATH}`);
    const query = new URLSearchParams(request.query);
    const body = parseJsonBody(request.body);
    const input: Record<string, unknown> = { auditEvents: body.auditEvents };
    const channelArn = query.get('channelArn');
    const externalId = query.get('externalId');
    if (channelArn !== null) input.channelArn = channelArn;
    if (externalId !== null) input.externalId = externalId;
    return { operation: 'PutAuditEvents', input };
  },
  authorizationResource: (call, context) => putAuditEvents.authorizationResource(call.input as never, context),
  async invoke(call, context) {
    checkInput(model.shapes, model.operations.PutAuditEvents.input, call.input);
    return putAuditEvents.handle(call.input as never, context);
  },
  // The events themselves are stored as events; the call's record says where they went.
  recordedParameters: (call) => ({
    channelArn: call.input.channelArn ?? null,
    ...(call.input.externalId !== undefined && { externalId: call.input.externalId }),
    auditEventCount: Array.isArray(call.input.auditEvents) ? call.input.auditEvents.length : 0,
  }),
  ok: (output, requestId) => jsonResponse(output, requestId, CONTENT_TYPE),
  error: (error, requestId) => errorResponse(error, requestId, CONTENT_TYPE),
};
