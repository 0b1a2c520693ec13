import { describe, expect, it } from 'vitest';
import { cloudTrailStreamName, logGroupOfArn } from './log-destination.js';

describe('log group ARNs and CloudTrail stream names', () => {
  it('reads the account, region and name of a log group ARN, with or without :*', () => {
    expect(logGroupOfArn('arn:aws:logs:eu-west-1:111122223333:log-group:CloudTrail/DefaultLogGroup:*')).toEqual({
      accountId: '111122223333',
      region: 'eu-west-1',
      logGroupName: 'CloudTrail/DefaultLogGroup',
    });
    expect(logGroupOfArn('arn:aws:logs:us-east-1:111122223333:log-group:a:b')?.logGroupName).toBe('a:b');
    expect(logGroupOfArn('arn:aws:s3:::bucket')).toBeUndefined();
  });

  it('names streams as CloudTrail does', () => {
    expect(cloudTrailStreamName('111122223333', 'us-east-1')).toBe('111122223333_CloudTrail_us-east-1');
    expect(cloudTrailStreamName('444455556666', 'us-east-1', 'o-abc')).toBe('o-abc_444455556666_CloudTrail_us-east-1');
  });
});
