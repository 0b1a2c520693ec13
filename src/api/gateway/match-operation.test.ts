import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GatewayRequestView, GatewayServiceModel } from './contract.js';
import { fallbackEventName, matchOperation } from './match-operation.js';
import { model as dynamodb } from '../../services/dynamodb/routes.gen.js';
import { model as ec2 } from '../../services/ec2/routes.gen.js';
import { model as kms } from '../../services/kms/routes.gen.js';
import { model as lambda } from '../../services/lambda/routes.gen.js';
import { model as s3 } from '../../services/s3/routes.gen.js';
import { model as secretsmanager } from '../../services/secretsmanager/routes.gen.js';
import { model as sns } from '../../services/sns/routes.gen.js';
import { model as sqs } from '../../services/sqs/routes.gen.js';
import { model as ssm } from '../../services/ssm/routes.gen.js';

const MODELS: readonly GatewayServiceModel[] = [s3, ec2, kms, sqs, sns, dynamodb, lambda, secretsmanager, ssm];

function request(method: string, target: string, headers: Record<string, string> = {}, body?: string): GatewayRequestView {
  const q = target.indexOf('?');
  return {
    method,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    headers,
    host: 'gateway.test',
    ...(body === undefined ? {} : { body: Buffer.from(body) }),
    bytesIn: body?.length ?? 0,
  };
}

const COPY = { 'x-amz-copy-source': '/src-bucket/a.txt' };

