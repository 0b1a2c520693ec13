/**
 * REST-JSON calls (Lambda; also the generic form for REST services other than S3) as CloudTrail
 * records them.
 *
 * - requestParameters: the URI labels (`functionName`), the query-string and header members of
 *   the route (`qualifier`, Invoke's `invocationType`/`logType` from `X-Amz-Invocation-Type`/
 *   `X-Amz-Log-Type`), then the JSON body's members in lowerCamelCase: never a payload (Invoke's
 *   body), never code (`Code.ZipFile`), never environment variables (`environment` is recorded
 *   as `{}` when they are all that was sent, as real records show). Map members (`Tags`,
 *   `Variables`) keep their keys. Null when there is nothing.
 * - responseElements: null for read-only calls, failed calls, Invoke (its answer is the
 *   function's payload) and empty answers; otherwise the JSON answer in the same form, less
 *   environment variables.
 * - errors: the `x-amzn-ErrorType` header or `__type`/`Type` of the body, without its
 *   `:http://…` suffix; message from `message`/`Message`.
 */
import type { ForwardedCall, GatewayOperationRoute, RecordForm } from '../contract.js';
import type { MemberRules, RecordFacts } from './shared.js';
import { baseForm, failed, header, jsonError, jsonObject, lowerFirst, MAX_VALUE_LENGTH, queryParams, recordMembersOf } from './shared.js';

export const REST_JSON_RULES: MemberRules = {
  maps: new Set(['Tags', 'Headers', 'Parameters']),
  drop: new Set(['ZipFile', 'Variables', 'Payload']),
};

/** Operations whose answer is the function's output, never recorded. */
const PAYLOAD_RESPONSES = new Set(['Invoke', 'InvokeWithResponseStream', 'InvokeAsync']);

/** Query-string members recorded as numbers (their values are counts). */
const NUMERIC_QUERY_MEMBERS = new Set(['MaxItems', 'MaxResults', 'Limit']);

function routeOf(call: ForwardedCall): GatewayOperationRoute | undefined {
  const operation = call.matched?.operation;
  return operation === undefined ? undefined : call.model.operations.find((route) => route.name === operation);
}

function requestParameters(call: ForwardedCall, route: GatewayOperationRoute | undefined): Record<string, unknown> | null {
  const out = new Map<string, unknown>();
  for (const [label, value] of Object.entries(call.matched?.uriParams ?? {})) out.set(lowerFirst(label.replace(/\+$/, '')), value.slice(0, MAX_VALUE_LENGTH));
  if (route !== undefined) {
    const query = new Map(queryParams(call.request.query));
    for (const bound of route.bound) {
      if (bound.location === 'uri') continue;
      const value = bound.location === 'querystring' ? query.get(bound.wireName) : header(call.request.headers, bound.wireName.toLowerCase());
      if (value === undefined) continue;
      const recorded = NUMERIC_QUERY_MEMBERS.has(bound.member) && /^\d{1,15}$/.test(value) ? Number(value) : value.slice(0, MAX_VALUE_LENGTH);
      out.set(lowerFirst(bound.member), recorded);
    }
  }
  const body = route?.payloadMember !== undefined ? undefined : jsonObject(call.request.body);
  if (body !== undefined) {
    for (const [name, value] of Object.entries(recordMembersOf(body, REST_JSON_RULES) as Record<string, unknown>)) {
      if (!out.has(name)) out.set(name, value);
    }
  }
  return out.size > 0 ? Object.fromEntries(out) : null;
}

function responseElements(call: ForwardedCall, readOnly: boolean): Record<string, unknown> | null {
  const operation = call.matched?.operation;
  if (readOnly || call.response === undefined || failed(call) || (operation !== undefined && PAYLOAD_RESPONSES.has(operation))) return null;
  const body = jsonObject(call.response.body);
  if (body === undefined || Object.keys(body).length === 0) return null;
  return recordMembersOf(body, REST_JSON_RULES) as Record<string, unknown>;
}

export function restJsonRecordForm(call: ForwardedCall, facts: RecordFacts): RecordForm {
  const error = jsonError(call);
  const requestId = header(call.response?.headers, 'x-amzn-requestid');
  return {
    ...baseForm(facts),
    requestParameters: requestParameters(call, routeOf(call)),
    responseElements: responseElements(call, facts.readOnly),
    resources: [],
    ...(error !== undefined && { error }),
    ...(requestId !== undefined && { requestId }),
  };
}
