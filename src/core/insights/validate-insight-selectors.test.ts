import { describe, expect, it } from 'vitest';
import { DEFAULT_SELECTORS } from '../selectors/index.js';
import type { SelectorConfig } from '../selectors/index.js';
import { validateInsightSelectors } from './validate-insight-selectors.js';

const readOnlyBasic: SelectorConfig = { kind: 'basic', selectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] };
const noManagement: SelectorConfig = { kind: 'basic', selectors: [{ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] };
const advancedReads: SelectorConfig = {
  kind: 'advanced',
  selectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['true'] }] }],
};
const advancedWritesAndData: SelectorConfig = {
  kind: 'advanced',
  selectors: [
    { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] },
    { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] },
  ],
};

function code(given: unknown, selectors: SelectorConfig = DEFAULT_SELECTORS): string | undefined {
  const result = validateInsightSelectors(given, selectors);
  return result.ok ? undefined : result.code;
}

describe('validateInsightSelectors', () => {
  it('normalises: EventCategories default to Management, repeats dropped', () => {
    expect(
      validateInsightSelectors([{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management', 'Management'] }], DEFAULT_SELECTORS),
    ).toEqual({
      ok: true,
      selectors: [
        { InsightType: 'ApiCallRateInsight', EventCategories: ['Management'] },
        { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management'] },
      ],
    });
  });

  it('an empty list is valid (Insights off)', () => {
    expect(validateInsightSelectors([], readOnlyBasic)).toEqual({ ok: true, selectors: [] });
  });

  it.each<[string, unknown]>([
    ['an unknown type', [{ InsightType: 'ApiLatencyInsight' }]],
    ['a missing type', [{ EventCategories: ['Management'] }]],
    ['an unknown category', [{ InsightType: 'ApiCallRateInsight', EventCategories: ['Insight'] }]],
    ['the same type twice', [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiCallRateInsight', EventCategories: ['Management'] }]],
    ['not a list', { InsightType: 'ApiCallRateInsight' }],
    ['a non-object member', ['ApiCallRateInsight']],
  ])('refuses %s', (_what, given) => {
    expect(code(given)).toBe('InvalidInsightSelectorsException');
  });

  it('ApiCallRateInsight needs write management events (basic)', () => {
    const result = validateInsightSelectors([{ InsightType: 'ApiCallRateInsight' }], readOnlyBasic);
    expect(result).toMatchObject({ ok: false, code: 'InvalidInsightSelectorsException' });
    expect(!result.ok && result.message).toContain('write management events');
    expect(code([{ InsightType: 'ApiErrorRateInsight' }], readOnlyBasic)).toBeUndefined();
  });

  it('ApiErrorRateInsight needs some management events', () => {
    const result = validateInsightSelectors([{ InsightType: 'ApiErrorRateInsight' }], noManagement);
    expect(!result.ok && result.message).toContain('read or write management events');
  });

  it('Data insights need data events', () => {
    expect(code([{ InsightType: 'ApiCallRateInsight', EventCategories: ['Data'] }])).toBe('InvalidInsightSelectorsException');
    expect(code([{ InsightType: 'ApiCallRateInsight', EventCategories: ['Data'] }], noManagement)).toBeUndefined();
    expect(code([{ InsightType: 'ApiCallRateInsight', EventCategories: ['Management', 'Data'] }], noManagement)).toBe('InvalidInsightSelectorsException');
  });

  it('reads advanced selectors', () => {
    expect(code([{ InsightType: 'ApiCallRateInsight' }], advancedReads)).toBe('InvalidInsightSelectorsException');
    expect(code([{ InsightType: 'ApiErrorRateInsight' }], advancedReads)).toBeUndefined();
    expect(code([{ InsightType: 'ApiCallRateInsight', EventCategories: ['Management', 'Data'] }], advancedWritesAndData)).toBeUndefined();
    expect(code([{ InsightType: 'ApiErrorRateInsight', EventCategories: ['Data'] }], advancedReads)).toBe('InvalidInsightSelectorsException');
  });
});