/** [method, path?query, headers, operation, uriParams] */
const S3_CASES: [string, string, Record<string, string>, string, Record<string, string>?][] = [
  ['GET', '/', {}, 'ListBuckets', {}],
  ['HEAD', '/finance', {}, 'HeadBucket', { Bucket: 'finance' }],
  ['HEAD', '/finance/', {}, 'HeadBucket', { Bucket: 'finance' }],
  ['HEAD', '/finance/q3.pdf', {}, 'HeadObject', { Bucket: 'finance', Key: 'q3.pdf' }],
  ['HEAD', '/finance/q3.pdf?x-id=HeadObject', {}, 'HeadObject'],
  ['PUT', '/finance', {}, 'CreateBucket', { Bucket: 'finance' }],
  ['DELETE', '/finance', {}, 'DeleteBucket'],
  // virtual-hosted `GET /` on finance.s3.amazonaws.com, normalised to path style
  ['GET', '/finance/', {}, 'ListObjects', { Bucket: 'finance' }],
  ['GET', '/finance', {}, 'ListObjects'],
  ['GET', '/finance?prefix=2024%2F&delimiter=%2F', {}, 'ListObjects'],
  ['GET', '/finance?list-type=2', {}, 'ListObjectsV2', { Bucket: 'finance' }],
  ['GET', '/finance/?list-type=2&prefix=a&continuation-token=x', {}, 'ListObjectsV2'],
  ['GET', '/finance?list-type=3', {}, 'ListObjects'],
  ['GET', '/finance?versions', {}, 'ListObjectVersions'],
  ['GET', '/finance?uploads', {}, 'ListMultipartUploads'],
  ['GET', '/finance?acl', {}, 'GetBucketAcl'],
  ['GET', '/finance/?acl=', {}, 'GetBucketAcl'],
  ['PUT', '/finance?acl', {}, 'PutBucketAcl'],
  ['GET', '/finance?location', {}, 'GetBucketLocation'],
  ['GET', '/finance?policy', {}, 'GetBucketPolicy'],
  ['GET', '/finance?policyStatus', {}, 'GetBucketPolicyStatus'],
  ['DELETE', '/finance?policy', {}, 'DeleteBucketPolicy'],
  ['GET', '/finance?lifecycle', {}, 'GetBucketLifecycleConfiguration'],
  ['PUT', '/finance?lifecycle', {}, 'PutBucketLifecycleConfiguration'],
  ['GET', '/finance?notification', {}, 'GetBucketNotificationConfiguration'],
  ['GET', '/finance?object-lock', {}, 'GetObjectLockConfiguration'],
  ['GET', '/finance?publicAccessBlock', {}, 'GetPublicAccessBlock'],
  ['GET', '/finance?analytics', {}, 'ListBucketAnalyticsConfigurations'],
  ['GET', '/finance?analytics&id=a1', {}, 'GetBucketAnalyticsConfiguration'],
  ['PUT', '/finance?versioning', {}, 'PutBucketVersioning'],
  ['POST', '/finance?delete', {}, 'DeleteObjects', { Bucket: 'finance' }],
  ['GET', '/finance/q3.pdf', {}, 'GetObject', { Bucket: 'finance', Key: 'q3.pdf' }],
  ['GET', '/finance/q3.pdf?x-id=GetObject', {}, 'GetObject'],
  ['GET', '/finance/reports/2024/q3%20final.pdf', {}, 'GetObject', { Bucket: 'finance', Key: 'reports/2024/q3 final.pdf' }],
  ['GET', '/finance/dir/', {}, 'GetObject', { Bucket: 'finance', Key: 'dir/' }],
  ['PUT', '/finance//', {}, 'PutObject', { Bucket: 'finance', Key: '/' }],
  ['GET', '/finance/bad%ZZkey', {}, 'GetObject', { Bucket: 'finance', Key: 'bad%ZZkey' }],
  ['GET', '/finance/q3.pdf?partNumber=2', {}, 'GetObject'],
  ['GET', '/finance/q3.pdf?response-content-type=text%2Fplain', {}, 'GetObject'],
  ['PUT', '/finance/q3.pdf', {}, 'PutObject', { Bucket: 'finance', Key: 'q3.pdf' }],
  ['PUT', '/finance/q3.pdf?x-id=PutObject', {}, 'PutObject'],
  ['PUT', '/finance/q3.pdf', COPY, 'CopyObject', { Bucket: 'finance', Key: 'q3.pdf' }],
  ['PUT', '/finance/q3.pdf?x-id=CopyObject', COPY, 'CopyObject'],
  ['DELETE', '/finance/q3.pdf', {}, 'DeleteObject'],
  ['DELETE', '/finance/q3.pdf?x-id=DeleteObject&versionId=v1', {}, 'DeleteObject'],
  ['POST', '/finance/big.bin?uploads', {}, 'CreateMultipartUpload', { Bucket: 'finance', Key: 'big.bin' }],
  ['POST', '/finance/big.bin?uploads=', {}, 'CreateMultipartUpload'],
  ['PUT', '/finance/big.bin?partNumber=1&uploadId=x', {}, 'UploadPart'],
  ['PUT', '/finance/big.bin?partNumber=1&uploadId=x', COPY, 'UploadPartCopy'],
  ['PUT', '/finance/big.bin?uploadId=x&partNumber=2&x-id=UploadPart', {}, 'UploadPart'],
  ['POST', '/finance/big.bin?uploadId=x', {}, 'CompleteMultipartUpload'],
  ['DELETE', '/finance/big.bin?uploadId=x', {}, 'AbortMultipartUpload'],
  ['DELETE', '/finance/big.bin?uploadId=', {}, 'AbortMultipartUpload'],
  ['GET', '/finance/big.bin?uploadId=x', {}, 'ListParts'],
  ['GET', '/finance/q3.pdf?acl', {}, 'GetObjectAcl'],
  ['PUT', '/finance/q3.pdf?acl', {}, 'PutObjectAcl'],
  ['GET', '/finance/q3.pdf?tagging', {}, 'GetObjectTagging'],
  ['DELETE', '/finance/q3.pdf?tagging', {}, 'DeleteObjectTagging'],
  ['GET', '/finance/q3.pdf?attributes', { 'x-amz-object-attributes': 'ETag' }, 'GetObjectAttributes'],
  ['GET', '/finance/q3.pdf?attributes', {}, 'GetObjectAttributes'],
  ['POST', '/finance/q3.pdf?restore', {}, 'RestoreObject'],
  ['POST', '/finance/data.csv?select&select-type=2', {}, 'SelectObjectContent'],
  ['GET', '/finance/q3.pdf?retention', {}, 'GetObjectRetention'],
  ['GET', '/finance/q3.pdf?legal-hold', {}, 'GetObjectLegalHold'],
];

describe('matchOperation: S3 (rest-xml)', () => {
  it.each(S3_CASES)('%s %s %j → %s', (method, target, headers, operation, uriParams) => {
    const matched = matchOperation(s3, request(method, target, headers));
    expect(matched?.operation).toBe(operation);
    if (uriParams !== undefined) expect(matched?.uriParams).toEqual(uriParams);
  });

  it('names the call as CloudTrail does', () => {
    expect(matchOperation(s3, request('GET', '/finance?list-type=2'))?.eventName).toBe('ListObjects');
    expect(matchOperation(s3, request('GET', '/finance?lifecycle'))?.eventName).toBe('GetBucketLifecycle');
    expect(matchOperation(s3, request('GET', '/finance?accelerate'))?.eventName).toBe('GetAccelerateConfiguration');
  });

  it.each([
    ['PATCH', '/finance/q3.pdf'],
    ['POST', '/'],
    ['GET', 'finance/q3.pdf'],
    ['GET', '//'],
    ['DELETE', '/'],
  ])('%s %s matches nothing', (method, target) => {
    expect(matchOperation(s3, request(method, target))).toBeUndefined();
  });
});

