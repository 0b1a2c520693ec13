/** PutEventSelectors, GetEventSelectors. */
import { DEFAULT_SELECTORS, validateSelectorInput } from '../../../../core/selectors/index.js';
import type { SelectorConfig } from '../../../../core/selectors/index.js';
import { clientError } from '../../../../api/errors.js';
import type { GetEventSelectorsResponse } from '../../model.gen.js';
import type { OperationSpec } from '../operation-spec.js';
import { findTrail, trailNotFoundError, trailResource } from './find-trail.js';

function selectorsResponse(trailArn: string, config: SelectorConfig): GetEventSelectorsResponse {
  return config.kind === 'basic' ? { TrailARN: trailArn, EventSelectors: config.selectors } : { TrailARN: trailArn, AdvancedEventSelectors: config.selectors };
}

export const putEventSelectors: OperationSpec<'PutEventSelectors'> = {
  authorizationResource: (input, context) => trailResource(input.TrailName, context),
  async handle(input, context) {
    const trail = await findTrail(input.TrailName, context, { forChange: true });
    const result = validateSelectorInput(input);
    if (!result.ok) throw clientError(result.code, result.message);
    // Putting one kind replaces the whole configuration, clearing the other kind.
    context.stage({ kind: 'setTrailSelectors', trailArn: trail.trailArn, selectors: result.config }, { missing: trailNotFoundError(input.TrailName, context) });
    return selectorsResponse(trail.trailArn, result.config);
  },
};

export const getEventSelectors: OperationSpec<'GetEventSelectors'> = {
  authorizationResource: (input, context) => trailResource(input.TrailName, context),
  async handle(input, context) {
    const trail = await findTrail(input.TrailName, context);
    return selectorsResponse(trail.trailArn, trail.selectors ?? DEFAULT_SELECTORS);
  },
};
