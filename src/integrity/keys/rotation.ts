/**
 * Key rotation and key selection, as pure functions over validity windows (epoch ms, both ends
 * included).
 *
 * - The key to sign with at a time is the newest key valid then (latest validFrom), so signing
 *   moves to the next key as soon as its window opens, while the previous key stays valid (and
 *   listed) through the overlap.
 * - ListPublicKeys lists every key whose window touches the requested range; listing one key too
 *   many costs nothing, missing one fails validation.
 * - Rotation keeps two things true: a key is valid now, and the key that lasts longest now
 *   already has a successor whose window opens `overlapMs` before it closes. Successors are
 *   created as soon as their predecessor is current, so a verifier sees the next key weeks early.
 */

export interface KeyWindow {
  validFromMs: number;
  validToMs: number;
}

export interface RotationPolicy {
  /** Length of every key's window. */
  lifetimeMs: number;
  /** How long consecutive windows overlap; 0 ≤ overlap < lifetime. */
  overlapMs: number;
}

const DAY_MS = 86_400_000;

/** AWS's published sample keys: 30-day windows, a new key about every 20 days. */
export const DEFAULT_ROTATION_POLICY: RotationPolicy = { lifetimeMs: 30 * DAY_MS, overlapMs: 10 * DAY_MS };

function validAt(key: KeyWindow, atMs: number): boolean {
  return key.validFromMs <= atMs && atMs <= key.validToMs;
}

/**
 * The windows to create (none when the keys are in order), oldest first. A new current key
 * opens at `nowMs` truncated to the second; a successor opens `overlapMs` before its predecessor
 * closes (or now, if that moment has passed).
 */
export function rotationPlan(existing: readonly KeyWindow[], nowMs: number, policy: RotationPolicy): KeyWindow[] {
  const { lifetimeMs, overlapMs } = policy;
  if (!Number.isFinite(nowMs)) throw new RangeError(`nowMs is not a time: ${nowMs}`);
  if (!(Number.isFinite(lifetimeMs) && Number.isFinite(overlapMs) && overlapMs >= 0 && overlapMs < lifetimeMs)) {
    throw new RangeError(`rotation policy needs 0 <= overlapMs < lifetimeMs: ${overlapMs}, ${lifetimeMs}`);
  }
  const nowSecond = Math.floor(nowMs / 1000) * 1000;
  const all: KeyWindow[] = [...existing];
  const planned: KeyWindow[] = [];
  const add = (validFromMs: number): KeyWindow => {
    const window = { validFromMs, validToMs: validFromMs + lifetimeMs };
    all.push(window);
    planned.push(window);
    return window;
  };

  let current = longestValidAt(all, nowMs) ?? add(nowSecond);
  for (;;) {
    const handover = current.validToMs - overlapMs;
    const successor = all.some((k) => k.validToMs > current.validToMs && k.validFromMs <= handover);
    if (successor) return planned;
    const next = add(Math.max(handover, nowSecond));
    // A successor that opens now is itself the current key and needs a successor of its own.
    if (next.validFromMs > nowMs) return planned;
    current = next;
  }
}

function longestValidAt<K extends KeyWindow>(keys: readonly K[], atMs: number): K | undefined {
  let best: K | undefined;
  for (const key of keys) {
    if (validAt(key, atMs) && (best === undefined || key.validToMs > best.validToMs)) best = key;
  }
  return best;
}

/** Newest first: later validFrom, then later validTo, then fingerprint (any stable order). */
function newestFirst<K extends KeyWindow & { fingerprint: string }>(a: K, b: K): number {
  return (
    b.validFromMs - a.validFromMs ||
    b.validToMs - a.validToMs ||
    (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)
  );
}

/** The key to sign with at `atMs`: the newest one valid then. */
export function currentKey<K extends KeyWindow & { fingerprint: string }>(keys: readonly K[], atMs: number): K | undefined {
  return keys.filter((k) => validAt(k, atMs)).sort(newestFirst)[0];
}

/**
 * True when ListPublicKeys must answer InvalidTimeRangeException: the range, with a missing end
 * taken as now, starts after it ends.
 */
export function isInvalidKeyRange(startMs: number | undefined, endMs: number | undefined, nowMs: number): boolean {
  return (startMs ?? nowMs) > (endMs ?? nowMs);
}

/**
 * ListPublicKeys (the CloudTrail API Reference, ListPublicKeys): every key whose window overlaps `[start, end]`, touching ends
 * included, newest first. No range at all → the current key. A missing start or end is now; an
 * end in the future is fine (validate-logs always asks up to its end + 2 h). Throws RangeError
 * for a range that starts after it ends (check `isInvalidKeyRange` first).
 */
export function keysForRange<K extends KeyWindow & { fingerprint: string }>(
  keys: readonly K[],
  startMs: number | undefined,
  endMs: number | undefined,
  nowMs: number,
): K[] {
  if (startMs === undefined && endMs === undefined) {
    const current = currentKey(keys, nowMs);
    return current === undefined ? [] : [current];
  }
  if (isInvalidKeyRange(startMs, endMs, nowMs)) throw new RangeError('the key range starts after it ends');
  const start = startMs ?? nowMs;
  const end = endMs ?? nowMs;
  return keys.filter((k) => k.validFromMs <= end && k.validToMs >= start).sort(newestFirst);
}
