/**
 * The errors of Organizations 2016-11-28 that our operations answer, with AWS's codes (the
 * model's exception shapes) and messages. Messages never repeat the caller's input: account
 * names and e-mail addresses are sensitive, and an error message goes into the call's record.
 */
import { ServiceError, clientError } from '../../api/errors.js';
import type { InputProblem } from '../../api/model/validate-input.js';

export const orgErrors = {
  notInUse: () => clientError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.'),
  alreadyInOrganization: () => clientError('AlreadyInOrganizationException', 'The AWS account is already a member of an organization.'),
  /**
   * A member account calling an operation only the management account (or a delegated
   * administrator) may call: what AWS answers a member whatever its own policies allow, in the
   * wording of its real records (the organization's resource policy is what lacks the grant).
   */
  notManagement: (principalArn: string, operation: string) =>
    clientError(
      'AccessDeniedException',
      `User: ${principalArn} is not authorized to perform: organizations:${operation} on resource: * because no resource-based policy allows the organizations:${operation} action`,
    ),
  accountNotFound: () => clientError('AccountNotFoundException', "You specified an account that doesn't exist."),
  createAccountStatusNotFound: () =>
    clientError('CreateAccountStatusNotFoundException', "We can't find a create account request with the CreateAccountRequestId that you specified."),
  childNotFound: () => clientError('ChildNotFoundException', "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified."),
  parentNotFound: () => clientError('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified."),
  accountAlreadyRegistered: () =>
    clientError('AccountAlreadyRegisteredException', 'The provided account is already a delegated administrator for your organization.'),
  accountNotRegistered: () =>
    clientError('AccountNotRegisteredException', 'The provided account is not a registered delegated administrator for your organization.'),
  concurrentModification: () =>
    clientError('ConcurrentModificationException', 'The target of the operation is currently being modified by a different request. Try again later.'),
  constraintViolation: (reason: string, message: string) => new ServiceError('ConstraintViolationException', message, 400, { Reason: reason }),
  invalidInput: (reason: string, message: string) => new ServiceError('InvalidInputException', message, 400, { Reason: reason }),
  invalidNextToken: () => orgErrors.invalidInput('INVALID_NEXT_TOKEN', 'The specified NextToken is not valid.'),
};

/** AWS's wording per InvalidInputException reason for the model's constraints. */
const CONSTRAINT_REASONS: readonly { test: RegExp; reason: string; message: string }[] = [
  { test: /regular expression pattern/, reason: 'INVALID_PATTERN', message: 'You provided a value that does not match the required pattern' },
  { test: /enum value set/, reason: 'INVALID_ENUM', message: 'You specified an invalid value' },
  { test: /length greater than/, reason: 'MIN_LENGTH_EXCEEDED', message: 'You provided a string parameter that is shorter than allowed' },
  { test: /length less than/, reason: 'MAX_LENGTH_EXCEEDED', message: 'You provided a string parameter that is longer than allowed' },
  { test: /value greater than/, reason: 'MIN_VALUE_EXCEEDED', message: 'You provided a numeric parameter that has a smaller value than allowed' },
  { test: /value less than/, reason: 'MAX_VALUE_EXCEEDED', message: 'You provided a numeric parameter that has a larger value than allowed' },
];

/**
 * Organizations answers input that breaks the model's constraints with InvalidInputException
 * and a Reason. The message names the member (from the walker's `at '<path>'`) but not its
 * value, which may be an account name or an e-mail address.
 */
export function invalidInputOf(problem: InputProblem): ServiceError {
  const first = problem.message.replace(/^\d+ validation errors? detected: /, '').split('; ')[0] ?? '';
  // Only a plain member path (`accountId`, `states.1.member`) is named, whatever the value held.
  const member = /at '([A-Za-z0-9.]{1,200})' failed to satisfy constraint/.exec(first)?.[1];
  const rule = CONSTRAINT_REASONS.find((r) => r.test.test(first)) ?? CONSTRAINT_REASONS[0]!;
  return orgErrors.invalidInput(rule.reason, member === undefined ? `${rule.message}.` : `${rule.message}: ${member}.`);
}
