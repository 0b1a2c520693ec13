/**
 * CloudTrail's validation of trail inputs (the CloudTrail API Reference, CreateTrail and UpdateTrail (parameters and errors)), as pure functions. Each check
 * returns undefined when the value is acceptable, or the CloudTrail error (exception name and
 * message) to answer with. Messages follow AWS's where they are known (moto copies them, or
 * they were seen from real AWS); the others are written in the same style.
 *
 * Optional settings given as the empty string mean "none" (UpdateTrail clears a setting that
 * way), so the checks of optional settings accept ''.
 */
import { digestKey } from './log-file.js';
import { keyPrefixProblem, MAX_OBJECT_KEY_BYTES, utf8Bytes } from './object-keys.js';

export type TrailErrorCode =
  | 'InvalidTrailNameException'
  | 'CloudTrailARNInvalidException'
  | 'InvalidS3BucketNameException'
  | 'InvalidS3PrefixException'
  | 'InvalidSnsTopicNameException'
  | 'InvalidParameterCombinationException'
  | 'InvalidKmsKeyIdException'
  | 'InvalidCloudWatchLogsLogGroupArnException'
  | 'InvalidCloudWatchLogsRoleArnException'
  | 'InvalidTagParameterException'
  | 'TagsLimitExceededException'
  | 'TrailNotFoundException';

export interface RuleViolation {
  code: TrailErrorCode;
  message: string;
}

export function isRuleViolation(value: unknown): value is RuleViolation {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

function violation(code: TrailErrorCode, message: string): RuleViolation {
  return { code, message };
}

/** Lengths in characters (code points), as AWS's messages count them. */
function charLength(value: string): number {
  return [...value].length;
}

/** Dotted quads of 1–3 digits: what "looks like an IPv4 address" means for names. */
const IPV4_LIKE = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The partition and region of an ARN that names a topic or key a service could hold: `aws`,
 * `aws-cn`, `aws-us-gov`, `aws-iso-b`, ...; `us-east-1`, `us-gov-west-1`, `us-isob-east-1`, ...
 * A looser pattern lets through ARNs (`arn:aws:sns:-:...`) that no endpoint answers for.
 */
const PARTITION = 'aws(?:-[a-z]+)*';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d{1,2}';

// ---------------------------------------------------------------------------------------------
// Trail names and ARNs

export const TRAIL_NAME_MIN_LENGTH = 3;
export const TRAIL_NAME_MAX_LENGTH = 128;

/**
 * Trail name rules: ASCII letters, digits, `.`, `_`, `-`; starts and ends with a letter or
 * digit; 3–128 characters; no two adjacent separators; not an IPv4 address. Checked in moto's
 * order (length, first, last, characters), then the two rules moto lacks.
 */
export function checkTrailName(name: string): RuleViolation | undefined {
  const length = charLength(name);
  if (length < TRAIL_NAME_MIN_LENGTH) {
    return violation(
      'InvalidTrailNameException',
      `Trail name too short. Minimum allowed length: ${TRAIL_NAME_MIN_LENGTH} characters. Specified name length: ${length} characters.`,
    );
  }
  if (length > TRAIL_NAME_MAX_LENGTH) {
    return violation(
      'InvalidTrailNameException',
      `Trail name too long. Maximum allowed length: ${TRAIL_NAME_MAX_LENGTH} characters. Specified name length: ${length} characters.`,
    );
  }
  if (!/^[A-Za-z0-9]/.test(name)) {
    return violation('InvalidTrailNameException', 'Trail name must starts with a letter or number.');
  }
  if (!/[A-Za-z0-9]$/.test(name)) {
    return violation('InvalidTrailNameException', 'Trail name must ends with a letter or number.');
  }
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    return violation(
      'InvalidTrailNameException',
      'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).',
    );
  }
  if (/[._-]{2}/.test(name)) {
    return violation('InvalidTrailNameException', 'Trail name must not contain adjacent periods, underscores or hyphens.');
  }
  if (IPV4_LIKE.test(name)) {
    return violation('InvalidTrailNameException', 'Trail name must not be formatted as an IP address.');
  }
  return undefined;
}

/** `arn:aws:cloudtrail:<home-region>:<account>:trail/<name>`. */
export function trailArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
}

const TRAIL_ARN = /^arn:(aws[a-z-]*):cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

/** A trail named in a request, resolved: `arn` is always the trail's ARN as OpenTrail stores it. */
export type TrailRef =
  | { kind: 'name'; name: string; region: string; accountId: string; arn: string }
  | { kind: 'arn'; name: string; region: string; accountId: string; arn: string };

