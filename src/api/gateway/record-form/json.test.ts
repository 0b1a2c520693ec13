import { describe, expect, it } from 'vitest';
import { ACCOUNT, call, jsonBody, serviceModel } from '../../../../test/support/gateway-calls.js';
import { recordFormOf } from './index.js';

const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/dad21b23-9915-42bd-981b-2a9f3c8f20c8`;

function jsonCall(service: string, operation: string, input: unknown, output?: unknown, status = 200) {
  return call({
    model: serviceModel(service, 'json'),
    operation,
    request: { method: 'POST', headers: { 'x-amz-target': `Svc.${operation}` }, body: jsonBody(input) },
    response: { status, headers: { 'x-amzn-requestid': 'REQ-1' }, ...(output !== undefined && { body: jsonBody(output) }) },
  });
}

describe('JSON requestParameters: lowerCamelCase, maps verbatim, secrets out', () => {
  it.each([
    ['kms', 'Encrypt', { KeyId: 'alias/aws/ssm', Plaintext: 'c2VjcmV0', EncryptionContext: { PARAMETER_ARN: 'arn:x' } }, { keyId: 'alias/aws/ssm', encryptionContext: { PARAMETER_ARN: 'arn:x' } }],
    ['kms', 'Decrypt', { CiphertextBlob: 'AQID', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }],
    ['secretsmanager', 'CreateSecret', { Name: 's', SecretString: 'hunter2', ClientRequestToken: 't' }, { name: 's', clientRequestToken: 't' }],
    ['secretsmanager', 'PutSecretValue', { SecretId: 's', SecretBinary: 'AAAA' }, { secretId: 's' }],
    [
      'ssm',
      'PutParameter',
      { Name: '/p', Value: 'hunter2', Type: 'SecureString', Tags: [{ Key: 'k', Value: 'true' }] },
      { name: '/p', value: 'HIDDEN_DUE_TO_SECURITY_REASONS', type: 'SecureString', tags: [{ key: 'k', value: 'true' }] },
    ],
    ['ssm', 'SendCommand', { DocumentName: 'AWS-RunShellScript', Parameters: { commands: ['id'] } }, { documentName: 'AWS-RunShellScript', parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS' }],
    ['ssm', 'GetParameter', { Name: '/p', WithDecryption: true }, { name: '/p', withDecryption: true }],
    ['dynamodb', 'GetItem', { TableName: 't', Key: { Id: { S: '1' } } }, { tableName: 't', key: { Id: { S: '1' } } }],
    ['dynamodb', 'PutItem', { TableName: 't', Item: { Id: { S: '1' }, Card: { S: '4111' } } }, { tableName: 't' }],
    [
      'dynamodb',
      'UpdateItem',
      { TableName: 't', Key: { Id: { S: '1' } }, UpdateExpression: 'SET #a = :v', ExpressionAttributeNames: { '#a': 'A' }, ExpressionAttributeValues: { ':v': { S: 'x' } } },
      { tableName: 't', key: { Id: { S: '1' } }, updateExpression: 'SET #a = :v', expressionAttributeNames: { '#a': 'A' } },
    ],
    ['dynamodb', 'BatchWriteItem', { RequestItems: { t: [{ PutRequest: { Item: { Id: { S: '1' } } } }] } }, { requestItems: { t: [{ putRequest: {} }] } }],
    ['sqs', 'SendMessage', { QueueUrl: 'q', MessageBody: 'secret', DelaySeconds: 1 }, { queueUrl: 'q', delaySeconds: 1 }],
  ])('%s %s', (service, operation, input, expected) => {
    expect(recordFormOf(jsonCall(service, operation, input), { eventName: operation, readOnly: false }).requestParameters).toEqual(expected);
  });

  it('has null requestParameters without a JSON object body, and keeps a member named __proto__ plain', () => {
    const none = call({ model: serviceModel('kms', 'json'), operation: 'ListKeys', request: { method: 'POST' } });
    expect(recordFormOf(none, { eventName: 'ListKeys', readOnly: true }).requestParameters).toBeNull();
    const proto = recordFormOf(call({ model: serviceModel('kms', 'json'), request: { body: Buffer.from('{"__proto__":{"x":1}}') } }), { eventName: 'X', readOnly: true });
    expect(Object.getPrototypeOf(proto.requestParameters)).toBe(Object.prototype);
    expect(Object.keys(proto.requestParameters!)).toEqual(['__proto__']);
  });
});

describe('JSON responseElements', () => {
  it.each([
    ['kms', 'Decrypt', false, { KeyId: KEY_ARN, Plaintext: 'c2VjcmV0' }, null],
    ['kms', 'Encrypt', false, { KeyId: KEY_ARN, CiphertextBlob: 'AQID' }, null],
    ['kms', 'GenerateDataKey', false, { KeyId: KEY_ARN, Plaintext: 'x', CiphertextBlob: 'y' }, null],
    ['secretsmanager', 'GetSecretValue', true, { ARN: 'a', SecretString: 'hunter2' }, null],
    ['secretsmanager', 'CreateSecret', false, { ARN: 'arn:s', Name: 's', VersionId: 'v' }, { arn: 'arn:s' }],
    ['secretsmanager', 'DeleteSecret', false, { ARN: 'arn:s', Name: 's', DeletionDate: 1 }, { aRN: 'arn:s', name: 's', deletionDate: 1 }],
    ['ssm', 'PutParameter', false, { Version: 1, Tier: 'Standard' }, { version: 1, tier: 'Standard' }],
    ['ssm', 'DeleteParameter', false, {}, null],
    ['ssm', 'StartSession', false, { SessionId: 's', TokenValue: 'tok', StreamUrl: 'wss://x' }, { sessionId: 's', tokenValue: 'Value hidden due to security reasons.', streamUrl: 'wss://x' }],
    ['ssm', 'DescribeParameters', true, { Parameters: [] }, null],
    ['dynamodb', 'PutItem', false, { Attributes: { Id: { S: '1' } }, ConsumedCapacity: { TableName: 't' } }, { consumedCapacity: { tableName: 't' } }],
    ['kms', 'CreateKey', false, { KeyMetadata: { KeyId: 'k', Arn: KEY_ARN } }, { keyMetadata: { keyId: 'k', arn: KEY_ARN } }],
  ])('%s %s', (service, operation, readOnly, output, expected) => {
    expect(recordFormOf(jsonCall(service, operation, {}, output), { eventName: operation, readOnly }).responseElements).toEqual(expected);
  });
});

describe('JSON resources', () => {
  it.each([
    ['kms', 'Decrypt', { CiphertextBlob: 'x' }, { KeyId: KEY_ARN }, [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }]],
    ['kms', 'DescribeKey', { KeyId: 'dad21b23-9915-42bd-981b-2a9f3c8f20c8' }, undefined, [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }]],
    ['kms', 'Encrypt', { KeyId: 'alias/aws/ssm' }, undefined, []],
    ['ssm', 'GetParameter', { Name: '/a/b' }, undefined, [{ accountId: ACCOUNT, ARN: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/a/b` }]],
    ['ssm', 'GetParameters', { Names: ['x', '/y'] }, undefined, [
      { accountId: ACCOUNT, ARN: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/x` },
      { accountId: ACCOUNT, ARN: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/y` },
    ]],
    ['secretsmanager', 'GetSecretValue', { SecretId: 's' }, undefined, []],
  ])('%s %s', (service, operation, input, output, expected) => {
    expect(recordFormOf(jsonCall(service, operation, input, output), { eventName: operation, readOnly: true }).resources).toEqual(expected);
  });
});

