/**
 * CloudWatch Logs 2014-03-28 over AWS JSON 1.1 (`X-Amz-Target: Logs_20140328.<Op>`), recorded
 * as CloudTrail records CloudWatch Logs calls (eventSource logs.amazonaws.com): requestParameters
 * from the model; read-only calls (Describe, Get, Filter, Test) without responseElements.
 * PutLogEvents' record keeps the group and stream names only, never the log messages. The
 * model's constraints are answered with InvalidParameterException, as CloudWatch Logs does.
 */
import { awsJsonServiceProtocol } from '../../api/protocols/aws-json-service.js';
import { recordedForm } from '../../api/protocols/json-record-form.js';
import type { ServiceProtocol } from '../../api/protocols/service-protocol.js';
import { invalidParameterOf } from './logs-errors.js';
import * as model from './model.gen.js';
import { logsOperations } from './operations/index.js';

/** Read-only calls whose verb does not say so. */
const ALSO_READ_ONLY: ReadonlySet<string> = new Set(['FilterLogEvents', 'TestMetricFilter', 'StartQuery', 'StopQuery', 'StartLiveTail']);

const json = awsJsonServiceProtocol({
  metadata: model.metadata,
  operations: model.operations,
  shapes: model.shapes,
  table: logsOperations,
  eventSource: 'logs.amazonaws.com',
  constraintError: invalidParameterOf,
  recordedParameters: (operation, input) => {
    if (operation === 'PutLogEvents') {
      const { logGroupName, logStreamName } = input;
      return { ...(typeof logGroupName === 'string' && { logGroupName }), ...(typeof logStreamName === 'string' && { logStreamName }) };
    }
    return recordedForm(model.shapes, model.operations[operation].input, input);
  },
  recordedResponse: (operation, output) => recordedForm(model.shapes, model.operations[operation].output, output),
});

/**
 * The calls that read or write log events are data events: high-volume, and recorded beside
 * the events they move. As management events they would also feed back: a trail forwarding to
 * a group would forward the record of every read of that group into it, and a reader following
 * the stream to its end (GetLogEvents' forward token) would never reach it.
 */
const DATA_EVENTS: ReadonlySet<string> = new Set(['GetLogEvents', 'FilterLogEvents', 'PutLogEvents']);

export const logsJson: ServiceProtocol = {
  ...json,
  readOnly: (operation) => (ALSO_READ_ONLY.has(operation) ? true : undefined),
  dataEvent: (operation) => DATA_EVENTS.has(operation),
};
