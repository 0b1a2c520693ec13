/** The RoleArn of an AssumeRole request: `arn:aws:iam::<account>:role[/<path>]/<name>`. */
import { queryErrors } from '../../../api/protocols/aws-query/query-errors.js';

export interface RoleArnParts {
  accountId: string;
  /** `/` or `/a/b/`, as IAM stores paths. */
  path: string;
  roleName: string;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[\u0021-\u007E]+\/)?)([\w+=,.@-]{1,64})$/;

/** Throws ValidationError (AWS's "Request ARN is invalid") for anything but a role ARN. */
export function parseRoleArn(arn: string): RoleArnParts {
  const match = ROLE_ARN.exec(arn);
  if (match === null) throw queryErrors.validation('Request ARN is invalid');
  return { accountId: match[1]!, path: match[2]!, roleName: match[3]! };
}
