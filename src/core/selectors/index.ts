/**
 * Trail event selectors as pure functions: which records a trail logs, and which
 * PutEventSelectors inputs are valid.
 *
 * Semantic decisions (CloudTrail docs and the CloudTrail API Reference, PutEventSelectors leave these open):
 *
 * - Classification (classify.ts): eventCategory decides when present; records older than it use
 *   managementEvent (false + resources = data event); records older than both are management
 *   events. readOnly is read as a boolean or the strings "true"/"false".
 * - Custom events (eventCategory ActivityAuditLog, put through a channel with PutAuditEvents)
 *   are not management events, and CloudTrail has no way to deliver them to a trail at all.
 *   OpenTrail delivers channel events through trails, so it decides: a basic selector with
 *   IncludeManagementEvents true (the default) selects them, whatever its ReadWriteType (they
 *   have no readOnly), and so does an advanced selector with `eventCategory Equals
 *   ActivityAuditLog` (which may have no other field selector). A trail that logs no
 *   management events therefore logs no custom events either, unless it asks for them by name.
 * - Insights and network activity events are never selected by basic selectors.
 * - An unknown readOnly passes ReadWriteType All only.
 * - S3 bucket-level data events (ListObjects) carry `ARNPrefix` instead of `ARN` on their
 *   AWS::S3::Object resource; the prefix is matched as the ARN.
 * - Advanced `resources.*` conditions of one selector must all hold for the same resource; a
 *   record without resources is compared as one resource with absent fields.
 * - Advanced `eventCategory` on a record without one compares as its classified category.
 */
export type { SelectorConfig, AdvancedField, BasicDataResourceType, Operator } from './config.js';
export {
  DEFAULT_SELECTORS,
  ADVANCED_FIELDS,
  BASIC_DATA_RESOURCE_TYPES,
  EXCLUDABLE_MANAGEMENT_EVENT_SOURCES,
  MAX_ADVANCED_VALUES,
  MAX_BASIC_SELECTORS,
  MAX_DATA_RESOURCE_VALUES,
} from './config.js';
export type { EventKind } from './classify.js';
export { eventKindOf, isManagementEvent, readOnlyOf } from './classify.js';
export { selects } from './select.js';
export { basicSelectorMatches, dataResourceValueMatches, readWriteTypeMatches } from './basic.js';
export { advancedSelectorMatches, fieldSelectorHolds } from './advanced.js';
export { validateSelectorInput } from './validate.js';
export type { SelectorErrorCode, SelectorInput, SelectorValidation } from './validate.js';
