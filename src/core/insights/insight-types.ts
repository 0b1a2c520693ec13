/**
 * The vocabulary of CloudTrail Insights (docs/insights.md): the two insight types, the event
 * categories they watch, a trail's insight selectors, and minutes as the detector counts them.
 */

export type InsightType = 'ApiCallRateInsight' | 'ApiErrorRateInsight';
export const INSIGHT_TYPES: readonly InsightType[] = ['ApiCallRateInsight', 'ApiErrorRateInsight'];

/** What an insight watches: management events (the default) or data events. */
export type InsightCategory = 'Management' | 'Data';
export const INSIGHT_CATEGORIES: readonly InsightCategory[] = ['Management', 'Data'];

/** A trail's insight selector, normalised: EventCategories always present and non-empty. */
export interface InsightSelector {
  InsightType: InsightType;
  EventCategories: InsightCategory[];
}

/** A series the detector judges: one API in one account and region, one insight type. */
export interface SeriesKey {
  accountId: string;
  region: string;
  category: InsightCategory;
  eventSource: string;
  eventName: string;
  insightType: InsightType;
}

export const MINUTE_MS = 60_000;

/** The epoch minute (minutes since 1970) an epoch-ms time falls in. */
export function minuteOf(timeMs: number): number {
  return Math.floor(timeMs / MINUTE_MS);
}

/** Whether the trail's selectors ask for this type of insight on this category. */
export function selectsInsight(selectors: readonly InsightSelector[] | undefined, type: InsightType, category: InsightCategory): boolean {
  return (selectors ?? []).some((s) => s.InsightType === type && s.EventCategories.includes(category));
}
