/**
 * Advanced event selectors (`AdvancedEventSelectors`, the CloudTrail API Reference, AdvancedEventSelector and AdvancedFieldSelector): does one selector log a record?
 *
 * A selector is the AND of its field selectors. A field selector is the AND of the operators it
 * uses: a positive operator (Equals, StartsWith, EndsWith) holds when ANY of its values matches,
 * a negative one (NotEquals, NotStartsWith, NotEndsWith) when NONE does. A field the record lacks
 * is absent: it matches no value, so positive operators fail and negative ones hold.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector } from '../../services/cloudtrail/model.gen.js';
import type { CloudTrailRecord, RecordResource } from '../record.js';
import { CATEGORY_OF_KIND, eventKindOf, readOnlyOf, resourceArnOf, resourcesOf } from './classify.js';
import type { Operator } from './config.js';
import { OPERATORS } from './config.js';

const NEGATIVE: ReadonlySet<Operator> = new Set(['NotEquals', 'NotStartsWith', 'NotEndsWith']);

function valueMatches(operator: Operator, actual: string, expected: string): boolean {
  switch (operator) {
    case 'Equals':
    case 'NotEquals':
      return actual === expected;
    case 'StartsWith':
    case 'NotStartsWith':
      return actual.startsWith(expected);
    case 'EndsWith':
    case 'NotEndsWith':
      return actual.endsWith(expected);
  }
}

/** Whether every operator of the field selector holds for `actual` (undefined = the field is absent). */
export function fieldSelectorHolds(selector: AdvancedFieldSelector, actual: string | undefined): boolean {
  return OPERATORS.every((operator) => {
    const expected = selector[operator];
    if (expected == null) return true; // null is how some JSON clients spell "absent"
    const anyMatches = actual !== undefined && expected.some((value) => valueMatches(operator, actual, value));
    return NEGATIVE.has(operator) ? !anyMatches : anyMatches;
  });
}

/** A field's value as selectors compare it: strings as they are, booleans as "true"/"false". */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'boolean' ? String(value) : undefined;
}

/**
 * The value of a record-level field. eventCategory falls back to the category the record is
 * classified as, so that records older than eventCategory (eventVersion < 1.07) are still
 * selected by `eventCategory Equals Management`, just as the default basic selector logs them.
 */
export function recordFieldValue(record: CloudTrailRecord, field: string): string | undefined {
  switch (field) {
    case 'eventCategory':
      return textOf(record.eventCategory) ?? CATEGORY_OF_KIND[eventKindOf(record)];
    case 'readOnly':
      return textOf(readOnlyOf(record));
    case 'userIdentity.arn':
      return textOf(record.userIdentity?.arn);
    case 'eventSource':
    case 'eventName':
    case 'eventType':
    case 'sessionCredentialFromConsole':
    case 'errorCode':
    case 'vpcEndpointId':
      return textOf(record[field]);
    default:
      return undefined;
  }
}

/** The value of a `resources.*` field on one resource. */
export function resourceFieldValue(resource: RecordResource, field: string): string | undefined {
  switch (field) {
    case 'resources.type':
      return textOf(resource.type);
    case 'resources.ARN':
      return resourceArnOf(resource);
    default:
      return undefined;
  }
}

const isResourceField = (selector: AdvancedFieldSelector): boolean => selector.Field.startsWith('resources.');

/**
 * Whether the selector logs the record. All `resources.*` conditions of a selector must hold for
 * the SAME resource: `resources.ARN` restricts the resource named by `resources.type` (an S3
 * GetObject carries both the object and its bucket, and `resources.ARN NotStartsWith
 * arn:aws:s3:::secret/` must not be satisfied by the bucket's ARN). A record without resources
 * is checked against one resource whose fields are all absent.
 */
export function advancedSelectorMatches(selector: AdvancedEventSelector, record: CloudTrailRecord): boolean {
  const fieldSelectors = selector.FieldSelectors;
  const recordLevel = fieldSelectors.filter((fieldSelector) => !isResourceField(fieldSelector));
  if (!recordLevel.every((fieldSelector) => fieldSelectorHolds(fieldSelector, recordFieldValue(record, fieldSelector.Field)))) return false;
  const resourceLevel = fieldSelectors.filter(isResourceField);
  if (resourceLevel.length === 0) return true;
  const resources = resourcesOf(record);
  const candidates: RecordResource[] = resources.length > 0 ? resources : [{}];
  return candidates.some((resource) =>
    resourceLevel.every((fieldSelector) => fieldSelectorHolds(fieldSelector, resourceFieldValue(resource, fieldSelector.Field))),
  );
}