/**
 * Reads a Name/TrailName member, which may be a trail name (meaning the caller's account in the
 * request's region) or a trail ARN. A value starting with `arn:` must be a well-formed trail ARN
 * `arn:<partition>:cloudtrail:<region>:<12 digits>:trail/<valid name>`, else
 * CloudTrailARNInvalidException; anything else must be a valid trail name, else
 * InvalidTrailNameException.
 */
export function parseTrailRef(nameOrArn: string, accountId: string, region: string): TrailRef | RuleViolation {
  if (nameOrArn.startsWith('arn:')) {
    const m = TRAIL_ARN.exec(nameOrArn);
    if (!m || checkTrailName(m[4]!) !== undefined) {
      return violation('CloudTrailARNInvalidException', `The ARN ${nameOrArn} is not valid.`);
    }
    const [, , arnRegion, arnAccount, name] = m;
    return { kind: 'arn', name: name!, region: arnRegion!, accountId: arnAccount!, arn: trailArn(arnRegion!, arnAccount!, name!) };
  }
  const invalid = checkTrailName(nameOrArn);
  if (invalid) return invalid;
  return { kind: 'name', name: nameOrArn, region, accountId, arn: trailArn(region, accountId, nameOrArn) };
}

// ---------------------------------------------------------------------------------------------
// S3

/** Prefixes and suffixes S3 reserves for other kinds of bucket (access points, directory buckets...). */
const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/**
 * S3 general purpose bucket names: 3–63 characters of lowercase letters, digits, `.` and `-`;
 * starts and ends with a letter or digit; no `..`; not an IP address; none of S3's reserved
 * prefixes (`xn--`, ...) or suffixes (`-s3alias`, ...).
 */
export function checkS3BucketName(bucket: string): RuleViolation | undefined {
  const bad = (why: string) => violation('InvalidS3BucketNameException', `Invalid S3 bucket name ${JSON.stringify(bucket)}: ${why}.`);
  if (bucket.length < 3 || bucket.length > 63) return bad('bucket names must be between 3 and 63 characters long');
  if (!/^[a-z0-9.-]+$/.test(bucket)) return bad('bucket names can contain only lowercase letters, numbers, periods (.) and hyphens (-)');
  if (!/^[a-z0-9].*[a-z0-9]$/.test(bucket)) return bad('bucket names must begin and end with a letter or number');
  if (bucket.includes('..')) return bad('bucket names must not contain two adjacent periods');
  if (IPV4_LIKE.test(bucket)) return bad('bucket names must not be formatted as an IP address');
  for (const prefix of S3_RESERVED_PREFIXES) {
    if (bucket.startsWith(prefix)) return bad(`bucket names must not start with "${prefix}"`);
  }
  for (const suffix of S3_RESERVED_SUFFIXES) {
    if (bucket.endsWith(suffix)) return bad(`bucket names must not end with "${suffix}"`);
  }
  return undefined;
}

export const S3_KEY_PREFIX_MAX_LENGTH = 200;

/**
 * A generous bound on a region code's length (the longest AWS has today, us-isof-south-1, has
 * 15 characters): a trail's keys name regions, and the prefix must leave room for them.
 */
const REGION_CODE_MAX_LENGTH = 20;

/**
 * The most UTF-8 bytes a prefix may take: the longest key a trail writes is a digest file's
 * (it names the trail, the region twice and the home region), and `<prefix>/` before it must
 * keep it within S3's key limit. Only prefixes of non-ASCII characters come near it.
 */
export const S3_KEY_PREFIX_MAX_BYTES =
  MAX_OBJECT_KEY_BYTES -
  utf8Bytes(
    '/' +
      digestKey({
        accountId: '0'.repeat(12),
        region: 'r'.repeat(REGION_CODE_MAX_LENGTH),
        homeRegion: 'r'.repeat(REGION_CODE_MAX_LENGTH),
        trailName: 'n'.repeat(TRAIL_NAME_MAX_LENGTH),
        endTimeMs: 0,
      }),
  );

/**
 * S3KeyPrefix ('' means no prefix): at most 200 characters, as CloudTrail allows, and a path
 * every object store can hold at the front of the trail's keys (`<prefix>/AWSLogs/...`): no
 * empty, `.` or `..` segments (so no leading or trailing `/`), no control characters or
 * backslashes, no segment over 255 bytes, nothing that pushes the longest key past 1024 bytes.
 * CloudTrail refuses prefixes it cannot use with the same exception; a prefix that passed and
 * then failed every delivery would lose the trail's events for good.
 */
