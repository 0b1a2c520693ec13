/**
 * IAM 2010-05-08 over the AWS query protocol (../../api/protocols/aws-query/). IAM is a global
 * service: clients sign its calls for us-east-1, and CloudTrail records them in us-east-1
 * whatever region a client used.
 */
import { queryServiceProtocol } from '../../api/protocols/aws-query/index.js';
import * as model from './model.gen.js';
import { iamOperations } from './operations/index.js';

export const IAM_REGION = 'us-east-1';

export const iamQuery = queryServiceProtocol({
  metadata: model.metadata,
  operations: model.operations,
  shapes: model.shapes,
  table: iamOperations,
  eventSource: 'iam.amazonaws.com',
  recordRegion: IAM_REGION,
  recordedDates: 'MMM d, yyyy h:mm:ss a',
});
