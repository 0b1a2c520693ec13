import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCloudWatchLogs,
  checkCloudWatchLogsLogGroupArn,
  checkCloudWatchLogsRoleArn,
  checkKmsKeyId,
  checkMultiRegion,
  checkS3BucketName,
  checkS3KeyPrefix,
  S3_KEY_PREFIX_MAX_BYTES,
  checkSnsTopicName,
  checkTags,
  checkTrailName,
  checkTrailSettings,
  isRuleViolation,
  normalizeKmsKeyId,
  parseTrailRef,
  trailArn,
} from './trail-rules.js';
import type { TagInput, TrailSettings } from './trail-rules.js';
import { objectKeyProblem } from '../objects/file-store/object-keys.js';
import { digestKey, logFileKey } from './log-file.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

describe('checkTrailName', () => {
  it.each([
    'abc',
    'a'.repeat(128),
    'MyTrail',
    'my-trail',
    'my_trail',
    'my.trail',
    'a-b_c.d',
    '123',
    '1.2.3',
    '192.168.5',
    '192.168.5.4.1',
    'a192.168.5.4',
  ])('accepts %j', (name) => {
    expect(checkTrailName(name)).toBeUndefined();
  });

  it.each([
    ['', 'Trail name too short. Minimum allowed length: 3 characters. Specified name length: 0 characters.'],
    ['ab', 'Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters.'],
    ['a'.repeat(129), 'Trail name too long. Maximum allowed length: 128 characters. Specified name length: 129 characters.'],
    ['-start', 'Trail name must starts with a letter or number.'],
    ['.start', 'Trail name must starts with a letter or number.'],
    ['_start', 'Trail name must starts with a letter or number.'],
    ['end.', 'Trail name must ends with a letter or number.'],
    ['end-', 'Trail name must ends with a letter or number.'],
    ['end_', 'Trail name must ends with a letter or number.'],
    ['my trail', 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).'],
    ['my/trail', 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).'],
    ['my:trail', 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).'],
    ['trailé', 'Trail name must ends with a letter or number.'],
    ['tré1', 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).'],
    ['my--trail', 'Trail name must not contain adjacent periods, underscores or hyphens.'],
    ['my-_trail', 'Trail name must not contain adjacent periods, underscores or hyphens.'],
    ['my..trail', 'Trail name must not contain adjacent periods, underscores or hyphens.'],
    ['my_.trail', 'Trail name must not contain adjacent periods, underscores or hyphens.'],
    ['192.168.5.4', 'Trail name must not be formatted as an IP address.'],
    ['1.1.1.1', 'Trail name must not be formatted as an IP address.'],
  ])('rejects %j', (name, message) => {
    expect(checkTrailName(name)).toEqual({ code: 'InvalidTrailNameException', message });
  });

  it('counts characters, not UTF-16 units, in length messages', () => {
    expect(checkTrailName('😀')?.message).toContain('Specified name length: 1 characters.');
  });

  it('agrees with the rules written as one regular expression', () => {
    const rules = /^(?!\d{1,3}(?:\.\d{1,3}){3}$)(?!.*[._-]{2})[A-Za-z0-9](?:[A-Za-z0-9._-]{1,126})[A-Za-z0-9]$/;
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._\-/ ]{0,130}$/), (name) => {
        expect(checkTrailName(name) === undefined).toBe(rules.test(name));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('trailArn and parseTrailRef', () => {
  it('builds trail ARNs', () => {
    expect(trailArn('eu-west-1', ACCOUNT, 'main')).toBe('arn:aws:cloudtrail:eu-west-1:111122223333:trail/main');
  });

  it('reads a name as a trail of the caller in the request region', () => {
    expect(parseTrailRef('main', ACCOUNT, REGION)).toEqual({
      kind: 'name',
      name: 'main',
      region: REGION,
      accountId: ACCOUNT,
      arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main',
    });
  });

  it.each([
    ['arn:aws:cloudtrail:eu-west-1:999988887777:trail/other', 'eu-west-1', '999988887777', 'other'],
    ['arn:aws-cn:cloudtrail:cn-north-1:999988887777:trail/a.b_c', 'cn-north-1', '999988887777', 'a.b_c'],
    ['arn:aws-us-gov:cloudtrail:us-gov-west-1:999988887777:trail/gov', 'us-gov-west-1', '999988887777', 'gov'],
  ])('reads the ARN %s', (arn, region, accountId, name) => {
    expect(parseTrailRef(arn, ACCOUNT, REGION)).toEqual({ kind: 'arn', name, region, accountId, arn: trailArn(region, accountId, name) });
  });

  it.each([
    'arn:aws:cloudtrail:us-east-1:111122223333:trail/',
    'arn:aws:cloudtrail:us-east-1:111122223333:trail/ab',
    'arn:aws:cloudtrail:us-east-1:111122223333:trail/my--trail',
    'arn:aws:cloudtrail:us-east-1:111122223333:trail/a/b',
    'arn:aws:cloudtrail:us-east-1:11112222333:trail/main',
    'arn:aws:cloudtrail::111122223333:trail/main',
    'arn:aws:cloudtrail:us-east-1:111122223333:channel/main',
    'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/main',
    'arn:aws:sns:us-east-1:111122223333:trail/main',
    'arn:other:cloudtrail:us-east-1:111122223333:trail/main',
    'arn:aws:cloudtrail:US-EAST-1:111122223333:trail/main',
    'arn:',
  ])('rejects the malformed ARN %s with CloudTrailARNInvalidException', (arn) => {
    const result = parseTrailRef(arn, ACCOUNT, REGION);
    expect(isRuleViolation(result)).toBe(true);
    expect(result).toEqual({ code: 'CloudTrailARNInvalidException', message: `The ARN ${arn} is not valid.` });
  });

  it.each(['ab', 'my--trail', '-start', '192.168.5.4', 'Arn:aws:cloudtrail:us-east-1:111122223333:trail/main'])(
    'rejects the name %s with InvalidTrailNameException',
    (name) => {
      const result = parseTrailRef(name, ACCOUNT, REGION);
      expect(isRuleViolation(result)).toBe(true);
      expect(result).toMatchObject({ code: 'InvalidTrailNameException' });
    },
  );

  it('is not a violation when it is a reference', () => {
    expect(isRuleViolation(parseTrailRef('main', ACCOUNT, REGION))).toBe(false);
  });
});

describe('checkS3BucketName', () => {
  it.each(['abc', 'a'.repeat(63), 'my-bucket', 'my.bucket.name', '1bucket', 'bucket1', 'a-b.c-d', 'x.n--abc', 'sthree', 'my-s3alias-bucket', '192.168.5'])(
    'accepts %j',
    (name) => {
      expect(checkS3BucketName(name)).toBeUndefined();
    },
  );

  it.each([
    ['too short', 'ab'],
    ['empty', ''],
    ['too long', 'a'.repeat(64)],
    ['uppercase', 'MyBucket'],
    ['an underscore', 'my_bucket'],
    ['a space', 'my bucket'],
    ['a leading hyphen', '-bucket'],
    ['a trailing hyphen', 'bucket-'],
    ['a leading period', '.bucket'],
    ['a trailing period', 'bucket.'],
    ['two adjacent periods', 'my..bucket'],
    ['an IP address', '192.168.5.4'],
    ['the xn-- prefix', 'xn--bucket'],
    ['the sthree- prefix', 'sthree-bucket'],
    ['the amzn-s3-demo- prefix', 'amzn-s3-demo-bucket'],
    ['the -s3alias suffix', 'bucket-s3alias'],
    ['the --ol-s3 suffix', 'bucket--ol-s3'],
    ['the .mrap suffix', 'bucket.mrap'],
    ['the --x-s3 suffix', 'bucket--x-s3'],
    ['the --table-s3 suffix', 'bucket--table-s3'],
  ])('rejects %s (%j)', (_why, name) => {
    expect(checkS3BucketName(name)).toMatchObject({ code: 'InvalidS3BucketNameException' });
  });
});

describe('checkS3KeyPrefix', () => {
  const emoji = '\u{1F600}';

  it.each(['', 'logs', 'a/b/c', '...', 'x'.repeat(200), 'é'.repeat(127), Array.from({ length: 4 }, () => 'é'.repeat(50)).join('/').slice(0, 200), emoji.repeat(50)])(
    'accepts %j',
    (prefix) => {
      expect(checkS3KeyPrefix(prefix)).toBeUndefined();
    },
  );

  it('rejects 201 characters', () => {
    expect(checkS3KeyPrefix('x'.repeat(201))).toEqual({
      code: 'InvalidS3PrefixException',
      message: 'S3 key prefix too long. Maximum allowed length: 200 characters. Specified prefix length: 201 characters.',
    });
  });

  it.each([
    ['..', 'it has a ".." path segment'],
    ['../../etc', 'it has a ".." path segment'],
    ['a/../../b', 'it has a ".." path segment'],
    ['a/./b', 'it has a "." path segment'],
    ['/audit', 'it has an empty path segment (a leading, trailing or doubled "/")'],
    ['audit/', 'it has an empty path segment (a leading, trailing or doubled "/")'],
    ['a//b', 'it has an empty path segment (a leading, trailing or doubled "/")'],
    ['/', 'it has an empty path segment (a leading, trailing or doubled "/")'],
    ['a\tb', 'it holds the character U+0009, which object keys cannot carry'],
    ['a\u0000', 'it holds the character U+0000, which object keys cannot carry'],
    ['a\u007f', 'it holds the character U+007F, which object keys cannot carry'],
    ['a\ud800b', 'it holds the character U+D800, which object keys cannot carry'],
    ['a\\b', 'it holds a backslash'],
    ['x/.opentrail-meta', 'it has a path segment beginning with ".opentrail-", which the file object store reserves'],
    ['é'.repeat(128), 'it has a path segment longer than 255 bytes in UTF-8'],
  ])('rejects %j: %s', (prefix, why) => {
    expect(checkS3KeyPrefix(prefix)).toEqual({ code: 'InvalidS3PrefixException', message: `Invalid S3 key prefix ${JSON.stringify(prefix)}: ${why}.` });
  });

  it('leaves room for the longest key within 1024 bytes', () => {
    expect(S3_KEY_PREFIX_MAX_BYTES).toBe(726);
    const prefix = [emoji.repeat(63), emoji.repeat(63), emoji.repeat(63), emoji.repeat(8)].join('/');
    expect([...prefix].length).toBe(200);
    expect(checkS3KeyPrefix(prefix)).toMatchObject({ message: expect.stringContaining('it is 791 bytes in UTF-8; at most 726') as unknown });
  });

  it('a prefix it accepts gives keys the file store accepts: log files and the longest digest', () => {
    const segment = fc.string({ unit: 'binary', minLength: 0, maxLength: 70 });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
        const prefix = segments.join('/');
        fc.pre(checkS3KeyPrefix(prefix) === undefined && prefix !== '');
        const logKey = logFileKey({ prefix, accountId: ACCOUNT, region: 'us-isof-south-1', deliveryTimeMs: Date.UTC(2026, 0, 1), unique: 'A'.repeat(16) });
        const longest = digestKey({ prefix, accountId: ACCOUNT, region: 'us-isof-south-1', homeRegion: 'us-isof-south-1', trailName: 'n'.repeat(128), endTimeMs: Date.UTC(2026, 0, 1) });
        expect(objectKeyProblem(logKey)).toBeUndefined();
        expect(objectKeyProblem(longest)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe('SNS topics', () => {
  it.each(['', 't', 'my-topic_1', 'A'.repeat(256), 'arn:aws:sns:us-east-1:111122223333:my-topic', 'arn:aws-cn:sns:cn-north-1:111122223333:t', 'arn:aws-us-gov:sns:us-gov-west-1:111122223333:t', `arn:aws:sns:us-east-1:111122223333:${'a'.repeat(221)}`])(
    'accepts %j',
    (value) => {
      expect(checkSnsTopicName(value)).toBeUndefined();
    },
  );

  it.each([
    'my.topic',
    'my topic',
    'A'.repeat(257),
    `arn:aws:sns:us-east-1:111122223333:${'a'.repeat(222)}`,
    'arn:aws:sns:us-east-1:111122223333:',
    'arn:aws:sns:us-east-1:11112222333:t',
    'arn:aws:sqs:us-east-1:111122223333:t',
    'arn:aws:sns:us-east-1:111122223333:t.fifo',
    'topic/x',
    // ARNs no SNS answers for: no such region or partition.
    'arn:aws:sns:-:111122223333:t',
    'arn:aws:sns:us-east:111122223333:t',
    'arn:aws:sns:1-2-3:111122223333:t',
    'arn:aws-:sns:us-east-1:111122223333:t',
    'arn:aws--cn:sns:cn-north-1:111122223333:t',
  ])('rejects %j', (value) => {
    expect(checkSnsTopicName(value)).toMatchObject({ code: 'InvalidSnsTopicNameException' });
  });
});

describe('KMS key ids', () => {
  const uuid = '1234abcd-12ab-34cd-56ef-1234567890ab';
  const mrk = 'mrk-1234abcd12ab34cd56ef1234567890ab';

  it.each([
    [uuid, `arn:aws:kms:us-east-1:111122223333:key/${uuid}`],
    [mrk, `arn:aws:kms:us-east-1:111122223333:key/${mrk}`],
    ['alias/MyAlias', 'arn:aws:kms:us-east-1:111122223333:alias/MyAlias'],
    ['alias/a/b_c-d', 'arn:aws:kms:us-east-1:111122223333:alias/a/b_c-d'],
    [`alias/${'a'.repeat(250)}`, `arn:aws:kms:us-east-1:111122223333:alias/${'a'.repeat(250)}`],
    [`arn:aws:kms:us-west-2:999988887777:key/${uuid}`, `arn:aws:kms:us-west-2:999988887777:key/${uuid}`],
    [`arn:aws:kms:us-west-2:999988887777:key/${mrk}`, `arn:aws:kms:us-west-2:999988887777:key/${mrk}`],
    ['arn:aws:kms:us-west-2:999988887777:alias/MyAlias', 'arn:aws:kms:us-west-2:999988887777:alias/MyAlias'],
    [`arn:aws-us-gov:kms:us-gov-west-1:999988887777:key/${uuid}`, `arn:aws-us-gov:kms:us-gov-west-1:999988887777:key/${uuid}`],
    [`arn:aws-iso-b:kms:us-isob-east-1:999988887777:key/${uuid}`, `arn:aws-iso-b:kms:us-isob-east-1:999988887777:key/${uuid}`],
  ])('accepts %s and reports it as %s', (value, arn) => {
    expect(checkKmsKeyId(value)).toBeUndefined();
    expect(normalizeKmsKeyId(value, REGION, ACCOUNT)).toBe(arn);
  });

  it('accepts the empty string (no encryption) as a setting, but it has no ARN', () => {
    expect(checkKmsKeyId('')).toBeUndefined();
    expect(normalizeKmsKeyId('', REGION, ACCOUNT)).toMatchObject({ code: 'InvalidKmsKeyIdException' });
  });

  it.each([
    'my-key',
    '1234ABCD-12AB-34CD-56EF-1234567890AB',
    '1234abcd-12ab-34cd-56ef-1234567890a',
    'mrk-1234',
    'alias/',
    `alias/${'a'.repeat(251)}`,
    'alias/has space',
    'key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:kms:us-west-2:999988887777:key/not-a-key',
    'arn:aws:kms:us-west-2:999988887777:alias/',
    'arn:aws:kms:us-west-2:99998888777:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:s3:us-west-2:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:kms:us-west-2:999988887777:secret/x',
    // ARNs no KMS answers for: no such region or partition.
    `arn:aws:kms:-:999988887777:key/${uuid}`,
    `arn:aws:kms:west:999988887777:key/${uuid}`,
    'arn:aws-:kms:us-west-2:999988887777:alias/MyAlias',
  ])('rejects %j', (value) => {
    expect(checkKmsKeyId(value)).toMatchObject({ code: 'InvalidKmsKeyIdException' });
    expect(normalizeKmsKeyId(value, REGION, ACCOUNT)).toEqual(checkKmsKeyId(value));
  });
});

describe('CloudWatch Logs', () => {
  const group = 'arn:aws:logs:us-east-1:111122223333:log-group:CloudTrail/DefaultLogGroup:*';
  const role = 'arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role';

  it.each([group, 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/cloudtrail#x.y-z_1:*', ''])('accepts the log group ARN %j', (arn) => {
    expect(checkCloudWatchLogsLogGroupArn(arn)).toBeUndefined();
  });

  it.each([
    'arn:aws:logs:us-east-1:111122223333:log-group:CloudTrail/DefaultLogGroup',
    'arn:aws:logs:us-east-1:111122223333:log-group::*',
    'arn:aws:logs:us-east-1:111122223333:log-group:has space:*',
    'arn:aws:logs:us-east-1:11112222333:log-group:g:*',
    'arn:aws:iam::111122223333:log-group:g:*',
    'CloudTrail/DefaultLogGroup',
  ])('rejects the log group ARN %j', (arn) => {
    expect(checkCloudWatchLogsLogGroupArn(arn)).toEqual({
      code: 'InvalidCloudWatchLogsLogGroupArnException',
      message: 'CloudTrail cannot validate the specified log group ARN.',
    });
  });

  it.each([role, 'arn:aws:iam::111122223333:role/service-role/path/My+Role=,.@-1', 'arn:aws-cn:iam::111122223333:role/r', ''])('accepts the role ARN %j', (arn) => {
    expect(checkCloudWatchLogsRoleArn(arn)).toBeUndefined();
  });

  it.each([
    'arn:aws:iam::111122223333:role/',
    'arn:aws:iam::111122223333:user/someone',
    'arn:aws:iam:us-east-1:111122223333:role/r',
    'arn:aws:iam::11112222333:role/r',
    `arn:aws:iam::111122223333:role/${'r'.repeat(65)}`,
    'arn:aws:iam::111122223333:role/has space',
    'CloudTrail_CloudWatchLogs_Role',
  ])('rejects the role ARN %j', (arn) => {
    expect(checkCloudWatchLogsRoleArn(arn)).toMatchObject({ code: 'InvalidCloudWatchLogsRoleArnException' });
  });

  it('wants both or neither', () => {
    expect(checkCloudWatchLogs(group, role)).toBeUndefined();
    expect(checkCloudWatchLogs(undefined, undefined)).toBeUndefined();
    expect(checkCloudWatchLogs('', '')).toBeUndefined();
    expect(checkCloudWatchLogs(group, undefined)).toEqual({
      code: 'InvalidCloudWatchLogsRoleArnException',
      message: 'You must specify a role ARN as well as a log group.',
    });
    expect(checkCloudWatchLogs(group, '')).toMatchObject({ code: 'InvalidCloudWatchLogsRoleArnException' });
    expect(checkCloudWatchLogs(undefined, role)).toEqual({
      code: 'InvalidParameterCombinationException',
      message: 'You must specify a log group as well as a role ARN.',
    });
    expect(checkCloudWatchLogs('', role)).toMatchObject({ code: 'InvalidParameterCombinationException' });
  });

  it('reports a malformed ARN before a missing partner', () => {
    expect(checkCloudWatchLogs('bad', undefined)).toMatchObject({ code: 'InvalidCloudWatchLogsLogGroupArnException' });
    expect(checkCloudWatchLogs(undefined, 'bad')).toMatchObject({ code: 'InvalidCloudWatchLogsRoleArnException' });
  });
});

describe('checkMultiRegion', () => {
  it.each([
    [false, false],
    [false, true],
    [true, true],
  ])('accepts IsMultiRegionTrail=%s with IncludeGlobalServiceEvents=%s', (multi, global) => {
    expect(checkMultiRegion(multi, global)).toBeUndefined();
  });

  it('rejects a multi-Region trail without global service events', () => {
    expect(checkMultiRegion(true, false)).toEqual({
      code: 'InvalidParameterCombinationException',
      message: 'Multi-Region trail must include global service events.',
    });
  });
});

describe('checkTags', () => {
  const tags = (n: number, from = 0): TagInput[] => Array.from({ length: n }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }));

  it.each<[string, TagInput[]]>([
    ['no tags', []],
    ['a key without a value', [{ Key: 'k' }]],
    ['an empty value', [{ Key: 'k', Value: '' }]],
    ['a 1-character key', [{ Key: 'k' }]],
    ['a 128-character key', [{ Key: 'k'.repeat(128) }]],
    ['a 256-character value', [{ Key: 'k', Value: 'v'.repeat(256) }]],
    ['a key containing aws: later on', [{ Key: 'my:aws:key' }]],
    ['50 tags', tags(50)],
  ])('accepts %s', (_what, list) => {
    expect(checkTags(list)).toBeUndefined();
  });

  it.each<[string, TagInput[]]>([
    ['an empty key', [{ Key: '' }]],
    ['a 129-character key', [{ Key: 'k'.repeat(129) }]],
    ['a 257-character value', [{ Key: 'k', Value: 'v'.repeat(257) }]],
    ['the aws: prefix', [{ Key: 'aws:createdBy', Value: 'x' }]],
    ['the AWS: prefix in capitals', [{ Key: 'AWS:x' }]],
  ])('rejects %s with InvalidTagParameterException', (_what, list) => {
    expect(checkTags(list)).toMatchObject({ code: 'InvalidTagParameterException' });
  });

  it('allows at most 50 tags on the resource, counting the ones it has', () => {
    expect(checkTags(tags(51))).toMatchObject({ code: 'TagsLimitExceededException' });
    expect(checkTags(tags(1, 49), tags(49).map((t) => t.Key))).toBeUndefined();
    expect(checkTags(tags(2, 49), tags(49).map((t) => t.Key))).toMatchObject({ code: 'TagsLimitExceededException' });
    // Overwriting existing keys adds nothing.
    expect(checkTags(tags(50), tags(50).map((t) => t.Key))).toBeUndefined();
    // The same key twice in one request is one tag.
    expect(checkTags([...tags(50), { Key: 'k0', Value: 'again' }])).toBeUndefined();
  });
});

describe('checkTrailSettings', () => {
  const ok: TrailSettings = { S3BucketName: 'my-bucket', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: true };

  it('accepts a minimal trail and one with every setting', () => {
    expect(checkTrailSettings(ok)).toBeUndefined();
    expect(
      checkTrailSettings({
        ...ok,
        S3KeyPrefix: 'audit',
        SnsTopicName: 'alerts',
        CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:g:*',
        CloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/r',
        KmsKeyId: 'alias/trail',
      }),
    ).toBeUndefined();
    expect(checkTrailSettings({ ...ok, S3KeyPrefix: '', SnsTopicName: '', CloudWatchLogsLogGroupArn: '', CloudWatchLogsRoleArn: '', KmsKeyId: '' })).toBeUndefined();
  });

  it.each<[Partial<TrailSettings>, string]>([
    [{ S3BucketName: 'Bad_Bucket' }, 'InvalidS3BucketNameException'],
    [{ S3KeyPrefix: 'p'.repeat(201) }, 'InvalidS3PrefixException'],
    [{ SnsTopicName: 'a.b' }, 'InvalidSnsTopicNameException'],
    [{ IncludeGlobalServiceEvents: false }, 'InvalidParameterCombinationException'],
    [{ CloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/r' }, 'InvalidParameterCombinationException'],
    [{ CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:g:*' }, 'InvalidCloudWatchLogsRoleArnException'],
    [{ KmsKeyId: 'nope' }, 'InvalidKmsKeyIdException'],
  ])('rejects %j with %s', (change, code) => {
    expect(checkTrailSettings({ ...ok, ...change })).toMatchObject({ code });
  });

  it('reports the first violation in member order', () => {
    expect(checkTrailSettings({ ...ok, S3BucketName: 'x', KmsKeyId: 'nope' })).toMatchObject({ code: 'InvalidS3BucketNameException' });
    expect(checkTrailSettings({ ...ok, IncludeGlobalServiceEvents: false, KmsKeyId: 'nope' })).toMatchObject({ code: 'InvalidParameterCombinationException' });
    expect(checkTrailSettings({ ...ok, CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:g:*', KmsKeyId: 'nope' })).toMatchObject({
      code: 'InvalidCloudWatchLogsRoleArnException',
    });
  });
});
