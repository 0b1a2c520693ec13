/**
 * What a forwarded call asks IAM for: the action and resource of each check, as AWS defines
 * them for the real service (S3's `s3:GetObject` on `arn:aws:s3:::finance/q3.pdf`, not the
 * operation name on `*`). Every check must be allowed for the call to be forwarded.
 */
import type { GatewayRequestView, GatewayServiceModel, MatchedOperation } from './contract.js';

export interface AuthorizationCheck {
  action: string;
  resource: string;
}

/** S3 operations whose IAM action is not `s3:<Operation>`. */
const S3_ACTIONS: Readonly<Record<string, string>> = {
  ListBuckets: 'ListAllMyBuckets',
  ListObjects: 'ListBucket',
  ListObjectsV2: 'ListBucket',
  HeadBucket: 'ListBucket',
  ListObjectVersions: 'ListBucketVersions',
  ListMultipartUploads: 'ListBucketMultipartUploads',
  ListParts: 'ListMultipartUploadParts',
  HeadObject: 'GetObject',
  GetObjectAttributes: 'GetObject',
  CopyObject: 'PutObject',
  CreateMultipartUpload: 'PutObject',
  UploadPart: 'PutObject',
  UploadPartCopy: 'PutObject',
  CompleteMultipartUpload: 'PutObject',
  DeleteObjects: 'DeleteObject',
  GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration',
  PutBucketLifecycleConfiguration: 'PutLifecycleConfiguration',
  DeleteBucketLifecycle: 'PutLifecycleConfiguration',
  GetBucketEncryption: 'GetEncryptionConfiguration',
  PutBucketEncryption: 'PutEncryptionConfiguration',
  DeleteBucketEncryption: 'PutEncryptionConfiguration',
  DeleteBucketTagging: 'PutBucketTagging',
  GetBucketCors: 'GetBucketCORS',
  PutBucketCors: 'PutBucketCORS',
  DeleteBucketCors: 'PutBucketCORS',
  GetBucketReplication: 'GetReplicationConfiguration',
  PutBucketReplication: 'PutReplicationConfiguration',
  DeleteBucketReplication: 'PutReplicationConfiguration',
  GetBucketAccelerateConfiguration: 'GetAccelerateConfiguration',
  PutBucketAccelerateConfiguration: 'PutAccelerateConfiguration',
  GetBucketNotificationConfiguration: 'GetBucketNotification',
  PutBucketNotificationConfiguration: 'PutBucketNotification',
  GetObjectLockConfiguration: 'GetBucketObjectLockConfiguration',
  PutObjectLockConfiguration: 'PutBucketObjectLockConfiguration',
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 'PutBucketPublicAccessBlock',
};

function s3Checks(matched: MatchedOperation | undefined, request: GatewayRequestView): AuthorizationCheck[] {
  const bucket = matched?.uriParams.Bucket;
  const key = matched?.uriParams.Key;
  const operation = matched?.operation ?? 'UnknownOperation';
  const action = `s3:${S3_ACTIONS[operation] ?? operation}`;
  // DeleteObjects names its keys in the body, which streams: asking for every key of the bucket
  // is stricter than S3 (which checks each key), never looser.
  const resource =
    bucket === undefined ? '*' : key !== undefined ? `arn:aws:s3:::${bucket}/${key}` : operation === 'DeleteObjects' ? `arn:aws:s3:::${bucket}/*` : `arn:aws:s3:::${bucket}`;
  const checks = [{ action, resource }];
  const copySource = headerOf(request, 'x-amz-copy-source');
  if (copySource !== undefined && (operation === 'CopyObject' || operation === 'UploadPartCopy')) {
    checks.push({ action: 's3:GetObject', resource: `arn:aws:s3:::${copySourcePath(copySource)}` });
  }
  return checks;
}

function headerOf(request: GatewayRequestView, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `x-amz-copy-source: /bucket/key%20name?versionId=…` → `bucket/key name`. */
function copySourcePath(header: string): string {
  const withoutVersion = header.split('?')[0]!.replace(/^\//, '');
  try {
    return decodeURIComponent(withoutVersion);
  } catch {
    return withoutVersion;
  }
}

/** The JSON body's top-level string members (the ARN-bearing names every service uses). */
function jsonStrings(body: Buffer | undefined): Readonly<Record<string, string>> {
  if (body === undefined || body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

/** The resource ARN of a JSON-protocol call, for the services whose resource travels by name. */
function jsonResource(service: string, input: Readonly<Record<string, string>>, region: string, account: string): string {
  const arn = (name: string | undefined, build: (name: string) => string) =>
    name === undefined ? '*' : name.startsWith('arn:') ? name : build(name);
  switch (service) {
    case 'dynamodb':
      return arn(input.TableName, (n) => `arn:aws:dynamodb:${region}:${account}:table/${n}`);
    case 'kms':
      return arn(input.KeyId, (n) => `arn:aws:kms:${region}:${account}:${n.startsWith('alias/') ? n : `key/${n}`}`);
    case 'secretsmanager':
      return arn(input.SecretId ?? input.Name, (n) => `arn:aws:secretsmanager:${region}:${account}:secret:${n}`);
    case 'ssm':
      return arn(input.Name, (n) => `arn:aws:ssm:${region}:${account}:parameter${n.startsWith('/') ? n : `/${n}`}`);
    case 'sqs':
      return arn(input.QueueUrl?.split('/').at(-1), (n) => `arn:aws:sqs:${region}:${account}:${n}`);
    default:
      return '*';
  }
}

/** The form body's value of one parameter (Query protocol: SNS's TopicArn). */
function formValue(body: Buffer | undefined, name: string): string | undefined {
  if (body === undefined) return undefined;
  const value = new URLSearchParams(body.toString('utf8')).get(name);
  return value === null || value === '' ? undefined : value;
}

/**
 * The ARN of the resource a data event acts on, for the record's `resources` where the record
 * form names none: the table, function, queue or topic that data-event selectors select on.
 */
export function dataResourceArn(
  model: GatewayServiceModel,
  matched: MatchedOperation | undefined,
  request: GatewayRequestView,
  region: string,
  accountId: string,
): string | undefined {
  if (model.signingName === 'sns') return formValue(request.body, 'TopicArn');
  if (model.signingName === 's3') return undefined;
  const arn = authorizationChecks(model, matched, request, region, accountId)[0]?.resource;
  return arn === undefined || arn === '*' ? undefined : arn;
}

export function authorizationChecks(
  model: GatewayServiceModel,
  matched: MatchedOperation | undefined,
  request: GatewayRequestView,
  region: string,
  accountId: string,
): AuthorizationCheck[] {
  if (model.signingName === 's3') return s3Checks(matched, request);
  const action = `${model.signingName}:${matched?.operation ?? 'UnknownOperation'}`;
  if (model.signingName === 'lambda') {
    const name = matched?.uriParams.FunctionName;
    return [{ action, resource: name === undefined ? '*' : name.startsWith('arn:') ? name : `arn:aws:lambda:${region}:${accountId}:function:${name}` }];
  }
  if (model.protocol === 'json') return [{ action, resource: jsonResource(model.signingName, jsonStrings(request.body), region, accountId) }];
  return [{ action, resource: '*' }];
}
