/**
 * PutEventSelectors input checks with CloudTrail's limits (the CloudTrail API Reference (each operation's parameters and errors), §2.3, §6.1, §6.2).
 *
 * The request body has already passed the model walk (validate-input.ts), so members have the
 * right JSON types; what is left are CloudTrail's own rules, which it answers with
 * InvalidEventSelectorsException. The first problem found is reported, with the path of the
 * offending member (0-based indexes, as the request was written) so the caller can fix it.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, DataResource, EventSelector } from '../../services/cloudtrail/model.gen.js';
import type { BasicDataResourceType, Operator, SelectorConfig } from './config.js';
import {
  ADVANCED_FIELDS,
  BASIC_DATA_RESOURCE_TYPES,
  EQUALS_ONLY_FIELDS,
  EXCLUDABLE_MANAGEMENT_EVENT_SOURCES,
  MAX_ADVANCED_VALUES,
  MAX_BASIC_SELECTORS,
  MAX_DATA_RESOURCE_VALUES,
  MAX_FIELD_LENGTH,
  MAX_OPERATOR_VALUE_LENGTH,
  MAX_SELECTOR_NAME_LENGTH,
  OPERATORS,
  READ_WRITE_TYPES,
  SELECTABLE_EVENT_CATEGORIES,
} from './config.js';

export type SelectorErrorCode = 'InvalidEventSelectorsException' | 'InvalidParameterCombinationException';

export interface SelectorInput {
  EventSelectors?: EventSelector[];
  AdvancedEventSelectors?: AdvancedEventSelector[];
}

export type SelectorValidation = { ok: true; config: SelectorConfig } | { ok: false; code: SelectorErrorCode; message: string };

/**
 * Validates PutEventSelectors input with CloudTrail's limits; returns the config or an error
 * (code + message).
 *
 * Exactly one of the two kinds must be given (null counts as not given): both, or neither, is
 * InvalidParameterCombinationException [unverified: the model lists no error for this case]. A
 * valid config is returned as a copy, so later changes to the input cannot reach it; basic
 * selectors come back with their defaults filled in (ReadWriteType All, IncludeManagementEvents
 * true, empty lists), the form GetEventSelectors answers with.
 */
export function validateSelectorInput(input: SelectorInput): SelectorValidation {
  const basic = input.EventSelectors;
  const advanced = input.AdvancedEventSelectors;
  if (basic != null && advanced != null) {
    return { ok: false, code: 'InvalidParameterCombinationException', message: 'Specify either EventSelectors or AdvancedEventSelectors, not both.' };
  }
  if (basic != null) {
    const problem = basicProblem(basic);
    return problem === undefined ? { ok: true, config: { kind: 'basic', selectors: basic.map(normalizeBasic) } } : invalid(problem);
  }
  if (advanced != null) {
    const problem = advancedProblem(advanced);
    return problem === undefined ? { ok: true, config: { kind: 'advanced', selectors: advanced.map(copyAdvanced) } } : invalid(problem);
  }
  return { ok: false, code: 'InvalidParameterCombinationException', message: 'Specify EventSelectors or AdvancedEventSelectors.' };
}

function invalid(message: string): SelectorValidation {
  return { ok: false, code: 'InvalidEventSelectorsException', message };
}

const listed = (values: readonly string[]): string => values.join(', ');
const sum = (numbers: number[]): number => numbers.reduce((total, n) => total + n, 0);

// ---------------------------------------------------------------------------------------------
// Basic selectors

