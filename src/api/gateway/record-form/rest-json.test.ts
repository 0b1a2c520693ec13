import { describe, expect, it } from 'vitest';
import { call, jsonBody, route, serviceModel } from '../../../../test/support/gateway-calls.js';
import { recordFormOf } from './index.js';

const lambda = serviceModel('lambda', 'rest-json', [
  route('Invoke', 'POST', '/2015-03-31/functions/{FunctionName}/invocations', [
    { member: 'FunctionName', location: 'uri', wireName: 'FunctionName' },
    { member: 'InvocationType', location: 'header', wireName: 'X-Amz-Invocation-Type' },
    { member: 'LogType', location: 'header', wireName: 'X-Amz-Log-Type' },
    { member: 'Qualifier', location: 'querystring', wireName: 'Qualifier' },
  ], { payloadMember: 'Payload' }),
  route('CreateFunction', 'POST', '/2015-03-31/functions', []),
  route('ListVersionsByFunction', 'GET', '/2015-03-31/functions/{FunctionName}/versions', [
    { member: 'FunctionName', location: 'uri', wireName: 'FunctionName' },
    { member: 'MaxItems', location: 'querystring', wireName: 'MaxItems' },
  ]),
]);

describe('REST-JSON (Lambda)', () => {
  it('records Invoke by its labels and headers, never its payload or answer', () => {
    const form = recordFormOf(
      call({
        model: lambda,
        operation: 'Invoke',
        uriParams: { FunctionName: 'f' },
        request: { method: 'POST', query: 'Qualifier=1', headers: { 'x-amz-invocation-type': 'Event', 'x-amz-log-type': 'Tail' }, body: jsonBody({ secret: 1 }) },
        response: { body: jsonBody({ out: 'secret' }), headers: { 'x-amzn-requestid': 'L-1' } },
      }),
      { eventName: 'Invoke', readOnly: false, dataResourceType: 'AWS::Lambda::Function' },
    );
    expect(form.requestParameters).toEqual({ functionName: 'f', invocationType: 'Event', logType: 'Tail', qualifier: '1' });
    expect(form.responseElements).toBeNull();
    expect(form.requestId).toBe('L-1');
    expect(form.eventCategory).toBe('Data');
  });

  it('records CreateFunction without code or environment variables', () => {
    const input = { FunctionName: 'f', Runtime: 'nodejs18.x', Code: { ZipFile: 'UEsDBA==' }, Environment: { Variables: { DB_PASSWORD: 'p' } }, Tags: { Team: 'a' } };
    const output = { FunctionName: 'f', FunctionArn: 'arn:f', Environment: { Variables: { DB_PASSWORD: 'p' } } };
    const form = recordFormOf(call({ model: lambda, operation: 'CreateFunction', request: { method: 'POST', body: jsonBody(input) }, response: { status: 201, body: jsonBody(output) } }), { eventName: 'CreateFunction20150331', readOnly: false });
    expect(form.requestParameters).toEqual({ functionName: 'f', runtime: 'nodejs18.x', code: {}, environment: {}, tags: { Team: 'a' } });
    expect(form.responseElements).toEqual({ functionName: 'f', functionArn: 'arn:f', environment: {} });
  });

  it('records counts in the query string as numbers, and reads as null', () => {
    const form = recordFormOf(call({ model: lambda, operation: 'ListVersionsByFunction', uriParams: { FunctionName: 'f' }, request: { query: 'MaxItems=10000' }, response: { body: jsonBody({ Versions: [] }) } }), { eventName: 'ListVersionsByFunction20150331', readOnly: true });
    expect(form.requestParameters).toEqual({ functionName: 'f', maxItems: 10000 });
    expect(form.responseElements).toBeNull();
  });

  it('reads the error type from x-amzn-ErrorType', () => {
    const form = recordFormOf(
      call({ model: lambda, operation: 'Invoke', uriParams: { FunctionName: 'f' }, response: { status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/' }, body: jsonBody({ Message: 'Function not found: f' }) } }),
      { eventName: 'Invoke', readOnly: false },
    );
    expect(form.error).toEqual({ code: 'ResourceNotFoundException', message: 'Function not found: f' });
  });
});
