/**
 * What a trail's event selectors are, CloudTrail's default, and the limits and vocabularies
 * that PutEventSelectors enforces (the CloudTrail API Reference, PutEventSelectors (its limits and errors), §6.1, §6.2).
 */
import type { AdvancedEventSelector, EventSelector, ReadWriteType } from '../../services/cloudtrail/model.gen.js';

/** What a trail is configured with: exactly one of the two kinds (basic is the default). */
export type SelectorConfig =
  | { kind: 'basic'; selectors: EventSelector[] }
  | { kind: 'advanced'; selectors: AdvancedEventSelector[] };

/**
 * CloudTrail's default for a new trail: one basic selector, ReadWriteType All,
 * IncludeManagementEvents true, no data resources. Frozen all the way down because it is
 * shared by every trail that never called PutEventSelectors: a caller that mutated it would
 * change them all.
 */
export const DEFAULT_SELECTORS: SelectorConfig = deepFreeze({
  kind: 'basic',
  selectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/** A trail has 1 to 5 basic selectors. */
export const MAX_BASIC_SELECTORS = 5;
/** Data resource values (buckets/prefixes, functions, tables) summed over all basic selectors. */
export const MAX_DATA_RESOURCE_VALUES = 250;
/** Condition values summed over all field selectors of all advanced selectors of a trail. */
export const MAX_ADVANCED_VALUES = 500;
export const MAX_SELECTOR_NAME_LENGTH = 1000;
export const MAX_FIELD_LENGTH = 1000;
export const MAX_OPERATOR_VALUE_LENGTH = 2048;

export const READ_WRITE_TYPES: readonly ReadWriteType[] = ['ReadOnly', 'WriteOnly', 'All'];

/** The only resource types basic selectors can log data events for; others need advanced selectors. */
export const BASIC_DATA_RESOURCE_TYPES = ['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table'] as const;
export type BasicDataResourceType = (typeof BASIC_DATA_RESOURCE_TYPES)[number];

/** The only event sources a basic selector may exclude from its management events. */
export const EXCLUDABLE_MANAGEMENT_EVENT_SOURCES: readonly string[] = ['kms.amazonaws.com', 'rdsdata.amazonaws.com'];

/** Fields an advanced field selector may name. */
export const ADVANCED_FIELDS = [
  'eventCategory',
  'eventSource',
  'eventName',
  'eventType',
  'readOnly',
  'resources.type',
  'resources.ARN',
  'sessionCredentialFromConsole',
  'userIdentity.arn',
  'errorCode',
  'vpcEndpointId',
] as const;
export type AdvancedField = (typeof ADVANCED_FIELDS)[number];

/** Operators of a field selector; the `Not*` ones are negative (hold when no value matches). */
export const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Fields whose conditions may only use Equals. */
export const EQUALS_ONLY_FIELDS: readonly string[] = ['eventCategory', 'readOnly', 'resources.type'];

/**
 * eventCategory values a trail's advanced selector may ask for. ActivityAuditLog is an OpenTrail
 * extension (CloudTrail allows it only on Lake event data stores): see index.ts.
 */
export const SELECTABLE_EVENT_CATEGORIES: readonly string[] = ['Management', 'Data', 'NetworkActivity', 'ActivityAuditLog'];
