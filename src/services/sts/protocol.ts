/**
 * STS 2011-06-15 over the AWS query protocol (../../api/protocols/aws-query/), recorded in the
 * region the client called. GetCallerIdentity needs no permission, as in AWS. Session tokens
 * are left out of records like secret keys.
 */
import { queryServiceProtocol, withSensitiveShapes } from '../../api/protocols/aws-query/index.js';
import * as model from './model.gen.js';
import { stsOperations } from './operations/index.js';

export const stsQuery = queryServiceProtocol({
  metadata: model.metadata,
  operations: model.operations,
  // Session tokens never reach a record (CloudTrail's own AssumeRole records do hold them).
  shapes: withSensitiveShapes(model.shapes, ['tokenType']),
  table: stsOperations,
  eventSource: 'sts.amazonaws.com',
  recordedDates: 'MMM d, yyyy, h:mm:ss a',
  openToEveryCaller: ['GetCallerIdentity'],
});
