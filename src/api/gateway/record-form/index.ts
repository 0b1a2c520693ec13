/**
 * The service-specific fields of a forwarded call's CloudTrail record, by protocol:
 * S3 (rest-xml, signing name `s3`), AWS JSON, Query/EC2 and REST-JSON. Pure: the same call and
 * facts give the same form. eventName, readOnly and the data resource type come from the route
 * tables and CloudTrail's names (cloudtrail-names.ts); eventCategory is `Data` when a data
 * resource type is given, else `Management`.
 */
import type { ForwardedCall, RecordForm } from '../contract.js';
import { jsonRecordForm } from './json.js';
import { queryRecordForm } from './query.js';
import { restJsonRecordForm } from './rest-json.js';
import { s3RecordForm } from './s3.js';
import type { RecordFacts } from './shared.js';

export type { RecordFacts } from './shared.js';

export function recordFormOf(call: ForwardedCall, facts: RecordFacts): RecordForm {
  switch (call.model.protocol) {
    case 'rest-xml':
      // Only S3 is fronted over rest-xml; another rest-xml service gets the labels-and-query form.
      return call.model.signingName === 's3' ? s3RecordForm(call, facts) : restJsonRecordForm(call, facts);
    case 'json':
      return jsonRecordForm(call, facts);
    case 'query':
    case 'ec2':
      return queryRecordForm(call, facts);
    case 'rest-json':
      return restJsonRecordForm(call, facts);
  }
}
