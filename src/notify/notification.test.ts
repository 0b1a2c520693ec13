import { describe, expect, it } from 'vitest';
import { logDeliveryMessage, snsTopicArn, snsTopicRegion } from './notification.js';

describe('CloudTrail notifications', () => {
  it('builds the log-delivery message CloudTrail publishes', () => {
    const keys = [
      'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz',
      'AWSLogs/111122223333/CloudTrail/us-east-1/2015/08/01/111122223333_CloudTrail_us-east-1_20150801T0210Z_abcdefghijklmnop.json.gz',
    ];
    const message = logDeliveryMessage('trail-bucket', keys);
    expect(message).toBe(`{"s3Bucket":"trail-bucket","s3ObjectKey":["${keys[0]}","${keys[1]}"]}`);
    expect(JSON.parse(message)).toEqual({ s3Bucket: 'trail-bucket', s3ObjectKey: keys });
    expect(logDeliveryMessage('b', ['one "quoted" key'])).toBe('{"s3Bucket":"b","s3ObjectKey":["one \\"quoted\\" key"]}');
  });

  it('resolves a topic name in the trail home region and account, and keeps an ARN', () => {
    expect(snsTopicArn('my-topic', 'eu-west-1', '111122223333')).toBe('arn:aws:sns:eu-west-1:111122223333:my-topic');
    expect(snsTopicArn('arn:aws:sns:us-east-2:444455556666:other', 'eu-west-1', '111122223333')).toBe('arn:aws:sns:us-east-2:444455556666:other');
    expect(snsTopicRegion('arn:aws:sns:us-east-2:444455556666:other')).toBe('us-east-2');
    expect(snsTopicRegion('arn:aws:sqs:us-east-2:444455556666:q')).toBeUndefined();
    expect(snsTopicRegion('my-topic')).toBeUndefined();
  });
});
