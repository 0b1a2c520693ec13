/**
 * Whether a statement's Condition holds, for evaluate and evaluateTrust. Conditions are compiled
 * once per block and cached (blocks of parsed and managed policies are long-lived objects that
 * nothing mutates once parsed).
 *
 * Parsing refuses any block that does not compile, so only a hand-built document can reach
 * evaluation with one. Such a block is not ignored: it fails closed, keeping an Allow from
 * applying and letting a Deny apply, because guessing could grant what its author meant to refuse.
 */
import { conditionHolds } from './condition-evaluate.js';
import { compileCondition } from './condition-parse.js';
import type { CompiledCondition } from './condition-parse.js';
import type { ConditionBlock, RequestContext } from './types.js';

type Compiled = CompiledCondition | 'invalid';

/** Per block, one compiled form with policy variables active and one without. */
const cache = new WeakMap<ConditionBlock, { active?: Compiled; inactive?: Compiled }>();

export function statementConditionHolds(
  condition: ConditionBlock | undefined,
  effect: 'Allow' | 'Deny',
  context: RequestContext | undefined,
  variablesActive: boolean,
): boolean {
  if (condition === undefined) return true;
  const compiled = compiledOf(condition, variablesActive);
  if (compiled === 'invalid') return effect === 'Deny';
  return conditionHolds(compiled, context);
}

function compiledOf(condition: ConditionBlock, variablesActive: boolean): Compiled {
  let entry = cache.get(condition);
  if (entry === undefined) {
    entry = {};
    cache.set(condition, entry);
  }
  const slot = variablesActive ? 'active' : 'inactive';
  let compiled = entry[slot];
  if (compiled === undefined) {
    try {
      compiled = compileCondition(condition, variablesActive);
    } catch {
      compiled = 'invalid';
    }
    entry[slot] = compiled;
  }
  return compiled;
}
