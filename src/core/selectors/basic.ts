/**
 * Basic event selectors (`EventSelectors`, the CloudTrail API Reference, EventSelector and DataResource): does one selector log a record?
 */
import type { EventSelector, ReadWriteType } from '../../services/cloudtrail/model.gen.js';
import type { CloudTrailRecord } from '../record.js';
import { eventKindOf, readOnlyOf, resourceArnOf, resourcesOf } from './classify.js';

/**
 * Whether a selector's ReadWriteType (default All) admits an event. An event whose readOnly is
 * unknown (records older than eventVersion 1.01) passes only All: claiming it is a read or a
 * write would be a guess.
 */
export function readWriteTypeMatches(type: ReadWriteType | undefined, readOnly: boolean | undefined): boolean {
  switch (type ?? 'All') {
    case 'ReadOnly':
      return readOnly === true;
    case 'WriteOnly':
      return readOnly === false;
    default:
      return true;
  }
}

/** `arn:<partition>:s3`, `arn:<partition>:lambda`, `arn:<partition>:dynamodb`: every resource of the service. */
const SERVICE_WIDE_VALUE = /^arn:[a-z-]+:(s3|lambda|dynamodb)$/;

/**
 * Whether a DataResource value selects a resource ARN. A service-wide value selects every ARN
 * of its service. Other S3 values are prefixes (bucket, or bucket and object key prefix); Lambda
 * and DynamoDB values name one function or table exactly.
 */
export function dataResourceValueMatches(type: string, value: string, arn: string): boolean {
  if (SERVICE_WIDE_VALUE.test(value)) return arn.startsWith(`${value}:`);
  return type === 'AWS::S3::Object' ? arn.startsWith(value) : arn === value;
}

/**
 * Whether one basic selector logs the record:
 * - a management event when IncludeManagementEvents (default true), ReadWriteType, and its
 *   eventSource is not excluded;
 * - a data event when one of the record's resources has the type of a DataResource and an ARN
 *   one of its values selects, and ReadWriteType;
 * - a custom (ActivityAuditLog) event when IncludeManagementEvents: an OpenTrail extension, see
 *   index.ts. ReadWriteType does not apply because custom events have no readOnly;
 * - never network activity, Insights or unclassifiable events.
 */
export function basicSelectorMatches(selector: EventSelector, record: CloudTrailRecord): boolean {
  switch (eventKindOf(record)) {
    case 'management':
      return (
        selector.IncludeManagementEvents !== false &&
        readWriteTypeMatches(selector.ReadWriteType, readOnlyOf(record)) &&
        !(typeof record.eventSource === 'string' && (selector.ExcludeManagementEventSources ?? []).includes(record.eventSource))
      );
    case 'custom':
      return selector.IncludeManagementEvents !== false;
    case 'data':
      return readWriteTypeMatches(selector.ReadWriteType, readOnlyOf(record)) && selectsDataResource(selector, record);
    default:
      return false;
  }
}

function selectsDataResource(selector: EventSelector, record: CloudTrailRecord): boolean {
  const resources = resourcesOf(record);
  return (selector.DataResources ?? []).some(({ Type: type, Values: values = [] }) =>
    resources.some((resource) => {
      const arn = resourceArnOf(resource);
      return type !== undefined && resource.type === type && arn !== undefined && values.some((value) => dataResourceValueMatches(type, value, arn));
    }),
  );
}
