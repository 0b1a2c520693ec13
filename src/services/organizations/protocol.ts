/**
 * Organizations 2016-11-28 over AWS JSON 1.1 (`X-Amz-Target: AWSOrganizationsV20161128.<Op>`).
 * A global service: clients sign its calls for us-east-1, and CloudTrail records them in
 * us-east-1 whatever region a client used. Account names and e-mail addresses are sensitive in
 * the model and recorded as `****`; constraint failures are InvalidInputException with a Reason.
 */
import { awsJsonServiceProtocol } from '../../api/protocols/aws-json-service.js';
import { recordedForm } from '../../api/protocols/json-record-form.js';
import * as model from './model.gen.js';
import { organizationsOperations } from './operations/index.js';
import { invalidInputOf } from './org-errors.js';

export const ORGANIZATIONS_REGION = 'us-east-1';

export const organizationsJson = awsJsonServiceProtocol({
  metadata: model.metadata,
  operations: model.operations,
  shapes: model.shapes,
  table: organizationsOperations,
  eventSource: 'organizations.amazonaws.com',
  recordRegion: ORGANIZATIONS_REGION,
  constraintError: invalidInputOf,
  recordedParameters: (operation, input) => recordedForm(model.shapes, model.operations[operation].input, input),
  recordedResponse: (operation, output) => recordedForm(model.shapes, model.operations[operation].output, output),
});
