/**
 * AWS JSON protocol calls (DynamoDB, KMS, Secrets Manager, SSM, CloudWatch Logs, SQS) as CloudTrail
 * records them.
 *
 * - requestParameters: the JSON request body, member names in lowerCamelCase at every level
 *   except inside map members (REQUEST_RULES.maps: `encryptionContext` keeps `SecretARN`), less
 *   the secret members of REQUEST_RULES (dropped, or replaced by the marker CloudTrail writes).
 *   Null when the body is absent or not a JSON object.
 * - responseElements: null for read-only calls, failed calls, empty answers and the calls whose
 *   answer is secret (NULL_RESPONSES: Decrypt, Encrypt, GenerateDataKey*, GetSecretValue...);
 *   otherwise the JSON answer in the same form, with RESPONSE_RULES applied, or the members
 *   RESPONSE_PICKS lists (CreateSecret records only `arn`).
 * - resources: KMS keys by ARN (from the answer's KeyId, else the request's key id when it is
 *   an ARN or a bare key id), SSM parameters by ARN (no type, as CloudTrail writes them),
 *   DynamoDB tables by ARN (`TableName`, or the tables of `RequestItems`), and the queue of an
 *   SQS data event by ARN (from its `QueueUrl`, in the account the URL names). Trails select
 *   data events by these (`AWS::DynamoDB::Table`, `AWS::SQS::Queue`): without them no selector
 *   would ever deliver one.
 * - errors: `__type` without its namespace (`com.amazonaws.kms#NotFoundException`) and
 *   `message`/`Message`; requestId from `x-amzn-RequestId`.
 */
import type { RecordResource } from '../../../core/record.js';
import type { ForwardedCall, RecordForm } from '../contract.js';
import type { MemberRules, RecordFacts } from './shared.js';
import { baseForm, failed, header, jsonError, jsonObject, partitionOf, recordMembersOf } from './shared.js';

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Request members CloudTrail never records, per service (by signing name), by wire name. */
export const REQUEST_RULES: Readonly<Record<string, MemberRules>> = {
  kms: {
    maps: new Set(['EncryptionContext', 'SourceEncryptionContext', 'DestinationEncryptionContext']),
    // Plaintext (Encrypt), CiphertextBlob (Decrypt, ReEncrypt), Message/Signature/Mac (Sign, Verify, *Mac).
    drop: new Set(['Plaintext', 'CiphertextBlob', 'Message', 'Signature', 'Mac', 'KeyStorePassword', 'KeyMaterial', 'EncryptedKeyMaterial']),
  },
  secretsmanager: { drop: new Set(['SecretString', 'SecretBinary']) },
  ssm: {},
  // Item contents and the values of expressions are data; keys and names are recorded.
  dynamodb: {
    maps: new Set(['Key', 'Keys', 'ExclusiveStartKey', 'ExpressionAttributeNames']),
    keyedMaps: new Set(['RequestItems']),
    drop: new Set(['Item', 'ExpressionAttributeValues', 'AttributeUpdates', 'Expected']),
  },
  sqs: { maps: new Set(['Attributes', 'Tags', 'MessageAttributes', 'MessageSystemAttributes']), drop: new Set(['MessageBody', 'MessageAttributes', 'MessageSystemAttributes']) },
};

/**
 * Top-level request members recorded as a marker, per service and operation (real records:
 * PutParameter's `value`, SendCommand's `parameters`). Top level only: tags have a `Value` too.
 */
export const HIDDEN_REQUEST_MEMBERS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  ssm: { PutParameter: ['Value'], SendCommand: ['Parameters'] },
};

function requestParameters(service: string, operation: string | undefined, request: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (request === undefined) return null;
  const hidden = operation === undefined ? undefined : HIDDEN_REQUEST_MEMBERS[service]?.[operation];
  const input = hidden === undefined ? request : Object.fromEntries(Object.entries(request).map(([name, value]) => [name, hidden.includes(name) ? HIDDEN : value]));
  return recordMembersOf(input, REQUEST_RULES[service]) as Record<string, unknown>;
}

