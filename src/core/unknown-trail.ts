/**
 * What CloudTrail answers when a request names a trail that does not exist (or is not the
 * caller's to see). The operations do not all say it the same way; where a real answer was
 * found it is followed, and the source is named:
 *
 * - `trail-arn`: `Unknown trail: <trail ARN> for the user: <account>`, the ARN the name stands
 *   for in the request's region and the caller's account. GetTrailStatus (answers printed by the
 *   AWS CLI in several public reports; moto copies it), UpdateTrail (the error-record example of
 *   the CloudTrail User Guide, "CloudTrail log file examples", 2023 edition; its 2016 edition
 *   showed the name instead), DeleteTrail (aws-nuke's output against AWS).
 * - `as-given`: `Unknown trail: <the name or ARN as given> for the user: <account>`. GetTrail
 *   (the AWS CLI's answer in CloudShell, published in a project's setup log). Also used where no
 *   real answer was found: StartLogging, StopLogging, PutEventSelectors, GetEventSelectors,
 *   AddTags, RemoveTags, and OpenTrail's own proof operations.
 * - `listed-arn`: ListTags does not answer TrailNotFoundException (the service model lists none
 *   for it) but CloudTrailARNInvalidException: "You must specify an ARN that the caller account
 *   can access." for a trail of the caller's account that does not exist (TagNabIt's published
 *   output), "AccountID in ARN is wrong, you can only access resources with AccountID <account>."
 *   for another account's trail (prowler pull request #2025, quoting AWS).
 */
import type { RuleViolation } from './trail-rules.js';

export type UnknownTrailAnswer = 'trail-arn' | 'as-given' | 'listed-arn';

export interface UnknownTrail {
  /** The Name/TrailName/ResourceId of the request, as given. */
  reference: string;
  /** The trail ARN it stands for. */
  trailArn: string;
  /** The account in that ARN. */
  arnAccountId: string;
  /** The caller's account. */
  callerAccountId: string;
}

export function unknownTrail(answer: UnknownTrailAnswer, trail: UnknownTrail): RuleViolation {
  if (answer === 'listed-arn') {
    const message =
      trail.arnAccountId === trail.callerAccountId
        ? 'You must specify an ARN that the caller account can access.'
        : `AccountID in ARN is wrong, you can only access resources with AccountID ${trail.callerAccountId}.`;
    return { code: 'CloudTrailARNInvalidException', message };
  }
  const named = answer === 'trail-arn' ? trail.trailArn : trail.reference;
  return { code: 'TrailNotFoundException', message: `Unknown trail: ${named} for the user: ${trail.callerAccountId}` };
}
