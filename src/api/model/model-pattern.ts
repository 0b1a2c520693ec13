/**
 * The service models' `pattern` constraints are Java regular expressions that must match the
 * whole value. The ones CloudTrail uses translate directly: `(?s)` becomes the `s` flag, and
 * the `u` flag makes surrogate-pair ranges mean code points as they do in Java. Code
 * generation (scripts/gen-model.ts) compiles every pattern of a model with this function and
 * fails on one JavaScript cannot compile, so no constraint is ever silently left unenforced.
 */
export function compileModelPattern(pattern: string): RegExp {
  let source = pattern;
  let flags = 'u';
  if (source.startsWith('(?s)')) {
    source = source.slice(4);
    flags += 's';
  }
  const problems: string[] = [];
  // Without `u` for the few patterns whose escapes only non-unicode mode accepts.
  for (const candidate of [flags, flags.replace('u', '')]) {
    try {
      return new RegExp(`^(?:${source})$`, candidate);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  throw new Error(`model pattern ${JSON.stringify(pattern)} cannot be compiled: ${problems.join('; ')}`);
}