function basicProblem(selectors: EventSelector[]): string | undefined {
  if (selectors.length < 1 || selectors.length > MAX_BASIC_SELECTORS) {
    return `EventSelectors must contain 1 to ${MAX_BASIC_SELECTORS} event selectors; got ${selectors.length}.`;
  }
  // CloudTrail's "data resources" quota counts the values (each bucket/prefix, function, table).
  const values = sum(selectors.flatMap((selector) => (selector.DataResources ?? []).map((resource) => resource.Values?.length ?? 0)));
  if (values > MAX_DATA_RESOURCE_VALUES) {
    return `EventSelectors have ${values} data resource values in total; a trail allows at most ${MAX_DATA_RESOURCE_VALUES}.`;
  }
  for (const [i, selector] of selectors.entries()) {
    const path = `EventSelectors[${i}]`;
    const readWrite = selector.ReadWriteType;
    if (readWrite != null && !READ_WRITE_TYPES.includes(readWrite)) {
      return `${path}.ReadWriteType "${String(readWrite)}" is invalid; use ${listed(READ_WRITE_TYPES)}.`;
    }
    for (const [j, source] of (selector.ExcludeManagementEventSources ?? []).entries()) {
      if (!EXCLUDABLE_MANAGEMENT_EVENT_SOURCES.includes(source)) {
        return `${path}.ExcludeManagementEventSources[${j}] "${source}" cannot be excluded; only ${listed(EXCLUDABLE_MANAGEMENT_EVENT_SOURCES)} can.`;
      }
    }
    for (const [k, resource] of (selector.DataResources ?? []).entries()) {
      const problem = dataResourceProblem(resource, `${path}.DataResources[${k}]`);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

const PARTITION = 'aws(?:-[a-z]+)*';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d{1,2}';
const ACCOUNT = '\\d{12}';
const BUCKET = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';

/** What a well-formed value of each basic type looks like, and how to say so. */
const VALUE_FORMATS: Readonly<Record<BasicDataResourceType, { pattern: RegExp; hint: string }>> = {
  // `arn:aws:s3:::` is the older spelling of "all buckets" and still appears in templates.
  'AWS::S3::Object': {
    pattern: new RegExp(`^arn:${PARTITION}:s3(?::::(?:${BUCKET}/.*)?)?$`, 's'),
    hint: 'use arn:aws:s3 for all buckets, or arn:aws:s3:::<bucket>/ optionally followed by an object key prefix',
  },
  'AWS::Lambda::Function': {
    pattern: new RegExp(`^arn:${PARTITION}:lambda(?::${REGION}:${ACCOUNT}:function:[A-Za-z0-9_-]{1,64})?$`),
    hint: 'use arn:aws:lambda for all functions, or a function ARN arn:aws:lambda:<region>:<account>:function:<name>',
  },
  'AWS::DynamoDB::Table': {
    pattern: new RegExp(`^arn:${PARTITION}:dynamodb(?::${REGION}:${ACCOUNT}:table/[A-Za-z0-9_.-]{3,255})?$`),
    hint: 'use arn:aws:dynamodb for all tables, or a table ARN arn:aws:dynamodb:<region>:<account>:table/<name>',
  },
};

function isBasicType(type: string): type is BasicDataResourceType {
  return (BASIC_DATA_RESOURCE_TYPES as readonly string[]).includes(type);
}

function dataResourceProblem(resource: DataResource, path: string): string | undefined {
  const type = resource.Type;
  if (type == null) return `${path}.Type is missing; use one of ${listed(BASIC_DATA_RESOURCE_TYPES)}.`;
  if (!isBasicType(type)) {
    return `${path}.Type "${type}" is not supported by basic event selectors (${listed(BASIC_DATA_RESOURCE_TYPES)}); use advanced event selectors for other resource types.`;
  }
  const values = resource.Values ?? [];
  if (values.length === 0) return `${path}.Values must contain at least one value.`;
  const format = VALUE_FORMATS[type];
  for (const [v, value] of values.entries()) {
    if (!format.pattern.test(value)) return `Value ${value} for ${path}.Values[${v}] is invalid; ${format.hint}.`;
  }
  return undefined;
}

function normalizeBasic(selector: EventSelector): EventSelector {
  return {
    ReadWriteType: selector.ReadWriteType ?? 'All',
    IncludeManagementEvents: selector.IncludeManagementEvents ?? true,
    DataResources: (selector.DataResources ?? []).map((resource) => ({ Type: resource.Type, Values: [...(resource.Values ?? [])] })),
    ExcludeManagementEventSources: [...(selector.ExcludeManagementEventSources ?? [])],
  };
}

// ---------------------------------------------------------------------------------------------
// Advanced selectors

/** The model's SelectorField pattern, `[\w|\d|\.|_]+` (the `|` are literal inside a class). */
const FIELD_PATTERN = /^[\w|.]+$/;

/** The operators a field selector actually uses (null counts as not used). */
function operatorsOf(selector: AdvancedFieldSelector): [Operator, string[]][] {
  return OPERATORS.flatMap((operator): [Operator, string[]][] => {
    const values = selector[operator];
    return values == null ? [] : [[operator, values]];
  });
}

function advancedProblem(selectors: AdvancedEventSelector[]): string | undefined {
  if (selectors.length === 0) return 'AdvancedEventSelectors must contain at least one advanced event selector.';
  const values = sum(selectors.map((selector) => sum((selector.FieldSelectors ?? []).flatMap((field) => operatorsOf(field).map(([, list]) => list.length)))));
  if (values > MAX_ADVANCED_VALUES) {
    return `AdvancedEventSelectors have ${values} condition values in total; a trail allows at most ${MAX_ADVANCED_VALUES}.`;
  }
  for (const [i, selector] of selectors.entries()) {
    const problem = advancedSelectorProblem(selector, `AdvancedEventSelectors[${i}]`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function advancedSelectorProblem(selector: AdvancedEventSelector, path: string): string | undefined {
  if (selector.Name != null && selector.Name.length > MAX_SELECTOR_NAME_LENGTH) {
    return `${path}.Name is ${selector.Name.length} characters long; the maximum is ${MAX_SELECTOR_NAME_LENGTH}.`;
  }
  const fieldSelectors = selector.FieldSelectors ?? [];
  if (fieldSelectors.length === 0) return `${path}.FieldSelectors must contain at least one field selector.`;
  for (const [j, fieldSelector] of fieldSelectors.entries()) {
    const problem = fieldSelectorProblem(fieldSelector, `${path}.FieldSelectors[${j}]`);
    if (problem !== undefined) return problem;
  }
  const fields = new Set(fieldSelectors.map((fieldSelector) => fieldSelector.Field));
  if (!fields.has('eventCategory')) {
    return `${path} has no eventCategory field selector; every advanced event selector needs one (eventCategory Equals ${listed(SELECTABLE_EVENT_CATEGORIES)}).`;
  }
  const categories = new Set(fieldSelectors.filter((fieldSelector) => fieldSelector.Field === 'eventCategory').flatMap((fieldSelector) => fieldSelector.Equals ?? []));
  if (categories.has('Data') && !fields.has('resources.type')) {
    return `${path} selects data events (eventCategory Equals Data) but has no resources.type field selector; data event selectors must name the resource type.`;
  }
  if (categories.has('NetworkActivity') && !fields.has('eventSource')) {
    return `${path} selects network activity events (eventCategory Equals NetworkActivity) but has no eventSource field selector; network activity selectors must name the event source.`;
  }
  const other = fieldSelectors.find((fieldSelector) => fieldSelector.Field !== 'eventCategory');
  if (categories.has('ActivityAuditLog') && other !== undefined) {
    return `${path} selects custom events (eventCategory Equals ActivityAuditLog), which can be selected by eventCategory only; remove the ${other.Field} field selector.`;
  }
  return undefined;
}

function fieldSelectorProblem(selector: AdvancedFieldSelector, path: string): string | undefined {
  const field: unknown = selector.Field;
  if (typeof field !== 'string') return `${path}.Field is missing.`;
  if (field.length < 1 || field.length > MAX_FIELD_LENGTH) {
    return `${path}.Field is ${field.length} characters long; it must be 1 to ${MAX_FIELD_LENGTH}.`;
  }
  if (!FIELD_PATTERN.test(field)) return `${path}.Field "${field}" does not match the pattern [\\w|\\d|\\.|_]+.`;
  if (!(ADVANCED_FIELDS as readonly string[]).includes(field)) {
    return `${path}.Field "${field}" is not a supported field; use one of ${listed(ADVANCED_FIELDS)}.`;
  }
  const operators = operatorsOf(selector);
  if (operators.length === 0) return `${path} (${field}) has no operator; use at least one of ${listed(OPERATORS)}.`;
  for (const [operator, values] of operators) {
    if (values.length === 0) return `${path}.${operator} must contain at least one value.`;
    for (const [k, value] of values.entries()) {
      if (value.length < 1 || value.length > MAX_OPERATOR_VALUE_LENGTH) {
        return `${path}.${operator}[${k}] must be 1 to ${MAX_OPERATOR_VALUE_LENGTH} characters long; it is ${value.length}.`;
      }
    }
  }
  const notEquals = operators.find(([operator]) => operator !== 'Equals');
  if (EQUALS_ONLY_FIELDS.includes(field) && notEquals !== undefined) {
    return `${path} (${field}) accepts only the Equals operator, not ${notEquals[0]}.`;
  }
  const equals = selector.Equals ?? [];
  if (field === 'readOnly') {
    const bad = equals.find((value) => value !== 'true' && value !== 'false');
    if (bad !== undefined) return `${path} (readOnly) values must be "true" or "false", not "${bad}".`;
  }
  if (field === 'eventCategory') {
    const bad = equals.find((value) => !SELECTABLE_EVENT_CATEGORIES.includes(value));
    if (bad !== undefined) return `${path} (eventCategory) value "${bad}" is not supported; use ${listed(SELECTABLE_EVENT_CATEGORIES)}.`;
  }
  if (field === 'resources.type' && equals.length !== 1) {
    return `${path} (resources.type) takes exactly one value; got ${equals.length}.`;
  }
  return undefined;
}

function copyAdvanced(selector: AdvancedEventSelector): AdvancedEventSelector {
  return {
    ...(selector.Name != null ? { Name: selector.Name } : {}),
    FieldSelectors: selector.FieldSelectors.map((fieldSelector) => {
      const copy: AdvancedFieldSelector = { Field: fieldSelector.Field };
      for (const [operator, values] of operatorsOf(fieldSelector)) copy[operator] = [...values];
      return copy;
    }),
  };
}
