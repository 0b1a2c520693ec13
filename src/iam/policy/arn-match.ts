/**
 * ArnLike / ArnEquals matching as IAM does it: the pattern and the ARN are each cut into their
 * six colon-separated parts (arn, partition, service, region, account, resource; the resource
 * keeps any further colons), and the parts are matched one by one with wildcards, case-sensitively.
 * So a `*` in the region part cannot swallow the account, and a value that is not an ARN
 * matches nothing.
 */
import { matchGlobPattern } from './glob.js';
import type { GlobPattern } from './glob.js';

const COLON = 0x3a;
const PARTS = 6;

/** Whether `arn` matches `pattern`, a compiled pattern whose `:` separate the parts. */
export function arnMatches(pattern: GlobPattern, arn: string): boolean {
  const patternParts = splitPattern(pattern);
  const arnParts = splitArn(arn);
  if (patternParts === undefined || arnParts === undefined) return false;
  return patternParts.every((part, index) => matchGlobPattern(part, arnParts[index] ?? ''));
}

/** Whether `text` has the six parts of an ARN, for checking policy values at parse time. */
export function looksLikeArn(text: string): boolean {
  return text.split(':').length >= PARTS;
}

function splitPattern(pattern: GlobPattern): GlobPattern[] | undefined {
  const parts: number[][] = [[]];
  for (const token of pattern) {
    if (token === COLON && parts.length < PARTS) parts.push([]);
    else parts[parts.length - 1]?.push(token);
  }
  return parts.length === PARTS ? parts : undefined;
}

function splitArn(arn: string): string[] | undefined {
  const pieces = arn.split(':');
  if (pieces.length < PARTS) return undefined;
  return [...pieces.slice(0, PARTS - 1), pieces.slice(PARTS - 1).join(':')];
}
