/**
 * How CloudTrail names and classifies the calls of the services the gateway fronts: the
 * eventName it records for a model operation, whether the call is a data event (and of which
 * resource type), and its readOnly flag. Checked against the shared real records by
 * cloudtrail-names.samples.test.ts.
 *
 * `operation` is always the botocore operation name (`ListObjectsV2`); a name the model does not
 * hold is classified by the same rules, so a best-effort name of an unmatched call gets an answer.
 */
import type { GatewayServiceModel } from './contract.js';

/** S3 operations CloudTrail records under an older or different name. */
const S3_EVENT_NAMES: Readonly<Record<string, string>> = {
  ListObjectsV2: 'ListObjects',
  GetBucketLifecycleConfiguration: 'GetBucketLifecycle',
  PutBucketLifecycleConfiguration: 'PutBucketLifecycle',
  GetBucketNotificationConfiguration: 'GetBucketNotification',
  PutBucketNotificationConfiguration: 'PutBucketNotification',
  GetBucketAccelerateConfiguration: 'GetAccelerateConfiguration',
  PutBucketAccelerateConfiguration: 'PutAccelerateConfiguration',
  GetObjectLockConfiguration: 'GetBucketObjectLockConfiguration',
  PutObjectLockConfiguration: 'PutBucketObjectLockConfiguration',
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 'DeleteBucketPublicAccessBlock',
};

/**
 * Lambda: the operations of the date-versioned API paths from before 2019 (`/2015-03-31/`,
 * `/2016-08-19/`, `/2017-03-31/`, `/2017-10-31/`, `/2018-10-31/`) are recorded with the date
 * appended (`CreateFunction20150331`); those of later paths (code signing, function URLs,
 * provisioned concurrency, ...) under their plain name. These are recorded with a further `v2`.
 */
const LAMBDA_V2 = new Set([
  'AddPermission',
  'GetFunction',
  'GetFunctionConfiguration',
  'GetPolicy',
  'RemovePermission',
  'TagResource',
  'UntagResource',
  'UpdateFunctionCode',
  'UpdateFunctionConfiguration',
]);

/** Lambda's invocations are recorded under the plain name whatever their path's date. */
const LAMBDA_PLAIN = new Set(['Invoke', 'InvokeAsync', 'InvokeWithResponseStream']);

/** The first API date whose Lambda operations CloudTrail records without a date suffix. */
const LAMBDA_UNSUFFIXED_FROM = '2019-01-01';

function lambdaEventName(model: GatewayServiceModel, operation: string): string {
  if (LAMBDA_PLAIN.has(operation)) return operation;
  const route = model.operations.find((candidate) => candidate.name === operation);
  const date = route === undefined ? undefined : /^\/(\d{4})-(\d{2})-(\d{2})\//.exec(route.requestUri);
  if (date === undefined || date === null) return operation;
  const [, year, month, day] = date;
  if (`${year}-${month}-${day}` >= LAMBDA_UNSUFFIXED_FROM) return operation;
  return `${operation}${year}${month}${day}${LAMBDA_V2.has(operation) ? 'v2' : ''}`;
}

/** CloudTrail's eventName for a call of `operation`. */
export function eventNameOf(model: GatewayServiceModel, operation: string): string {
  switch (model.eventSource) {
    case 's3.amazonaws.com':
      return Object.hasOwn(S3_EVENT_NAMES, operation) ? (S3_EVENT_NAMES[operation] ?? operation) : operation;
    case 'lambda.amazonaws.com':
      return lambdaEventName(model, operation);
    default:
      return operation;
  }
}

interface DataEvents {
  resourceType: string;
  operations: ReadonlySet<string>;
}

/** The operations CloudTrail records as data events, by eventSource, with their resource type. */
const DATA_EVENTS: Readonly<Record<string, DataEvents>> = {
  's3.amazonaws.com': {
    resourceType: 'AWS::S3::Object',
    operations: new Set([
      'GetObject', 'PutObject', 'HeadObject', 'CopyObject', 'DeleteObject', 'DeleteObjects',
      'GetObjectAcl', 'PutObjectAcl', 'GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging',
      'GetObjectAttributes', 'GetObjectRetention', 'PutObjectRetention', 'GetObjectLegalHold', 'PutObjectLegalHold',
      'RestoreObject', 'SelectObjectContent', 'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy',
      'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts', 'ListObjects', 'ListObjectsV2',
      'ListObjectVersions', 'ListMultipartUploads', 'GetObjectTorrent',
    ]),
  },
  'dynamodb.amazonaws.com': {
    resourceType: 'AWS::DynamoDB::Table',
    operations: new Set([
      'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem',
      'TransactGetItems', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction',
    ]),
  },
  'lambda.amazonaws.com': {
    resourceType: 'AWS::Lambda::Function',
    operations: new Set(['Invoke', 'InvokeWithResponseStream', 'InvokeAsync']),
  },
  'sqs.amazonaws.com': {
    resourceType: 'AWS::SQS::Queue',
    operations: new Set([
      'SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch',
      'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch',
    ]),
  },
  'sns.amazonaws.com': {
    resourceType: 'AWS::SNS::Topic',
    operations: new Set(['Publish', 'PublishBatch']),
  },
};

function dataEvents(model: GatewayServiceModel): DataEvents | undefined {
  return Object.hasOwn(DATA_EVENTS, model.eventSource) ? DATA_EVENTS[model.eventSource] : undefined;
}

/** True when CloudTrail records the call as a data event (eventCategory `Data`), else management. */
export function isDataEvent(model: GatewayServiceModel, operation: string): boolean {
  return dataEvents(model)?.operations.has(operation) ?? false;
}

/** The `resources[].type` of a data event (`AWS::S3::Object`); undefined for management events. */
export function dataResourceTypeOf(model: GatewayServiceModel, operation: string): string | undefined {
  const events = dataEvents(model);
  return events !== undefined && events.operations.has(operation) ? events.resourceType : undefined;
}

/** Verbs of the operations that only read. */
const READ_VERB = /^(?:Get|List|Describe|Head|Lookup|Search|Query|Scan|BatchGet|TransactGet|Select|Receive)(?=[A-Z0-9]|$)/;

/**
 * KMS's cryptographic operations use a key without changing it: CloudTrail records them as
 * read-only (the samples hold Encrypt, Decrypt and GenerateDataKey).
 */
const KMS_READ_ONLY = new Set([
  'Decrypt', 'Encrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateRandom', 'GenerateMac', 'VerifyMac', 'Sign', 'Verify', 'DeriveSharedSecret',
]);

/** CloudTrail's readOnly for a call of `operation`. */
export function isReadOnly(model: GatewayServiceModel, operation: string): boolean {
  if (READ_VERB.test(operation)) return true;
  return model.eventSource === 'kms.amazonaws.com' && KMS_READ_ONLY.has(operation);
}
