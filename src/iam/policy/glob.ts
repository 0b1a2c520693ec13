/**
 * The wildcard matching IAM uses in Action and Resource elements: `*` matches any run of
 * characters (including none, and including `:` and `/`), `?` matches exactly one character,
 * everything else matches itself. There is no escape syntax in the text: a literal `*` or `?` is
 * written with the policy variables `${*}` and `${?}`, which policy-variables.ts turns into the
 * literal code points of a {@link GlobPattern}.
 *
 * Written as an iterative matcher rather than by translating the pattern into a RegExp: user
 * patterns such as `a*a*a*a*b` make backtracking regex engines take exponential time, while this
 * matcher is O(pattern × value) in the worst case and linear in the common case.
 */

/** In a {@link GlobPattern}: any run of characters. Negative, so no code point can equal it. */
export const GLOB_ANY_RUN = -1;
/** In a {@link GlobPattern}: exactly one character. */
export const GLOB_ANY_ONE = -2;

/**
 * A compiled pattern: code points that match themselves, and the two wildcard tokens. Keeping
 * wildcards out of the code-point range is what lets a pattern hold a literal `*` (from `${*}` or
 * from a substituted variable) next to a wildcard one.
 */
export type GlobPattern = readonly number[];

/** Options for {@link globMatch}. */
export interface GlobOptions {
  /**
   * Compare ASCII letters without regard to case (IAM action names). Only A-Z/a-z are folded:
   * Unicode case mapping can change a string's length, which would make `?` ambiguous, and
   * action names are ASCII anyway.
   */
  caseInsensitive?: boolean;
}

/**
 * Whether `value` matches the IAM wildcard `pattern` as a whole. `*` and `?` are wildcards only in
 * the pattern; in the value they are ordinary characters. `?` stands for one Unicode code point.
 */
export function globMatch(pattern: string, value: string, options: GlobOptions = {}): boolean {
  return matchGlobPattern(compileGlob(pattern, options), value, options);
}

/** `text` as a pattern in which `*` and `?` are wildcards. */
export function compileGlob(text: string, options: GlobOptions = {}): number[] {
  return codePoints(text, options.caseInsensitive === true).map((c) =>
    c === 0x2a ? GLOB_ANY_RUN : c === 0x3f ? GLOB_ANY_ONE : c,
  );
}

/** `text` as a pattern that matches exactly itself: its `*` and `?` are plain characters. */
export function literalGlob(text: string, options: GlobOptions = {}): number[] {
  return codePoints(text, options.caseInsensitive === true);
}

/**
 * Whether `value` matches a compiled pattern as a whole. Pass the options the pattern was
 * compiled with, so that the value is folded the same way.
 */
export function matchGlobPattern(p: GlobPattern, value: string, options: GlobOptions = {}): boolean {
  const v = codePoints(value, options.caseInsensitive === true);
  let pi = 0;
  let vi = 0;
  // Where the most recent `*` was seen in the pattern, and how much of the value it has eaten so
  // far. Only the most recent star needs to be revisited: any match an earlier star could make by
  // eating more is also reachable by the later star eating more (the classic greedy argument),
  // which is what keeps this from backtracking exponentially.
  let starPi = -1;
  let starVi = 0;

  while (vi < v.length) {
    const pc = p[pi];
    if (pc === GLOB_ANY_RUN) {
      starPi = pi;
      starVi = vi;
      pi += 1;
    } else if (pc !== undefined && (pc === GLOB_ANY_ONE || pc === v[vi])) {
      pi += 1;
      vi += 1;
    } else if (starPi !== -1) {
      // Mismatch: let the last star swallow one more character and retry from just after it.
      starVi += 1;
      vi = starVi;
      pi = starPi + 1;
    } else {
      return false;
    }
  }
  // The value is used up; only trailing stars may remain in the pattern.
  while (p[pi] === GLOB_ANY_RUN) pi += 1;
  return pi === p.length;
}

function codePoints(text: string, foldAsciiCase: boolean): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    out.push(foldAsciiCase && c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  }
  return out;
}