export function checkS3KeyPrefix(prefix: string): RuleViolation | undefined {
  if (prefix === '') return undefined;
  const length = charLength(prefix);
  if (length > S3_KEY_PREFIX_MAX_LENGTH) {
    return violation(
      'InvalidS3PrefixException',
      `S3 key prefix too long. Maximum allowed length: ${S3_KEY_PREFIX_MAX_LENGTH} characters. Specified prefix length: ${length} characters.`,
    );
  }
  const problem = keyPrefixProblem(prefix, S3_KEY_PREFIX_MAX_BYTES);
  if (problem !== undefined) return violation('InvalidS3PrefixException', `Invalid S3 key prefix ${JSON.stringify(prefix)}: ${problem}.`);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// SNS

const SNS_TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const SNS_TOPIC_ARN = new RegExp(`^arn:${PARTITION}:sns:(${REGION}):(\\d{12}):([A-Za-z0-9_-]{1,256})$`);
export const SNS_TOPIC_MAX_LENGTH = 256;

/** SnsTopicName: a topic name (1–256 of `[A-Za-z0-9_-]`) or a topic ARN, at most 256 characters ('' means none). */
export function checkSnsTopicName(value: string): RuleViolation | undefined {
  if (value === '') return undefined;
  if (value.length <= SNS_TOPIC_MAX_LENGTH && (SNS_TOPIC_NAME.test(value) || SNS_TOPIC_ARN.test(value))) return undefined;
  return violation('InvalidSnsTopicNameException', `Invalid SNS topic name or ARN: ${value}`);
}

// ---------------------------------------------------------------------------------------------
// KMS

const KMS_KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KMS_ALIAS = /^alias\/[A-Za-z0-9/_-]{1,250}$/;
const KMS_ARN = new RegExp(`^arn:${PARTITION}:kms:${REGION}:\\d{12}:(key/.+|alias/.+)$`);

function kmsResource(resource: string): boolean {
  return resource.startsWith('key/') ? KMS_KEY_ID.test(resource.slice(4)) : KMS_ALIAS.test(resource);
}

/**
 * KmsKeyId: a key id (UUID, or `mrk-` + 32 hex for a multi-Region key), an alias name
 * (`alias/...`), a key ARN or an alias ARN ('' means no encryption).
 */
export function checkKmsKeyId(value: string): RuleViolation | undefined {
  if (value === '') return undefined;
  if (KMS_KEY_ID.test(value) || KMS_ALIAS.test(value)) return undefined;
  const m = KMS_ARN.exec(value);
  if (m && kmsResource(m[1]!)) return undefined;
  return violation('InvalidKmsKeyIdException', `Invalid KmsKeyId ${value}`);
}

/**
 * A KmsKeyId as GetTrail reports it, a full ARN: `arn:aws:kms:<region>:<account>:key/<id>` for a
 * key id, `...:alias/<name>` for an alias name (OpenTrail has no KMS to resolve an alias to its
 * key), an ARN unchanged. An invalid value gives InvalidKmsKeyIdException; so does '' ("no
 * encryption" is the caller's to handle before normalising).
 */
export function normalizeKmsKeyId(value: string, region: string, accountId: string): string | RuleViolation {
  if (value === '') return violation('InvalidKmsKeyIdException', 'Invalid KmsKeyId: the key id is empty.');
  const invalid = checkKmsKeyId(value);
  if (invalid) return invalid;
  if (value.startsWith('arn:')) return value;
  if (KMS_KEY_ID.test(value)) return `arn:aws:kms:${region}:${accountId}:key/${value}`;
  return `arn:aws:kms:${region}:${accountId}:${value}`;
}

// ---------------------------------------------------------------------------------------------
// CloudWatch Logs

/** `arn:aws:logs:<region>:<account>:log-group:<name>:*` (CloudTrail wants the `:*` form). */
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[A-Za-z0-9._\-/#]{1,512}:\*$/;
/** `arn:aws:iam::<account>:role/[path/]<name>`. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\x21-\x7e]{0,510}\/)?[\w+=,.@-]{1,64}$/;

export function checkCloudWatchLogsLogGroupArn(value: string): RuleViolation | undefined {
  if (value === '' || LOG_GROUP_ARN.test(value)) return undefined;
  return violation('InvalidCloudWatchLogsLogGroupArnException', 'CloudTrail cannot validate the specified log group ARN.');
}

export function checkCloudWatchLogsRoleArn(value: string): RuleViolation | undefined {
  if (value === '' || ROLE_ARN.test(value)) return undefined;
  return violation('InvalidCloudWatchLogsRoleArnException', 'CloudTrail cannot validate the specified role ARN.');
}

/**
 * The two CloudWatch Logs settings (the trail's settings after the update; absent or '' = none):
 * each well-formed, and both or neither. A log group without a role is what AWS answers with
 * InvalidCloudWatchLogsRoleArnException "You must specify a role ARN as well as a log group.";
 * a role without a log group is InvalidParameterCombinationException.
 */
export function checkCloudWatchLogs(logGroupArn: string | undefined, roleArn: string | undefined): RuleViolation | undefined {
  const group = logGroupArn ?? '';
  const role = roleArn ?? '';
  const invalid = checkCloudWatchLogsLogGroupArn(group) ?? checkCloudWatchLogsRoleArn(role);
  if (invalid) return invalid;
  if (group !== '' && role === '') {
    return violation('InvalidCloudWatchLogsRoleArnException', 'You must specify a role ARN as well as a log group.');
  }
  if (role !== '' && group === '') {
    return violation('InvalidParameterCombinationException', 'You must specify a log group as well as a role ARN.');
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Regions

/** A multi-Region trail must include global service events. */
export function checkMultiRegion(isMultiRegionTrail: boolean, includeGlobalServiceEvents: boolean): RuleViolation | undefined {
  if (isMultiRegionTrail && !includeGlobalServiceEvents) {
    return violation('InvalidParameterCombinationException', 'Multi-Region trail must include global service events.');
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Tags

export const MAX_TAGS_PER_RESOURCE = 50;
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;

export interface TagInput {
  Key: string;
  Value?: string;
}

/**
 * Tags to add: keys 1–128 characters not starting with `aws:`, values at most 256 characters;
 * and the resource may hold at most 50 tags once they are added (`existingKeys`: the keys it
 * already has; re-adding a key overwrites, so it does not count twice).
 */
export function checkTags(tags: readonly TagInput[], existingKeys: Iterable<string> = []): RuleViolation | undefined {
  for (const tag of tags) {
    const keyLength = charLength(tag.Key);
    if (keyLength < 1 || keyLength > TAG_KEY_MAX_LENGTH) {
      return violation('InvalidTagParameterException', `Tag key must be between 1 and ${TAG_KEY_MAX_LENGTH} characters long: ${JSON.stringify(tag.Key)}`);
    }
    if (tag.Key.toLowerCase().startsWith('aws:')) {
      return violation('InvalidTagParameterException', `Tag keys starting with "aws:" are reserved for AWS use: ${tag.Key}`);
    }
    if (tag.Value !== undefined && charLength(tag.Value) > TAG_VALUE_MAX_LENGTH) {
      return violation('InvalidTagParameterException', `Tag value must be at most ${TAG_VALUE_MAX_LENGTH} characters long (key ${tag.Key}).`);
    }
  }
  const keys = new Set(existingKeys);
  for (const tag of tags) keys.add(tag.Key);
  if (keys.size > MAX_TAGS_PER_RESOURCE) {
    return violation(
      'TagsLimitExceededException',
      `The number of tags on the resource exceeds the limit of ${MAX_TAGS_PER_RESOURCE}: it would have ${keys.size} tags.`,
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// A whole trail configuration

/**
 * A trail's settings once CreateTrail/UpdateTrail input has been applied over the trail's
 * current settings or CloudTrail's defaults ('' or absent = none).
 */
export interface TrailSettings {
  S3BucketName: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  IncludeGlobalServiceEvents: boolean;
  IsMultiRegionTrail: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
}

/**
 * Every rule on a trail's settings, in the order of CreateTrail's members; the first violation,
 * if any. CreateTrail and UpdateTrail call this (src/api/operations/trails/trail-config.ts) and
 * nothing else, so what the API answers is what this function says.
 */
export function checkTrailSettings(s: TrailSettings): RuleViolation | undefined {
  return (
    checkS3BucketName(s.S3BucketName) ??
    checkS3KeyPrefix(s.S3KeyPrefix ?? '') ??
    checkSnsTopicName(s.SnsTopicName ?? '') ??
    checkMultiRegion(s.IsMultiRegionTrail, s.IncludeGlobalServiceEvents) ??
    checkCloudWatchLogs(s.CloudWatchLogsLogGroupArn, s.CloudWatchLogsRoleArn) ??
    checkKmsKeyId(s.KmsKeyId ?? '')
  );
}
