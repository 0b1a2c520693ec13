import { parseXML } from '@aws-sdk/xml-builder';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../errors.js';
import type { OperationContext } from '../../operation-context.js';
import * as iam from '../../../services/iam/model.gen.js';
import { iamOperations } from '../../../services/iam/operations/index.js';
import type { OperationTable } from '../../../services/iam/operations/operation-spec.js';
import { iamQuery } from '../../../services/iam/protocol.js';
import { stsQuery } from '../../../services/sts/protocol.js';
import { queryServiceProtocol } from './query-protocol.js';
import { modelledError } from './wire-errors.js';
import { formRequest } from './test-requests.js';

const CREATED = Date.UTC(2024, 6, 30, 21, 53, 13) / 1000;

/** IAM with CreateUser, CreateLoginProfile and CreateAccessKey answered by stubs, for protocol behaviour. */
const stubs: OperationTable = {
  ...iamOperations,
  CreateUser: {
    async handle(input) {
      if (input.UserName === 'taken') throw modelledError(iam.shapes, 'EntityAlreadyExistsException', 'User with name taken already exists.');
      return { User: { Path: '/', UserName: input.UserName, UserId: 'AIDAEXAMPLE', Arn: `arn:aws:iam::111122223333:user/${input.UserName}`, CreateDate: CREATED } };
    },
  },
  CreateLoginProfile: {
    async handle(input) {
      return { LoginProfile: { UserName: input.UserName ?? 'me', CreateDate: CREATED, PasswordResetRequired: false } };
    },
  },
  CreateAccessKey: {
    async handle() {
      return { AccessKey: { UserName: 'bob', AccessKeyId: 'AKIAEXAMPLE', Status: 'Active', SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG', CreateDate: CREATED } };
    },
  },
};

const iamWithStubs = queryServiceProtocol({
  metadata: iam.metadata,
  operations: iam.operations,
  shapes: iam.shapes,
  table: stubs,
  eventSource: 'iam.amazonaws.com',
  recordRegion: 'us-east-1',
  recordedDates: 'MMM d, yyyy h:mm:ss a',
});

const context = { requestId: 'req-1' } as OperationContext;

async function call(body: string): Promise<{ status: number; xml: unknown; record: { params: unknown; response: unknown } }> {
  const request = formRequest(body);
  try {
    const decoded = iamWithStubs.decode(request);
    const output = await iamWithStubs.invoke(decoded, context);
    const response = iamWithStubs.ok(output, 'req-1', decoded);
    return { status: response.status, xml: parseXML(response.body), record: { params: iamWithStubs.recordedParameters(decoded), response: iamWithStubs.recordedResponse!(decoded, output) } };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const response = iamWithStubs.error(error, 'req-1');
    return { status: response.status, xml: parseXML(response.body), record: { params: null, response: null } };
  }
}

function errorOf(xml: unknown): unknown {
  return (xml as { ErrorResponse: { Error: unknown } }).ErrorResponse.Error;
}

describe('the query protocol of a service', () => {
  it('routes by the credential scope and reads the operation cheaply', () => {
    expect(iamQuery).toMatchObject({ routing: 'credential-scope', signingName: 'iam', eventSource: 'iam.amazonaws.com', recordRegion: 'us-east-1' });
    expect(stsQuery).toMatchObject({ routing: 'credential-scope', signingName: 'sts', eventSource: 'sts.amazonaws.com' });
    expect(stsQuery.recordRegion).toBeUndefined();
    expect(iamQuery.eventNameOf(formRequest('Action=ListUsers&Version=2010-05-08'))).toBe('ListUsers');
    expect(iamQuery.eventNameOf(formRequest('Action=%ZZ'))).toBe('Unknown');
    expect(iamQuery.eventNameOf(formRequest('Action=<script>'))).toBe('Unknown');
  });

  it('answers a successful call as XML with the result wrapper and request id', async () => {
    const { status, xml } = await call('Action=CreateUser&Version=2010-05-08&UserName=bob');
    expect(status).toBe(200);
    expect(xml).toEqual({
      CreateUserResponse: {
        xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
        CreateUserResult: { User: { Path: '/', UserName: 'bob', UserId: 'AIDAEXAMPLE', Arn: 'arn:aws:iam::111122223333:user/bob', CreateDate: '2024-07-30T21:53:13Z' } },
        ResponseMetadata: { RequestId: 'req-1' },
      },
    });
  });

  it.each([
    ['no Action', 'Version=2010-05-08', 400, { Type: 'Sender', Code: 'MissingAction', Message: 'Missing Action' }],
    ['an unknown Action', 'Action=MakeCoffee&Version=2010-05-08', 400, { Type: 'Sender', Code: 'InvalidAction', Message: 'Could not find operation MakeCoffee for version 2010-05-08' }],
    ['a wrong Version', 'Action=ListUsers&Version=2011-06-15', 400, { Type: 'Sender', Code: 'InvalidAction', Message: 'Could not find operation ListUsers for version 2011-06-15' }],
    ['no Version', 'Action=ListUsers', 400, { Type: 'Sender', Code: 'MissingParameter', Message: 'The request must contain the parameter Version.' }],
    ['an operation not implemented yet', 'Action=ListSAMLProviders&Version=2010-05-08', 400, { Type: 'Sender', Code: 'UnsupportedOperation', Message: 'The operation ListSAMLProviders is not supported by this OpenTrail server yet.' }],
    [
      'a missing required member',
      'Action=CreateUser&Version=2010-05-08',
      400,
      { Type: 'Sender', Code: 'ValidationError', Message: "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null" },
    ],
    [
      'a broken constraint',
      'Action=CreateUser&Version=2010-05-08&UserName=b%20b',
      400,
      { Type: 'Sender', Code: 'ValidationError', Message: "1 validation error detected: Value 'b b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+" },
    ],
    ['a wrong value type', 'Action=CreateUser&Version=2010-05-08&UserName=b&Tags.member.x.Key=k', 400, { Type: 'Sender', Code: 'InvalidParameterValue' }],
    ['a modelled error', 'Action=CreateUser&Version=2010-05-08&UserName=taken', 409, { Type: 'Sender', Code: 'EntityAlreadyExists', Message: 'User with name taken already exists.' }],
  ])('answers %s with an AWS query error', async (_what, body, status, error) => {
    const response = await call(body);
    expect(response.status).toBe(status);
    expect(errorOf(response.xml)).toMatchObject(error);
    expect(response.xml).toMatchObject({ ErrorResponse: { xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/', RequestId: 'req-1' } });
  });

  it('never quotes a password in a validation message', async () => {
    const response = await call('Action=CreateLoginProfile&Version=2010-05-08&Password=short%01secret');
    expect(JSON.stringify(response.xml)).not.toContain('secret');
    expect(errorOf(response.xml)).toMatchObject({ Code: 'ValidationError', Message: expect.stringContaining("Value at 'password' failed to satisfy constraint") as unknown });
  });

  it('records members in CloudTrail form, without sensitive ones', async () => {
    const login = await call('Action=CreateLoginProfile&Version=2010-05-08&UserName=bob&Password=Sup3r-secret!&PasswordResetRequired=false');
    expect(login.record).toEqual({
      params: { userName: 'bob', passwordResetRequired: false },
      response: { loginProfile: { userName: 'bob', createDate: 'Jul 30, 2024 9:53:13 PM', passwordResetRequired: false } },
    });
    const key = await call('Action=CreateAccessKey&Version=2010-05-08');
    expect(key.record).toEqual({
      params: null,
      response: { accessKey: { userName: 'bob', accessKeyId: 'AKIAEXAMPLE', status: 'Active', createDate: 'Jul 30, 2024 9:53:13 PM' } },
    });
    // The secret is on the wire, of course: only the record leaves it out.
    expect(JSON.stringify(key.xml)).toContain('wJalrXUtnFEMI/K7MDENG');
  });

  it('records a denied call without its parameters, as CloudTrail does', () => {
    const decoded = iamWithStubs.decode(formRequest('Action=CreateUser&Version=2010-05-08&UserName=bob'));
    expect(iamWithStubs.recordedParameters(decoded, new ServiceError('AccessDeniedException', 'no', 400))).toBeNull();
    expect(iamWithStubs.recordedParameters(decoded, new ServiceError('EntityAlreadyExistsException', 'no', 409))).toEqual({ userName: 'bob' });
  });

  it('lets every caller call sts:GetCallerIdentity without a policy, and only that', () => {
    expect(stsQuery.requiresAuthorization?.({ operation: 'GetCallerIdentity', input: {} })).toBe(false);
    expect(stsQuery.requiresAuthorization?.({ operation: 'AssumeRole', input: {} })).toBe(true);
    expect(iamQuery.requiresAuthorization?.({ operation: 'GetUser', input: {} })).toBe(true);
  });

  it('refuses methods other than GET and POST', () => {
    expect(() => iamQuery.decode(formRequest('', { method: 'PUT', query: 'Action=ListUsers&Version=2010-05-08' }))).toThrow(ServiceError);
  });
});
