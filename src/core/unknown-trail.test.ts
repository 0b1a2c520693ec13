import { describe, expect, it } from 'vitest';
import { unknownTrail } from './unknown-trail.js';

const ACCOUNT = '111122223333';
const byName = { reference: 'unknowntrail', trailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/unknowntrail`, arnAccountId: ACCOUNT, callerAccountId: ACCOUNT };

describe('unknownTrail', () => {
  it('names the trail ARN (GetTrailStatus, UpdateTrail, DeleteTrail)', () => {
    expect(unknownTrail('trail-arn', byName)).toEqual({
      code: 'TrailNotFoundException',
      message: `Unknown trail: arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/unknowntrail for the user: ${ACCOUNT}`,
    });
  });

  it('repeats the reference as given (GetTrail and the operations without a known answer)', () => {
    expect(unknownTrail('as-given', byName)).toEqual({ code: 'TrailNotFoundException', message: `Unknown trail: unknowntrail for the user: ${ACCOUNT}` });
    const byArn = { ...byName, reference: byName.trailArn };
    expect(unknownTrail('as-given', byArn).message).toBe(`Unknown trail: ${byName.trailArn} for the user: ${ACCOUNT}`);
  });

  it('answers ListTags with CloudTrailARNInvalidException, naming the account when it is another', () => {
    expect(unknownTrail('listed-arn', byName)).toEqual({ code: 'CloudTrailARNInvalidException', message: 'You must specify an ARN that the caller account can access.' });
    expect(unknownTrail('listed-arn', { ...byName, arnAccountId: '999988887777' })).toEqual({
      code: 'CloudTrailARNInvalidException',
      message: `AccountID in ARN is wrong, you can only access resources with AccountID ${ACCOUNT}.`,
    });
  });
});
