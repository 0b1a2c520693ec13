/**
 * Digests that no longer leave a trace of their key. A chain points backwards only: when a
 * digest is deleted, its successor still names it, but the one before it was named only by the
 * deleted digest. So two consecutive deleted digests show as one missing key (what the stock CLI
 * reports) and a hole in time.
 *
 * The hole is measured exactly: from the end of the older valid digest to the start of the newer
 * one (a digest starts where the previous one ended). How many digests it held is estimated from
 * the chain's period, rounding down against the longest period seen, so that an uneven period
 * (a server down for a while writes one long digest) gives too few rather than invented ones.
 */
import type { VerifiedDigest } from './types.js';

export interface ChainHole {
  /** The valid digest whose previous digest is missing or invalid. */
  newer: VerifiedDigest;
  /** The next older valid digest the walk reached. */
  older: VerifiedDigest;
  /** Digests between them already reported (missing or invalid), by key. */
  reported: number;
}

export interface LostDigest {
  /** Where its end time would fall if the hole's digests were of equal length; epoch ms. */
  estimatedEndMs: number;
  /** The longest period of a valid digest: the basis of the estimate. */
  periodMs: number;
}

/** The longest digest period of a chain (a starting digest counts too), or undefined with too few. */
export function longestPeriod(digests: readonly VerifiedDigest[]): number | undefined {
  const periods = digests.map((d) => d.endMs - d.startMs).filter((ms) => ms > 0);
  // One digest alone says little about a chain's rhythm.
  return periods.length < 2 ? undefined : Math.max(...periods);
}

/** The digests of a hole beyond those already reported, oldest first; [] when none can be told. */
export function lostDigests(hole: ChainHole, periodMs: number | undefined): LostDigest[] {
  if (periodMs === undefined) return [];
  const spanMs = hole.newer.startMs - hole.older.endMs;
  if (spanMs <= 0) return [];
  // At least this many digests covered the span, each at most periodMs long.
  const atLeast = Math.ceil(spanMs / periodMs - 1e-9);
  const lost = atLeast - hole.reported;
  if (lost <= 0) return [];
  // The reported ones are the newest of the hole (reached from `newer`); the lost ones precede them.
  const each = spanMs / atLeast;
  return Array.from({ length: lost }, (_, k) => ({ estimatedEndMs: hole.older.endMs + (k + 1) * each, periodMs }));
}
