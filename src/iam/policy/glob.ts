/**
 * The wildcard matching IAM uses in Action and Resource elements: `*` matches any run of
 * characters (including none, and including `:` and `/`), `?` matches exactly one character,
 * everything else matches itself. There is no escape syntax: IAM has none outside policy
 * variables, which OpenTrail rejects at parse time.
 *
 * Written as an iterative matcher rather than by translating the pattern into a RegExp: user
 * patterns such as `a*a*a*a*b` make backtracking regex engines take exponential time, while this
 * matcher is O(pattern × value) in the worst case and linear in the common case.
 */

const STAR = 0x2a; // '*'
const QUESTION = 0x3f; // '?'

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
  const fold = options.caseInsensitive === true;
  const p = codePoints(pattern, fold);
  const v = codePoints(value, fold);

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
    // A star must be recognised before literal comparison: the value may itself contain '*'.
    if (pc === STAR) {
      starPi = pi;
      starVi = vi;
      pi += 1;
    } else if (pc !== undefined && (pc === QUESTION || pc === v[vi])) {
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
  while (p[pi] === STAR) pi += 1;
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
