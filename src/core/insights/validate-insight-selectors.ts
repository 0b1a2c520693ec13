/**
 * PutInsightSelectors' input as a pure function: the list's shape (types, categories, no type
 * twice) and the preconditions a trail's event selectors must meet (§6.3): ApiCallRateInsight
 * on management events needs write management events logged, ApiErrorRateInsight on management
 * events needs read or write management events logged, and either type on data events needs
 * data events logged. Every failure is InvalidInsightSelectorsException.
 *
 * How "logged" is read from event selectors:
 * - basic: management writes when some selector has IncludeManagementEvents true (the default)
 *   and ReadWriteType All (the default) or WriteOnly; management reads or writes when some
 *   selector includes management events at all; data events when some selector has a non-empty
 *   DataResources.
 * - advanced: management writes when some selector has `eventCategory Equals Management` and
 *   does not restrict readOnly to true; management reads or writes when some selector has
 *   `eventCategory Equals Management`; data events when some selector has
 *   `eventCategory Equals Data`.
 */
import type { SelectorConfig } from '../selectors/index.js';
import type { AdvancedEventSelector } from '../../services/cloudtrail/model.gen.js';
import type { InsightCategory, InsightSelector, InsightType } from './insight-types.js';
import { INSIGHT_CATEGORIES, INSIGHT_TYPES } from './insight-types.js';

export type InsightSelectorValidation =
  | { ok: true; selectors: InsightSelector[] }
  | { ok: false; code: 'InvalidInsightSelectorsException'; message: string };

/** What logging an insight needs from the trail's event selectors. */
type Need = 'management writes' | 'management events' | 'data events';

function invalid(message: string): InsightSelectorValidation {
  return { ok: false, code: 'InvalidInsightSelectorsException', message };
}

function isInsightType(value: unknown): value is InsightType {
  return typeof value === 'string' && (INSIGHT_TYPES as readonly string[]).includes(value);
}

function isCategory(value: unknown): value is InsightCategory {
  return typeof value === 'string' && (INSIGHT_CATEGORIES as readonly string[]).includes(value);
}

function equalsValues(selector: AdvancedEventSelector, field: string): string[] {
  return selector.FieldSelectors.filter((f) => f.Field === field).flatMap((f) => f.Equals ?? []);
}

function advancedCategory(selector: AdvancedEventSelector, category: string): boolean {
  return equalsValues(selector, 'eventCategory').includes(category);
}

/** The selector logs only read-only events (`readOnly Equals true`). */
function onlyReads(selector: AdvancedEventSelector): boolean {
  const values = equalsValues(selector, 'readOnly');
  return values.length > 0 && values.every((v) => v === 'true');
}

/** Whether the trail's event selectors log what the insight needs. */
export function logs(config: SelectorConfig, need: Need): boolean {
  if (config.kind === 'basic') {
    return config.selectors.some((s) => {
      if (need === 'data events') return (s.DataResources ?? []).length > 0;
      if (s.IncludeManagementEvents === false) return false;
      return need === 'management events' || (s.ReadWriteType ?? 'All') !== 'ReadOnly';
    });
  }
  return config.selectors.some((s) => {
    if (need === 'data events') return advancedCategory(s, 'Data');
    if (!advancedCategory(s, 'Management')) return false;
    return need === 'management events' || !onlyReads(s);
  });
}

function needOf(type: InsightType, category: InsightCategory): Need {
  if (category === 'Data') return 'data events';
  return type === 'ApiCallRateInsight' ? 'management writes' : 'management events';
}

const NEED_TEXT: Record<Need, string> = {
  'management writes': 'write management events',
  'management events': 'read or write management events',
  'data events': 'data events',
};

/**
 * The normalised list (EventCategories defaulting to [Management], without repeats), or the
 * InvalidInsightSelectorsException the input or the trail's event selectors call for.
 */
export function validateInsightSelectors(given: unknown, eventSelectors: SelectorConfig): InsightSelectorValidation {
  if (!Array.isArray(given)) return invalid('InsightSelectors must be a list.');
  const selectors: InsightSelector[] = [];
  for (const item of given as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return invalid('Each insight selector must be an object.');
    const { InsightType: type, EventCategories: categories } = item as Record<string, unknown>;
    if (!isInsightType(type)) {
      return invalid(`Invalid InsightType: ${String(type)}. Valid types are ${INSIGHT_TYPES.join(', ')}.`);
    }
    if (selectors.some((s) => s.InsightType === type)) return invalid(`InsightType ${type} is given more than once.`);
    let normalised: InsightCategory[] = ['Management'];
    if (categories !== undefined && categories !== null) {
      if (!Array.isArray(categories)) return invalid(`EventCategories of ${type} must be a list.`);
      if (categories.length > 0) {
        normalised = [];
        for (const category of categories as unknown[]) {
          if (!isCategory(category)) {
            return invalid(`Invalid event category for ${type}: ${String(category)}. Valid categories are ${INSIGHT_CATEGORIES.join(', ')}.`);
          }
          if (!normalised.includes(category)) normalised.push(category);
        }
      }
    }
    for (const category of normalised) {
      const need = needOf(type, category);
      if (!logs(eventSelectors, need)) {
        return invalid(`${type} on ${category} events requires the trail to log ${NEED_TEXT[need]}, and its event selectors do not.`);
      }
    }
    selectors.push({ InsightType: type, EventCategories: normalised });
  }
  return { ok: true, selectors };
}
