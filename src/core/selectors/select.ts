/** The one question a trail asks of its selectors. */
import type { CloudTrailRecord } from '../record.js';
import { advancedSelectorMatches } from './advanced.js';
import { basicSelectorMatches } from './basic.js';
import type { SelectorConfig } from './config.js';

/** Does the trail log this record? Yes when any of its selectors does (selectors are ORed). */
export function selects(config: SelectorConfig, record: CloudTrailRecord): boolean {
  if (config.kind === 'basic') return config.selectors.some((selector) => basicSelectorMatches(selector, record));
  return config.selectors.some((selector) => advancedSelectorMatches(selector, record));
}
