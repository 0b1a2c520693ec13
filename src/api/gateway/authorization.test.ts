import { describe, expect, it } from 'vitest';
import type { GatewayRequestView } from './contract.js';
import { authorizationChecks, dataResourceArn } from './authorization.js';
import { matchOperation } from './match-operation.js';
import { gatewayModels } from './models.js';

const ACCOUNT = '111122223333';

function view(method: string, path: string, query = '', headers: Record<string, string> = {}, body?: string): GatewayRequestView {
  return { method, path, query, headers, host: '127.0.0.1:4747', bytesIn: 0, ...(body !== undefined && { body: Buffer.from(body) }) };
}

function checks(service: string, request: GatewayRequestView) {
  const model = gatewayModels.get(service)!;
  return authorizationChecks(model, matchOperation(model, request), request, 'eu-west-1', ACCOUNT);
}

describe('the IAM action and resource of a forwarded call', () => {
  it.each([
    [view('GET', '/'), 's3:ListAllMyBuckets', '*'],
    [view('PUT', '/finance'), 's3:CreateBucket', 'arn:aws:s3:::finance'],
    [view('GET', '/finance', 'list-type=2&prefix=q'), 's3:ListBucket', 'arn:aws:s3:::finance'],
    [view('HEAD', '/finance'), 's3:ListBucket', 'arn:aws:s3:::finance'],
    [view('GET', '/finance/q3.pdf'), 's3:GetObject', 'arn:aws:s3:::finance/q3.pdf'],
    [view('HEAD', '/finance/reports/a%20b.txt'), 's3:GetObject', 'arn:aws:s3:::finance/reports/a b.txt'],
    [view('PUT', '/finance/q3.pdf'), 's3:PutObject', 'arn:aws:s3:::finance/q3.pdf'],
    [view('POST', '/finance/big.bin', 'uploads'), 's3:PutObject', 'arn:aws:s3:::finance/big.bin'],
    [view('DELETE', '/finance/big.bin', 'uploadId=u'), 's3:AbortMultipartUpload', 'arn:aws:s3:::finance/big.bin'],
    [view('POST', '/finance', 'delete'), 's3:DeleteObject', 'arn:aws:s3:::finance/*'],
    [view('GET', '/finance', 'acl'), 's3:GetBucketAcl', 'arn:aws:s3:::finance'],
    [view('PUT', '/finance', 'lifecycle'), 's3:PutLifecycleConfiguration', 'arn:aws:s3:::finance'],
  ])('%o is %s on %s', (request, action, resource) => {
    expect(checks('s3', request)[0]).toEqual({ action, resource });
  });

  it('asks to read the source of a copy too', () => {
    expect(checks('s3', view('PUT', '/finance/copy.pdf', '', { 'x-amz-copy-source': '/archive/old%20q3.pdf?versionId=1' }))).toEqual([
      { action: 's3:PutObject', resource: 'arn:aws:s3:::finance/copy.pdf' },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::archive/old q3.pdf' },
    ]);
  });

  it('names the resource of JSON services by its ARN, and Lambda functions from the path', () => {
    const json = (service: string, target: string, body: unknown) =>
      checks(service, view('POST', '/', '', { 'x-amz-target': target }, JSON.stringify(body)))[0];
    expect(json('dynamodb', 'DynamoDB_20120810.PutItem', { TableName: 'orders', Item: {} })).toEqual({ action: 'dynamodb:PutItem', resource: 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders' });
    expect(json('kms', 'TrentService.Decrypt', { CiphertextBlob: 'x' })).toEqual({ action: 'kms:Decrypt', resource: '*' });
    expect(json('kms', 'TrentService.Encrypt', { KeyId: 'alias/app' })).toEqual({ action: 'kms:Encrypt', resource: 'arn:aws:kms:eu-west-1:111122223333:alias/app' });
    expect(json('secretsmanager', 'secretsmanager.GetSecretValue', { SecretId: 'db' })).toEqual({ action: 'secretsmanager:GetSecretValue', resource: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db' });
    expect(json('ssm', 'AmazonSSM.GetParameter', { Name: 'app/key' })).toEqual({ action: 'ssm:GetParameter', resource: 'arn:aws:ssm:eu-west-1:111122223333:parameter/app/key' });
    expect(json('sqs', 'AmazonSQS.SendMessage', { QueueUrl: 'http://q/111122223333/jobs', MessageBody: 'x' })).toEqual({ action: 'sqs:SendMessage', resource: 'arn:aws:sqs:eu-west-1:111122223333:jobs' });
    expect(checks('lambda', view('POST', '/2015-03-31/functions/resize/invocations'))[0]).toEqual({ action: 'lambda:Invoke', resource: 'arn:aws:lambda:eu-west-1:111122223333:function:resize' });
    // A body that is not JSON names no resource: checked on '*', never on something made up.
    expect(checks('dynamodb', view('POST', '/', '', { 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{not json'))[0]!.resource).toBe('*');
  });

  it('gives the ARN a data event acts on', () => {
    const sns = gatewayModels.get('sns')!;
    const publish = view('POST', '/', '', { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aeu-west-1%3A111122223333%3Aalerts&Message=x');
    expect(dataResourceArn(sns, matchOperation(sns, publish), publish, 'eu-west-1', ACCOUNT)).toBe('arn:aws:sns:eu-west-1:111122223333:alerts');
    const dynamodb = gatewayModels.get('dynamodb')!;
    const get = view('POST', '/', '', { 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{"TableName":"orders","Key":{}}');
    expect(dataResourceArn(dynamodb, matchOperation(dynamodb, get), get, 'eu-west-1', ACCOUNT)).toBe('arn:aws:dynamodb:eu-west-1:111122223333:table/orders');
  });
});
