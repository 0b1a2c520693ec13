/**
 * The condition keys OpenTrail knows, and how each reads its value from a RequestContext. Key
 * names compare case-insensitively, as in IAM. A key outside this list is refused at parse time:
 * a condition on a key we never set would be silently false (or, negated, silently true).
 */
import type { RequestContext } from './types.js';

/**
 * The kinds of comparison a key's value supports besides the string comparisons every key has
 * (and Null, which only asks whether it is present).
 */
export type KeyKind = 'Arn' | 'Ip' | 'Date' | 'Numeric' | 'Bool';

export interface ConditionKey {
  /** The name as IAM documents it, used in messages. */
  readonly name: string;
  readonly kinds: readonly KeyKind[];
  /** The value as text, for String* operators and policy variables; undefined when absent. */
  text(context: RequestContext): string | undefined;
  /** For Numeric* operators. */
  number?(context: RequestContext): number | undefined;
  /** For Date* operators, in milliseconds since the epoch. */
  timeMs?(context: RequestContext): number | undefined;
  /** For Bool. */
  bool?(context: RequestContext): boolean | undefined;
}

const textKey = (name: string, read: (context: RequestContext) => string | undefined): ConditionKey => ({
  name,
  kinds: [],
  text: read,
});

const boolKey = (name: string, read: (context: RequestContext) => boolean | undefined): ConditionKey => ({
  name,
  kinds: ['Bool'],
  text: (context) => {
    const value = read(context);
    return value === undefined ? undefined : String(value);
  },
  bool: read,
});

// The largest time a Date can hold; beyond it (or for NaN) the clock is unusable and the time
// keys count as absent, rather than throwing from toISOString in the middle of an evaluation.
const MAX_TIME_MS = 8.64e15;
const validTimeMs = (context: RequestContext): number | undefined =>
  Number.isFinite(context.currentTimeMs) && Math.abs(context.currentTimeMs) <= MAX_TIME_MS ? context.currentTimeMs : undefined;
const epochSeconds = (context: RequestContext): number | undefined => {
  const ms = validTimeMs(context);
  return ms === undefined ? undefined : Math.floor(ms / 1000);
};

const KEYS: readonly ConditionKey[] = [
  { name: 'aws:SourceIp', kinds: ['Ip'], text: (context) => context.sourceIp },
  {
    name: 'aws:CurrentTime',
    kinds: ['Date'],
    // Whole seconds, as AWS writes times ("2024-05-01T12:00:00Z"), so StringLike on it reads naturally.
    text: (context) => {
      const seconds = epochSeconds(context);
      return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    },
    timeMs: validTimeMs,
  },
  {
    name: 'aws:EpochTime',
    kinds: ['Date', 'Numeric'],
    text: (context) => {
      const seconds = epochSeconds(context);
      return seconds === undefined ? undefined : String(seconds);
    },
    number: epochSeconds,
    timeMs: (context) => {
      const seconds = epochSeconds(context);
      return seconds === undefined ? undefined : seconds * 1000;
    },
  },
  boolKey('aws:MultiFactorAuthPresent', (context) => context.mfaPresent),
  {
    name: 'aws:MultiFactorAuthAge',
    kinds: ['Numeric'],
    text: (context) => (context.mfaAgeSeconds === undefined ? undefined : String(context.mfaAgeSeconds)),
    number: (context) => context.mfaAgeSeconds,
  },
  { name: 'aws:PrincipalArn', kinds: ['Arn'], text: (context) => context.principalArn },
  textKey('aws:PrincipalAccount', (context) => context.principalAccount),
  textKey('aws:PrincipalType', (context) => context.principalType),
  textKey('aws:userid', (context) => context.userId),
  textKey('aws:username', (context) => context.userName),
  textKey('aws:RequestedRegion', (context) => context.requestedRegion),
  boolKey('aws:SecureTransport', (context) => context.secureTransport),
  textKey('sts:ExternalId', (context) => context.externalId),
  textKey('sts:RoleSessionName', (context) => context.roleSessionName),
];

const BY_LOWER_NAME: ReadonlyMap<string, ConditionKey> = new Map(KEYS.map((key) => [key.name.toLowerCase(), key]));

/** The key named `name` in any letter case, or undefined for a key OpenTrail does not know. */
export function conditionKeyNamed(name: string): ConditionKey | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

/** Every supported key's name, for documentation and messages. */
export const CONDITION_KEY_NAMES: readonly string[] = KEYS.map((key) => key.name);