describe('matchOperation: Lambda (rest-json)', () => {
  it.each([
    ['POST', '/2015-03-31/functions/my-fn/invocations', 'Invoke', 'Invoke', { FunctionName: 'my-fn' }],
    ['POST', '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A111122223333%3Afunction%3Amy-fn/invocations', 'Invoke', 'Invoke', { FunctionName: 'arn:aws:lambda:us-east-1:111122223333:function:my-fn' }],
    ['GET', '/2015-03-31/functions/my-fn', 'GetFunction', 'GetFunction20150331v2', { FunctionName: 'my-fn' }],
    ['GET', '/2015-03-31/functions/my-fn?Qualifier=1', 'GetFunction', 'GetFunction20150331v2', { FunctionName: 'my-fn' }],
    ['GET', '/2015-03-31/functions/my-fn/configuration', 'GetFunctionConfiguration', 'GetFunctionConfiguration20150331v2', { FunctionName: 'my-fn' }],
    ['GET', '/2015-03-31/functions/', 'ListFunctions', 'ListFunctions20150331', {}],
    ['POST', '/2015-03-31/functions', 'CreateFunction', 'CreateFunction20150331', {}],
    ['PUT', '/2015-03-31/functions/my-fn/code', 'UpdateFunctionCode', 'UpdateFunctionCode20150331v2', { FunctionName: 'my-fn' }],
    ['GET', '/2019-09-30/functions/my-fn/provisioned-concurrency?List=ALL', 'ListProvisionedConcurrencyConfigs', 'ListProvisionedConcurrencyConfigs', { FunctionName: 'my-fn' }],
    ['GET', '/2019-09-30/functions/my-fn/provisioned-concurrency?Qualifier=live', 'GetProvisionedConcurrencyConfig', 'GetProvisionedConcurrencyConfig', { FunctionName: 'my-fn' }],
    ['POST', '/2021-10-31/functions/my-fn/url', 'CreateFunctionUrlConfig', 'CreateFunctionUrlConfig', { FunctionName: 'my-fn' }],
    ['GET', '/2018-10-31/layers?find=LayerVersion&Arn=x', 'GetLayerVersionByArn', 'GetLayerVersionByArn20181031', {}],
    ['GET', '/2018-10-31/layers', 'ListLayers', 'ListLayers20181031', {}],
  ])('%s %s → %s (%s)', (method, target, operation, eventName, uriParams) => {
    expect(matchOperation(lambda, request(method, target))).toEqual({ operation, eventName, uriParams });
  });

  it('matches nothing off the model', () => {
    expect(matchOperation(lambda, request('POST', '/2015-03-31/functions/my-fn/invocations/extra'))).toBeUndefined();
    expect(matchOperation(lambda, request('GET', '/2099-01-01/functions/my-fn'))).toBeUndefined();
  });
});

describe('matchOperation: json', () => {
  const target = (model: GatewayServiceModel, operation: string) =>
    request('POST', '/', { 'x-amz-target': `${model.targetPrefix}.${operation}`, 'content-type': `application/x-amz-json-${model.jsonVersion}` }, '{}');

  it.each([
    [dynamodb, 'GetItem'],
    [dynamodb, 'PutItem'],
    [dynamodb, 'Query'],
    [kms, 'Decrypt'],
    [kms, 'CreateKey'],
    [secretsmanager, 'GetSecretValue'],
    [secretsmanager, 'CreateSecret'],
    [ssm, 'GetParameter'],
    [ssm, 'PutParameter'],
    [sqs, 'SendMessage'],
    [sqs, 'ReceiveMessage'],
  ])('%# %s', (model, operation) => {
    expect(matchOperation(model, target(model, operation))).toEqual({ operation, eventName: operation, uriParams: {} });
  });

  it('the prefix must be the model’s and the operation must exist', () => {
    expect(matchOperation(dynamodb, request('POST', '/', { 'x-amz-target': 'DynamoDB_20111205.GetItem' }))).toBeUndefined();
    expect(matchOperation(dynamodb, request('POST', '/', { 'x-amz-target': 'DynamoDB_20120810.NoSuchThing' }))).toBeUndefined();
    expect(matchOperation(kms, request('POST', '/', {}))).toBeUndefined();
    expect(matchOperation(kms, request('POST', '/', { 'x-amz-target': ['TrentService.Encrypt', 'TrentService.Decrypt'] as unknown as string }))?.operation).toBe('Encrypt');
  });

  it('SQS also answers the query protocol its older clients speak', () => {
    const form = request('POST', '/', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, 'Action=SendMessage&QueueUrl=x&MessageBody=a+b&Version=2012-11-05');
    expect(matchOperation(sqs, form)?.operation).toBe('SendMessage');
    expect(matchOperation(kms, request('POST', '/?Action=Decrypt'))).toBeUndefined();
  });
});

