/**
 * STS 2011-06-15 over the AWS query protocol (../../api/protocols/aws-query/), recorded in the
 * region the client called. GetCallerIdentity and GetSessionToken need no permission, as in AWS. CloudTrail records
 * AssumeRole as read-only yet with the credentials it issued in responseElements, and
 * GetSessionToken as not read-only. Session tokens are left out of records (CloudTrail writes
 * them; OpenTrail keeps every secret out of its history).
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
  openToEveryCaller: ['GetCallerIdentity', 'GetSessionToken'],
  recordedAs: {
    AssumeRole: { readOnly: true, recordsResponse: true },
    GetSessionToken: { readOnly: false },
  },
  unrecordedShapes: ['tokenType'],
});
