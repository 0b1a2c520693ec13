/**
 * CloudWatch's modelled errors, named by their shapes (what records show as errorCode); the
 * query code each answers with on the wire (InvalidParameterValue, MissingParameter, ...) comes
 * from the model's awsQueryError, in every protocol (../../api/protocols/aws-query/wire-errors.ts).
 */
import { modelledError } from '../../api/protocols/aws-query/index.js';
import { shapes } from './model.gen.js';

/** Client text quoted in messages is cut to this length (it also lands in the call's record). */
function echo(text: string): string {
  return text.length <= 128 ? text : `${text.slice(0, 128)}...`;
}

export const cloudWatchErrors = {
  invalidParameterValue: (message: string) => modelledError(shapes, 'InvalidParameterValueException', message),
  missingParameter: (name: string) => modelledError(shapes, 'MissingRequiredParameterException', `The parameter ${name} is required.`),
  invalidParameterCombination: (message: string) => modelledError(shapes, 'InvalidParameterCombinationException', message),
  /** DeleteAlarms, SetAlarmState, DescribeAlarmHistory: code ResourceNotFound, 404. */
  alarmNotFound: (names: readonly string[]) =>
    modelledError(shapes, 'ResourceNotFound', names.length === 1 ? `Alarm ${echo(names[0]!)} not found` : `Alarms not found: ${echo(names.join(', '))}`),
  limitExceeded: (message: string) => modelledError(shapes, 'LimitExceededFault', message),
  invalidNextToken: () => modelledError(shapes, 'InvalidNextToken', 'The service could not understand the NextToken provided.'),
  invalidFormat: (message: string) => modelledError(shapes, 'InvalidFormatFault', message),
  /** What OpenTrail does not do (metric math, anomaly bands, percentiles): said plainly. */
  notSupported: (what: string) => modelledError(shapes, 'InvalidParameterValueException', `${what} is not supported by this OpenTrail server.`),
};

export { echo };
