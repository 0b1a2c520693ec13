import { describe, expect, it } from 'vitest';
import { compareWithSamples } from '../../test/support/sample-shapes.js';
import { samplesAvailable } from '../../test/support/samples.js';
import { consoleLoginRecord } from './console-login-record.js';

const facts = {
  identity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' },
  recipientAccountId: '111122223333',
  region: 'us-east-1',
  timeMs: Date.UTC(2026, 11, 1, 10),
  sourceIPAddress: '127.0.0.1',
  userAgent: 'Mozilla/5.0',
  loginTo: 'http://127.0.0.1:4566/console/',
  eventId: 'e1',
};

describe('ConsoleLogin record', () => {
  it('says success or failure as CloudTrail does', () => {
    expect(consoleLoginRecord({ ...facts, success: true })).toMatchObject({
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      eventType: 'AwsConsoleSignIn',
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { LoginTo: facts.loginTo, MobileVersion: 'No', MFAUsed: 'No' },
      readOnly: false,
    });
    const failed = consoleLoginRecord({ ...facts, success: false });
    expect(failed).toMatchObject({ errorMessage: 'Failed authentication', responseElements: { ConsoleLogin: 'Failure' } });
    expect(failed.errorCode).toBeUndefined();
  });

  it.skipIf(!samplesAvailable())('has the members of the real ConsoleLogin records', () => {
    const { compared, mismatches } = compareWithSamples([consoleLoginRecord({ ...facts, success: true })]);
    expect(compared).toEqual(['signin.amazonaws.com ConsoleLogin']);
    expect(mismatches).toEqual([]);
  });
});
