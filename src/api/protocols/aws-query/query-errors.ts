/**
 * The errors of the AWS query protocol front end (IAM, STS), before any operation runs. Codes
 * and statuses are AWS's common query errors; all of them are the caller's fault (400).
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
 */
import { ServiceError } from '../../errors.js';

/** Client text quoted in messages is cut to this length (it also lands in the call's record). */
const MAX_ECHO = 128;

export function echo(text: string): string {
  return text.length <= MAX_ECHO ? text : `${text.slice(0, MAX_ECHO)}...`;
}

export const queryErrors = {
  missingAction: () => new ServiceError('MissingAction', 'Missing Action'),
  /** AWS answers an unknown Action and a Version it does not serve with the same error. */
  invalidAction: (action: string, version: string) =>
    new ServiceError('InvalidAction', `Could not find operation ${echo(action)} for version ${echo(version)}`),
  missingVersion: () => new ServiceError('MissingParameter', 'The request must contain the parameter Version.'),
  malformedQueryString: (reason: string) => new ServiceError('MalformedQueryString', reason),
  invalidParameterValue: (message: string) => new ServiceError('InvalidParameterValue', message),
  /** Required members and model constraints, in AWS's "N validation errors detected: ..." wording. */
  validation: (message: string) => new ServiceError('ValidationError', message),
};