/** Calls whose answer CloudTrail records as null even though they are not read-only. */
export const NULL_RESPONSES: Readonly<Record<string, ReadonlySet<string>>> = {
  kms: new Set([
    'Decrypt',
    'Encrypt',
    'ReEncrypt',
    'GenerateDataKey',
    'GenerateDataKeyWithoutPlaintext',
    'GenerateDataKeyPair',
    'GenerateDataKeyPairWithoutPlaintext',
    'GenerateRandom',
    'GenerateMac',
    'VerifyMac',
    'Sign',
    'Verify',
    'DeriveSharedSecret',
  ]),
  secretsmanager: new Set(['GetSecretValue', 'BatchGetSecretValue', 'GetRandomPassword']),
  dynamodb: new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems', 'ExecuteStatement', 'BatchExecuteStatement']),
  sqs: new Set(['ReceiveMessage']),
};

/** Answer members never recorded (or recorded as a marker), per service. */
export const RESPONSE_RULES: Readonly<Record<string, MemberRules>> = {
  kms: { maps: new Set(['EncryptionContext']), drop: new Set(['Plaintext', 'CiphertextBlob', 'PrivateKeyPlaintext', 'PrivateKeyCiphertextBlob']) },
  secretsmanager: { drop: new Set(['SecretString', 'SecretBinary']) },
  ssm: { maps: new Set(['Parameters']), hide: new Map([['TokenValue', 'Value hidden due to security reasons.'], ['Parameters', HIDDEN]]) },
  dynamodb: { maps: new Set(['Key', 'ItemCollectionKey']), drop: new Set(['Attributes', 'Item', 'Items']) },
  sqs: { drop: new Set(['MD5OfMessageBody', 'MD5OfMessageAttributes']) },
};

/** Calls whose recorded answer is a few members only, renamed as CloudTrail names them. */
export const RESPONSE_PICKS: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>> = {
  secretsmanager: {
    CreateSecret: { ARN: 'arn' },
    PutSecretValue: { ARN: 'arn' },
    UpdateSecret: { ARN: 'arn' },
  },
};

/** The operation: the route's match, else the X-Amz-Target suffix (`TrentService.Decrypt`). */
function operationOf(call: ForwardedCall): string | undefined {
  if (call.matched !== undefined) return call.matched.operation;
  const target = header(call.request.headers, 'x-amz-target');
  return target === undefined ? undefined : target.slice(target.lastIndexOf('.') + 1);
}

function responseElements(call: ForwardedCall, service: string, operation: string | undefined, readOnly: boolean): Record<string, unknown> | null {
  if (readOnly || call.response === undefined || failed(call)) return null;
  if (operation !== undefined && NULL_RESPONSES[service]?.has(operation)) return null;
  const body = jsonObject(call.response.body);
  if (body === undefined || Object.keys(body).length === 0) return null;
  const picks = operation === undefined ? undefined : RESPONSE_PICKS[service]?.[operation];
  if (picks !== undefined) {
    const picked = Object.entries(picks).filter(([member]) => body[member] !== undefined).map(([member, name]) => [name, body[member]] as const);
    return picked.length > 0 ? Object.fromEntries(picked) : null;
  }
  return recordMembersOf(body, RESPONSE_RULES[service]) as Record<string, unknown>;
}

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^mrk-[0-9a-f]{32}$/;

function kmsResources(call: ForwardedCall, request: Record<string, unknown> | undefined): RecordResource[] {
  const answer = failed(call) ? undefined : jsonObject(call.response?.body);
  const candidates = [answer?.KeyId, answer?.KeyMetadata !== null && typeof answer?.KeyMetadata === 'object' ? (answer.KeyMetadata as Record<string, unknown>).Arn : undefined, request?.KeyId];
  for (const id of candidates) {
    if (typeof id !== 'string') continue;
    if (id.startsWith('arn:') && id.includes(':key/')) return [{ accountId: call.resourceAccountId, type: 'AWS::KMS::Key', ARN: id }];
    if (KEY_ID.test(id)) return [{ accountId: call.resourceAccountId, type: 'AWS::KMS::Key', ARN: `arn:${partitionOf(call.region)}:kms:${call.region}:${call.resourceAccountId}:key/${id}` }];
  }
  return [];
}

