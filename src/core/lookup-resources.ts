/**
 * The resources the event history (LookupEvents) names for a record: its `Resources` and what
 * the ResourceType/ResourceName lookups match. CloudTrail names them not only from the record's
 * `resources` member but from what the call was about, each by the name the console shows:
 *
 * - s3: the bucket by its name (`AWS::S3::Bucket`, `finance`), also when the record's own
 *   `resources` give its ARN (the ARN is replaced by the name);
 * - iam: users, roles and groups by name, policies by ARN, access keys by id (request or
 *   `responseElements.accessKey.accessKeyId`);
 * - ec2: instances (`instancesSet.items[].instanceId` of request and answer, or `instanceId`),
 *   security groups, VPCs, subnets and volumes by id;
 * - cloudtrail: the trail by `responseElements.trailARN` when the answer has one, else by the
 *   `name`/`trailName` given;
 * - kms: the key by `keyId` (an ARN or id as sent); secretsmanager: the secret by `secretId`/
 *   `name` or the answer's ARN; ssm: parameters by name; lambda: the function by name.
 *
 * The record's own entries come first and are kept (with `ARN`, or `ARNPrefix` for S3 data
 * events); a derived resource is added only when no entry of that type is there already, so a
 * record that names its trail by ARN is not also listed by the trail's bare name. Records are
 * untrusted: at most MAX_RESOURCES entries, names cut to MAX_NAME_LENGTH, and only the few
 * members above are read.
 */
import type { CloudTrailRecord } from './record.js';
import type { LookupResource } from './lookup-keys.js';

export const MAX_RESOURCES = 50;
export const MAX_NAME_LENGTH = 2048;

type Members = Record<string, unknown>;

function objectOf(value: unknown): Members | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Members) : undefined;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value.slice(0, MAX_NAME_LENGTH) : null;
}

/** `{ items: [{ <member>: … }] }` (EC2's sets), at most MAX_RESOURCES items. */
function setItems(set: unknown, member: string): unknown[] {
  const items = objectOf(set)?.items;
  if (!Array.isArray(items)) return [];
  return items.slice(0, MAX_RESOURCES).map((item) => objectOf(item)?.[member]);
}

type Derive = (request: Members, response: Members) => [string, unknown][];

const S3_BUCKET_ARN = /^arn:aws[a-z-]*:s3:::([^/]+)$/;

const DERIVED: Readonly<Record<string, Derive>> = {
  's3.amazonaws.com': (request) => [['AWS::S3::Bucket', request.bucketName]],
  'iam.amazonaws.com': (request, response) => [
    ['AWS::IAM::User', request.userName],
    ['AWS::IAM::Role', request.roleName],
    ['AWS::IAM::Group', request.groupName],
    ['AWS::IAM::Policy', request.policyArn],
    ['AWS::IAM::AccessKey', request.accessKeyId],
    ['AWS::IAM::AccessKey', objectOf(response.accessKey)?.accessKeyId],
  ],
  'ec2.amazonaws.com': (request, response) => [
    ...setItems(request.instancesSet, 'instanceId').map((id): [string, unknown] => ['AWS::EC2::Instance', id]),
    ...setItems(response.instancesSet, 'instanceId').map((id): [string, unknown] => ['AWS::EC2::Instance', id]),
    ['AWS::EC2::Instance', request.instanceId],
    ['AWS::EC2::SecurityGroup', request.groupId],
    ['AWS::EC2::SecurityGroup', response.groupId],
    ['AWS::EC2::VPC', request.vpcId],
    ['AWS::EC2::VPC', objectOf(response.vpc)?.vpcId],
    ['AWS::EC2::Subnet', request.subnetId],
    ['AWS::EC2::Subnet', objectOf(response.subnet)?.subnetId],
    ['AWS::EC2::Volume', request.volumeId],
    ['AWS::EC2::Volume', response.volumeId],
  ],
  'cloudtrail.amazonaws.com': (request, response) => [['AWS::CloudTrail::Trail', response.trailARN ?? request.name ?? request.trailName]],
  'kms.amazonaws.com': (request, response) => [['AWS::KMS::Key', objectOf(response.keyMetadata)?.arn ?? request.keyId]],
  'secretsmanager.amazonaws.com': (request, response) => [['AWS::SecretsManager::Secret', request.secretId ?? response.arn ?? response.aRN ?? request.name]],
  'ssm.amazonaws.com': (request) => [
    ['AWS::SSM::Parameter', request.name],
    ...(Array.isArray(request.names) ? request.names.slice(0, MAX_RESOURCES).map((name): [string, unknown] => ['AWS::SSM::Parameter', name]) : []),
  ],
  'lambda.amazonaws.com': (request) => [['AWS::Lambda::Function', request.functionName]],
};

export function lookupResourcesOf(record: CloudTrailRecord): LookupResource[] {
  const out: LookupResource[] = [];
  const seen = new Set<string>();
  const add = (type: string | null, name: string | null): void => {
    if (out.length >= MAX_RESOURCES || (type === null && name === null)) return;
    const key = `${type ?? ''}\u0000${name ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ type, name });
  };
  const s3 = record.eventSource === 's3.amazonaws.com';
  const own = Array.isArray(record.resources) ? record.resources.slice(0, MAX_RESOURCES) : [];
  for (const resource of own) {
    const entry = objectOf(resource);
    if (entry === undefined) continue;
    const type = str(entry.type);
    let name = str(entry.ARN) ?? str(entry.ARNPrefix);
    if (type === 'AWS::S3::Bucket' && name !== null) name = S3_BUCKET_ARN.exec(name)?.[1] ?? name;
    add(type, name);
  }
  const derive = typeof record.eventSource === 'string' ? DERIVED[record.eventSource] : undefined;
  if (derive === undefined) return out;
  const ownTypes = new Set(out.map((r) => r.type));
  const request = objectOf(record.requestParameters) ?? {};
  const response = objectOf(record.responseElements) ?? {};
  for (const [type, value] of derive(request, response)) {
    const name = str(value);
    if (name === null || (ownTypes.has(type) && !(s3 && type === 'AWS::S3::Bucket'))) continue;
    add(type, name);
  }
  return out;
}