describe('JSON resources of data events: what trail selectors match on', () => {
  const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/users`;
  it.each([
    ['PutItem', { TableName: 'users', Item: { id: { S: '1' } } }, [{ accountId: ACCOUNT, type: 'AWS::DynamoDB::Table', ARN: TABLE }]],
    ['GetItem', { TableName: TABLE, Key: { id: { S: '1' } } }, [{ accountId: ACCOUNT, type: 'AWS::DynamoDB::Table', ARN: TABLE }]],
    ['BatchGetItem', { RequestItems: { users: { Keys: [] }, b: { Keys: [] } } }, [
      { accountId: ACCOUNT, type: 'AWS::DynamoDB::Table', ARN: TABLE },
      { accountId: ACCOUNT, type: 'AWS::DynamoDB::Table', ARN: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/b` },
    ]],
    ['CreateTable', { TableName: 'users' }, [{ accountId: ACCOUNT, type: 'AWS::DynamoDB::Table', ARN: TABLE }]],
    ['ListTables', {}, []],
  ])('dynamodb %s', (operation, input, expected) => {
    expect(recordFormOf(jsonCall('dynamodb', operation, input), { eventName: operation, readOnly: false, dataResourceType: 'AWS::DynamoDB::Table' }).resources).toEqual(expected);
  });

  it('names the queue of an SQS data event by ARN, in the account of its URL', () => {
    const send = jsonCall('sqs', 'SendMessage', { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs.fifo', MessageBody: 'x' });
    expect(recordFormOf(send, { eventName: 'SendMessage', readOnly: false, dataResourceType: 'AWS::SQS::Queue' }).resources).toEqual([
      { accountId: '123456789012', type: 'AWS::SQS::Queue', ARN: 'arn:aws:sqs:us-east-1:123456789012:jobs.fifo' },
    ]);
    const odd = jsonCall('sqs', 'SendMessage', { QueueUrl: 'not a url', MessageBody: 'x' });
    expect(recordFormOf(odd, { eventName: 'SendMessage', readOnly: false, dataResourceType: 'AWS::SQS::Queue' }).resources).toEqual([]);
    // Management calls name no queue.
    const attributes = jsonCall('sqs', 'GetQueueAttributes', { QueueUrl: 'http://localhost:4566/123456789012/jobs' });
    expect(recordFormOf(attributes, { eventName: 'GetQueueAttributes', readOnly: true }).resources).toEqual([]);
  });
});

describe('JSON errors', () => {
  it.each([
    [{ __type: 'com.amazonaws.kms#NotFoundException', message: 'Key not found' }, { code: 'NotFoundException', message: 'Key not found' }],
    [{ __type: 'ResourceNotFoundException', Message: 'Secrets Manager can’t find the specified secret.' }, { code: 'ResourceNotFoundException', message: 'Secrets Manager can’t find the specified secret.' }],
    [{ __type: 'com.amazon.coral.availability#ThrottlingException' }, { code: 'ThrottlingException', message: '' }],
    [undefined, { code: 'InternalError', message: '' }],
  ])('%j', (output, expected) => {
    const form = recordFormOf(jsonCall('kms', 'DescribeKey', { KeyId: 'k' }, output, output === undefined ? 500 : 400), { eventName: 'DescribeKey', readOnly: true });
    expect(form.error).toEqual(expected);
    expect(form.requestId).toBe('REQ-1');
    expect(form.responseElements).toBeNull();
  });
});
