/**
 * The errors of CloudWatch Logs 2014-03-28 that our operations answer, with its codes (the
 * model's exception shapes). Messages never carry log messages: an error message goes into the
 * call's record.
 */
import type { ServiceError } from '../../api/errors.js';
import { clientError } from '../../api/errors.js';
import type { InputProblem } from '../../api/model/validate-input.js';

export const logsErrors = {
  groupNotFound: () => clientError('ResourceNotFoundException', 'The specified log group does not exist.'),
  streamNotFound: () => clientError('ResourceNotFoundException', 'The specified log stream does not exist.'),
  filterNotFound: () => clientError('ResourceNotFoundException', 'The specified metric filter does not exist.'),
  groupExists: () => clientError('ResourceAlreadyExistsException', 'The specified log group already exists'),
  streamExists: () => clientError('ResourceAlreadyExistsException', 'The specified log stream already exists'),
  invalidParameter: (message: string) => clientError('InvalidParameterException', message),
  limitExceeded: (message: string) => clientError('LimitExceededException', message),
  invalidNextToken: () => clientError('InvalidParameterException', 'The specified nextToken is not valid.'),
};

/**
 * CloudWatch Logs answers input that breaks the model's constraints with
 * InvalidParameterException and the validation message. Values of log events (PutLogEvents'
 * messages, TestMetricFilter's) are not repeated: they are the user's log data.
 */
export function invalidParameterOf(problem: InputProblem): ServiceError {
  const message = problem.message.replace(/Value '(?:[^']|'(?! at '))*' at '((?:logEvents|logEventMessages)[^']*)'/g, "Value at '$1'");
  return logsErrors.invalidParameter(message);
}