const SSM_PARAMETER_CALLS = new Set(['GetParameter', 'GetParameters', 'PutParameter', 'DeleteParameter', 'DeleteParameters', 'GetParameterHistory', 'LabelParameterVersion', 'UnlabelParameterVersion']);

function ssmResources(call: ForwardedCall, operation: string | undefined, request: Record<string, unknown> | undefined): RecordResource[] {
  if (operation === undefined || !SSM_PARAMETER_CALLS.has(operation) || request === undefined || failed(call)) return [];
  const names = Array.isArray(request.Names) ? request.Names : [request.Name];
  return names
    .filter((name): name is string => typeof name === 'string' && name !== '' && !name.startsWith('arn:'))
    .slice(0, 50)
    .map((name) => ({ accountId: call.resourceAccountId, ARN: `arn:${partitionOf(call.region)}:ssm:${call.region}:${call.resourceAccountId}:parameter${name.startsWith('/') ? '' : '/'}${name}` }));
}

/** Tables named by a DynamoDB call: `TableName` (a name or an ARN), else the keys of `RequestItems`. */
function dynamoDbResources(call: ForwardedCall, request: Record<string, unknown> | undefined): RecordResource[] {
  if (request === undefined) return [];
  const items = request.RequestItems;
  const names = typeof request.TableName === 'string' ? [request.TableName] : items !== null && typeof items === 'object' && !Array.isArray(items) ? Object.keys(items) : [];
  return names
    .filter((name) => name !== '')
    .slice(0, 50)
    .map((name) => ({
      accountId: call.resourceAccountId,
      type: 'AWS::DynamoDB::Table',
      ARN: name.startsWith('arn:') ? name : `arn:${partitionOf(call.region)}:dynamodb:${call.region}:${call.resourceAccountId}:table/${name}`,
    }));
}

/** `https://sqs.us-east-1.amazonaws.com/123456789012/jobs` (or any host): the owner and the queue's name. */
const QUEUE_URL_PATH = /^\/(\d{12})\/([\w-]{1,80}(?:\.fifo)?)\/?$/;

/** The queue of an SQS data event (SendMessage, ReceiveMessage, ...), from its QueueUrl. */
function sqsResources(call: ForwardedCall, facts: RecordFacts, request: Record<string, unknown> | undefined): RecordResource[] {
  if (facts.dataResourceType === undefined || typeof request?.QueueUrl !== 'string') return [];
  let path: string;
  try {
    path = new URL(request.QueueUrl).pathname;
  } catch {
    return [];
  }
  const parts = QUEUE_URL_PATH.exec(path);
  if (parts === null) return [];
  const [, account, queue] = parts;
  return [{ accountId: account!, type: 'AWS::SQS::Queue', ARN: `arn:${partitionOf(call.region)}:sqs:${call.region}:${account!}:${queue!}` }];
}

function resourcesOf(call: ForwardedCall, facts: RecordFacts, operation: string | undefined, request: Record<string, unknown> | undefined): RecordResource[] {
  switch (call.model.signingName) {
    case 'kms':
      return kmsResources(call, request);
    case 'ssm':
      return ssmResources(call, operation, request);
    case 'dynamodb':
      return dynamoDbResources(call, request);
    case 'sqs':
      return sqsResources(call, facts, request);
    default:
      return [];
  }
}

export function jsonRecordForm(call: ForwardedCall, facts: RecordFacts): RecordForm {
  const service = call.model.signingName;
  const operation = operationOf(call);
  const request = jsonObject(call.request.body);
  const error = jsonError(call);
  const requestId = header(call.response?.headers, 'x-amzn-requestid');
  const resources = resourcesOf(call, facts, operation, request);
  return {
    ...baseForm(facts),
    requestParameters: requestParameters(service, operation, request),
    responseElements: responseElements(call, service, operation, facts.readOnly),
    resources,
    ...(error !== undefined && { error }),
    ...(requestId !== undefined && { requestId }),
  };
}
