/** The control plane: cloudtrail 2013-11-01 over AWS JSON 1.1 (see ../../api/aws-json.ts). */
import { awsJsonServiceProtocol } from '../../api/protocols/aws-json-service.js';
import * as model from './model.gen.js';
import { cloudTrailOperations } from './operations/index.js';

export const cloudTrailJson = awsJsonServiceProtocol({
  metadata: model.metadata,
  operations: model.operations,
  shapes: model.shapes,
  table: cloudTrailOperations,
  eventSource: 'cloudtrail.amazonaws.com',
  // CloudTrail is the endpoint's default service: a `POST /` without a known target is its
  // UnknownOperationException (recorded), as before other services shared the endpoint.
  answersUntargeted: true,
});
