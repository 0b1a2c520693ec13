import { describe, expect, it } from 'vitest';
import { dataResourceTypeOf, eventNameOf, isDataEvent, isReadOnly } from './cloudtrail-names.js';
import { model as dynamodb } from '../../services/dynamodb/routes.gen.js';
import { model as ec2 } from '../../services/ec2/routes.gen.js';
import { model as kms } from '../../services/kms/routes.gen.js';
import { model as lambda } from '../../services/lambda/routes.gen.js';
import { model as s3 } from '../../services/s3/routes.gen.js';
import { model as sns } from '../../services/sns/routes.gen.js';
import { model as sqs } from '../../services/sqs/routes.gen.js';
import { model as ssm } from '../../services/ssm/routes.gen.js';

describe('eventNameOf', () => {
  it.each([
    ['ListObjectsV2', 'ListObjects'],
    ['ListObjects', 'ListObjects'],
    ['GetBucketLifecycleConfiguration', 'GetBucketLifecycle'],
    ['PutBucketLifecycleConfiguration', 'PutBucketLifecycle'],
    ['DeleteBucketLifecycle', 'DeleteBucketLifecycle'],
    ['GetBucketNotificationConfiguration', 'GetBucketNotification'],
    ['PutBucketNotificationConfiguration', 'PutBucketNotification'],
    ['HeadBucket', 'HeadBucket'],
    ['HeadObject', 'HeadObject'],
    ['GetBucketAccelerateConfiguration', 'GetAccelerateConfiguration'],
    ['PutBucketAccelerateConfiguration', 'PutAccelerateConfiguration'],
    ['GetBucketReplication', 'GetBucketReplication'],
    ['PutBucketReplication', 'PutBucketReplication'],
    ['GetObjectLockConfiguration', 'GetBucketObjectLockConfiguration'],
    ['PutObjectLockConfiguration', 'PutBucketObjectLockConfiguration'],
    ['GetPublicAccessBlock', 'GetBucketPublicAccessBlock'],
    ['GetObject', 'GetObject'],
  ])('S3 %s → %s', (operation, eventName) => {
    expect(eventNameOf(s3, operation)).toBe(eventName);
  });

  it.each([
    ['CreateFunction', 'CreateFunction20150331'],
    ['GetFunction', 'GetFunction20150331v2'],
    ['Invoke', 'Invoke'],
    ['InvokeAsync', 'InvokeAsync'],
    ['ListFunctions', 'ListFunctions20150331'],
    ['UpdateFunctionCode', 'UpdateFunctionCode20150331v2'],
    ['UpdateFunctionConfiguration', 'UpdateFunctionConfiguration20150331v2'],
    ['AddPermission', 'AddPermission20150331v2'],
    ['RemovePermission', 'RemovePermission20150331v2'],
    ['GetFunctionConfiguration', 'GetFunctionConfiguration20150331v2'],
    ['DeleteFunction', 'DeleteFunction20150331'],
    ['ListVersionsByFunction', 'ListVersionsByFunction20150331'],
    ['CreateEventSourceMapping', 'CreateEventSourceMapping20150331'],
    ['UpdateEventSourceMapping', 'UpdateEventSourceMapping20150331'],
    ['GetFunctionCodeSigningConfig', 'GetFunctionCodeSigningConfig'],
    ['CreateFunctionUrlConfig', 'CreateFunctionUrlConfig'],
    ['PutFunctionConcurrency', 'PutFunctionConcurrency20171031'],
    ['GetFunctionConcurrency', 'GetFunctionConcurrency'],
    ['PublishLayerVersion', 'PublishLayerVersion20181031'],
    ['GetAccountSettings', 'GetAccountSettings20160819'],
    ['TagResource', 'TagResource20170331v2'],
    ['ListTags', 'ListTags20170331'],
    ['NotInTheModel', 'NotInTheModel'],
  ])('Lambda %s → %s', (operation, eventName) => {
    expect(eventNameOf(lambda, operation)).toBe(eventName);
  });

  it('other services record the operation name', () => {
    expect(eventNameOf(ec2, 'RunInstances')).toBe('RunInstances');
    expect(eventNameOf(dynamodb, 'GetItem')).toBe('GetItem');
  });
});

describe('isDataEvent and dataResourceTypeOf', () => {
  it.each([
    [s3, 'GetObject', 'AWS::S3::Object'],
    [s3, 'ListObjectsV2', 'AWS::S3::Object'],
    [s3, 'UploadPartCopy', 'AWS::S3::Object'],
    [s3, 'ListBuckets', undefined],
    [s3, 'GetBucketAcl', undefined],
    [dynamodb, 'Query', 'AWS::DynamoDB::Table'],
    [dynamodb, 'CreateTable', undefined],
    [lambda, 'Invoke', 'AWS::Lambda::Function'],
    [lambda, 'GetFunction', undefined],
    [sqs, 'ReceiveMessage', 'AWS::SQS::Queue'],
    [sqs, 'CreateQueue', undefined],
    [sns, 'Publish', 'AWS::SNS::Topic'],
    [sns, 'CreateTopic', undefined],
    [kms, 'Decrypt', undefined],
    [ec2, 'RunInstances', undefined],
    [ssm, 'GetParameter', undefined],
  ])('%# %s → %s', (model, operation, type) => {
    expect(isDataEvent(model, operation)).toBe(type !== undefined);
    expect(dataResourceTypeOf(model, operation)).toBe(type);
  });
});

describe('isReadOnly', () => {
  it.each([
    [s3, 'GetObject', true],
    [s3, 'HeadObject', true],
    [s3, 'ListObjectsV2', true],
    [s3, 'PutObject', false],
    [s3, 'SelectObjectContent', true],
    [kms, 'Decrypt', true],
    [kms, 'Encrypt', true],
    [kms, 'GenerateDataKey', true],
    [kms, 'CreateKey', false],
    [kms, 'ScheduleKeyDeletion', false],
    [sqs, 'ReceiveMessage', true],
    [sqs, 'SendMessage', false],
    [dynamodb, 'Query', true],
    [dynamodb, 'Scan', true],
    [dynamodb, 'BatchGetItem', true],
    [dynamodb, 'TransactGetItems', true],
    [dynamodb, 'BatchWriteItem', false],
    [ec2, 'DescribeInstances', true],
    [ec2, 'RunInstances', false],
    [lambda, 'Invoke', false],
    [ec2, 'Getaway', false],
  ])('%# %s → %s', (model, operation, readOnly) => {
    expect(isReadOnly(model, operation)).toBe(readOnly);
  });
});
