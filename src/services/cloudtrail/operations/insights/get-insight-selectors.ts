/** GetInsightSelectors: a trail's insight selectors; InsightNotEnabledException when it has none. */
import { clientError } from '../../../../api/errors.js';
import type { OperationSpec } from '../operation-spec.js';
import { findTrail, trailResource } from '../trails/find-trail.js';
import { trailNameOf } from './trail-only.js';

export const getInsightSelectors: OperationSpec<'GetInsightSelectors'> = {
  authorizationResource: (input, context) => trailResource(input.TrailName, context),
  async handle(input, context) {
    const trail = await findTrail(trailNameOf(input), context);
    const selectors = trail.insightSelectors ?? [];
    if (selectors.length === 0) throw clientError('InsightNotEnabledException', `Trail ${trail.name} does not have Insights enabled.`);
    return { TrailARN: trail.trailArn, InsightSelectors: selectors };
  },
};
