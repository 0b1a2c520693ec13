/**
 * PutInsightSelectors: replaces a trail's insight selectors (an empty list turns Insights off),
 * in the trail's home region, once the trail's event selectors log what the insights need
 * (core/insights/validate-insight-selectors.ts).
 */
import { clientError } from '../../../../api/errors.js';
import { validateInsightSelectors } from '../../../../core/insights/validate-insight-selectors.js';
import { DEFAULT_SELECTORS } from '../../../../core/selectors/index.js';
import type { OperationSpec } from '../operation-spec.js';
import { findTrail, trailNotFoundError, trailResource } from '../trails/find-trail.js';
import { trailNameOf } from './trail-only.js';

export const putInsightSelectors: OperationSpec<'PutInsightSelectors'> = {
  authorizationResource: (input, context) => trailResource(input.TrailName, context),
  async handle(input, context) {
    const name = trailNameOf(input);
    const trail = await findTrail(name, context, { forChange: true });
    const result = validateInsightSelectors(input.InsightSelectors, trail.selectors ?? DEFAULT_SELECTORS);
    if (!result.ok) throw clientError(result.code, result.message);
    context.stage({ kind: 'setTrailInsightSelectors', trailArn: trail.trailArn, insightSelectors: result.selectors }, { missing: trailNotFoundError(name, context) });
    return { TrailARN: trail.trailArn, InsightSelectors: result.selectors };
  },
};
