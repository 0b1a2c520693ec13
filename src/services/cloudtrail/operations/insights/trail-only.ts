/**
 * Insight selectors name a trail. CloudTrail also puts them on Lake event data stores
 * (EventDataStore, InsightsDestination); OpenTrail has no event data stores, so those members
 * are refused, and TrailName is required.
 */
import { clientError } from '../../../../api/errors.js';

export function trailNameOf(input: { TrailName?: string; EventDataStore?: string; InsightsDestination?: string }): string {
  const lake = input.EventDataStore !== undefined || input.InsightsDestination !== undefined;
  if (input.TrailName !== undefined && lake) {
    throw clientError('InvalidParameterCombinationException', 'TrailName cannot be combined with EventDataStore or InsightsDestination.');
  }
  if (lake) {
    throw clientError('UnsupportedOperationException', 'Event data stores are not supported by OpenTrail; name a trail with TrailName.');
  }
  if (input.TrailName === undefined) throw clientError('InvalidParameterException', 'TrailName is required.');
  return input.TrailName;
}