describe('matchOperation: query and ec2', () => {
  const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

  it.each([
    [sns, request('POST', '/', FORM, 'Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At&Message=hello+world&Version=2010-03-31'), 'Publish'],
    [sns, request('POST', '/', FORM, 'Action=ListTopics&Version=2010-03-31'), 'ListTopics'],
    [sns, request('GET', '/?Action=CreateTopic&Name=t&Version=2010-03-31'), 'CreateTopic'],
    [ec2, request('POST', '/', FORM, 'Action=DescribeInstances&Version=2016-11-15'), 'DescribeInstances'],
    [ec2, request('POST', '/', FORM, 'Version=2016-11-15&Action=RunInstances&ImageId=ami-1&MinCount=1&MaxCount=1'), 'RunInstances'],
    [ec2, request('GET', '/?Action=DescribeRegions&Version=2016-11-15'), 'DescribeRegions'],
    [ec2, request('POST', '/?Action=CreateVpc', FORM, 'Action=DeleteVpc'), 'CreateVpc'],
  ])('%# → %s', (model, req, operation) => {
    expect(matchOperation(model, req)).toEqual({ operation, eventName: operation, uriParams: {} });
  });

  it.each([
    [sns, request('POST', '/', FORM, 'Action=NoSuchAction')],
    [sns, request('POST', '/', { 'content-type': 'application/json' }, 'Action=Publish')],
    [ec2, request('POST', '/', FORM, 'Action=Describe+Instances')],
    [ec2, request('POST', '/', FORM, 'Version=2016-11-15')],
    [ec2, request('POST', '/', FORM)],
  ])('%# matches nothing', (model, req) => {
    expect(matchOperation(model, req)).toBeUndefined();
  });
});

describe('fallbackEventName', () => {
  it.each([
    [dynamodb, request('POST', '/', { 'x-amz-target': 'DynamoDB_20120810.DescribeNewThing' }), 'DescribeNewThing'],
    [sns, request('POST', '/?Action=NewAction'), 'NewAction'],
    [s3, request('PATCH', '/finance/a/b/c.txt'), 'PATCH:Bucket.Key'],
    [s3, request('PATCH', '/'), 'PATCH:root'],
    [lambda, request('PATCH', '/2015-03-31/functions/my-fn/unknown/%ZZ'), 'PATCH:2015-03-31.functions.FunctionName.x.x'],
    [dynamodb, request('POST', '/', { 'x-amz-target': 'DynamoDB_20120810.<script>alert(1)</script>' }), 'POST:root'],
    [ec2, request('POST<>', '/?Action=Drop%20Table'), 'UNKNOWN:root'],
  ])('%# → %s', (model, req, name) => {
    expect(fallbackEventName(model, req)).toBe(name);
  });
});

describe('matchOperation and fallbackEventName on arbitrary requests', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'B', '/', '?', '&', '=', '%', '+', '{', '}', '.', ':', 'é', '\u0000', '%2F', '%ZZ', 'uploadId', 'x-id', 'acl') });
  const requests = fc.record({
    method: fc.oneof(fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'get'), fc.string()),
    path: fc.oneof(text.map((t) => `/${t}`), fc.string()),
    query: fc.oneof(text, fc.string()),
    headers: fc.dictionary(
      fc.oneof(fc.constantFrom('x-amz-target', 'content-type', 'x-amz-copy-source', '__proto__', 'constructor'), fc.string()),
      fc.oneof(fc.string(), fc.array(fc.string()), fc.constant(undefined)),
    ),
    host: fc.string(),
    body: fc.option(fc.uint8Array().map((bytes) => Buffer.from(bytes)), { nil: undefined }),
    bytesIn: fc.nat(),
  });

  it('never throw, and the fallback name is always safe', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), requests, (model, req) => {
        const matched = matchOperation(model, req);
        if (matched !== undefined) expect(model.operations.some((route) => route.name === matched.operation)).toBe(true);
        expect(fallbackEventName(model, req)).toMatch(/^[A-Za-z0-9_.:-]{1,128}$/);
      }),
      { numRuns: 2000 },
    );
  });
});
