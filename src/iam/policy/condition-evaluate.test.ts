import { describe, expect, it } from 'vitest';
import { conditionHolds } from './condition-evaluate.js';
import { parseCondition } from './condition-parse.js';
import type { RequestContext } from './types.js';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0); // 2024-05-01T12:00:00Z
const EPOCH = NOW / 1000;

const ctx: RequestContext = {
  currentTimeMs: NOW,
  sourceIp: '203.0.113.7',
  mfaPresent: true,
  mfaAgeSeconds: 120,
  principalArn: 'arn:aws:iam::123456789012:user/team/alice',
  principalAccount: '123456789012',
  principalType: 'User',
  userId: 'AIDAEXAMPLEALICE',
  userName: 'alice',
  requestedRegion: 'eu-west-1',
  secureTransport: true,
  externalId: 'ext-42',
  roleSessionName: 'deploy',
};
/** A request with only the clock: every other key is absent (long-term keys: no MFA key at all). */
const bare: RequestContext = { currentTimeMs: NOW };
const v6: RequestContext = { ...ctx, sourceIp: '2001:db8:0:1::5' };
const mapped: RequestContext = { ...ctx, sourceIp: '::ffff:10.1.2.3' };

function holds(block: unknown, context: RequestContext | undefined, variablesActive = true): boolean {
  return conditionHolds(parseCondition(block, variablesActive).compiled, context);
}

type Case = [name: string, block: Record<string, unknown>, context: RequestContext | undefined, expected: boolean];

const stringCases: Case[] = [
  ['StringEquals matches', { StringEquals: { 'aws:username': 'alice' } }, ctx, true],
  ['StringEquals is case-sensitive', { StringEquals: { 'aws:username': 'Alice' } }, ctx, false],
  ['StringEquals: any of the values (OR)', { StringEquals: { 'aws:username': ['bob', 'alice'] } }, ctx, true],
  ['StringEquals: key names are case-insensitive', { StringEquals: { 'AWS:UserName': 'alice' } }, ctx, true],
  ['StringEquals on an absent key', { StringEquals: { 'aws:username': 'alice' } }, bare, false],
  ['StringNotEquals with a value that matches', { StringNotEquals: { 'aws:username': ['bob', 'alice'] } }, ctx, false],
  ['StringNotEquals with no value matching (NOR)', { StringNotEquals: { 'aws:username': ['bob', 'carol'] } }, ctx, true],
  ['StringNotEquals on an absent key holds', { StringNotEquals: { 'aws:username': 'bob' } }, bare, true],
  ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, ctx, true],
  ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, ctx, false],
  ['StringLike with *', { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/*' } }, ctx, true],
  ['StringLike with ?', { StringLike: { 'aws:username': 'al?ce' } }, ctx, true],
  ['StringLike without wildcard is whole-string', { StringLike: { 'aws:username': 'ali' } }, ctx, false],
  ['StringNotLike', { StringNotLike: { 'aws:RequestedRegion': 'us-*' } }, ctx, true],
  ['StringNotLike with a match', { StringNotLike: { 'aws:RequestedRegion': 'eu-*' } }, ctx, false],
  ['numbers and booleans compare as their text', { StringEquals: { 'aws:PrincipalAccount': 123456789012, 'aws:SecureTransport': true } }, ctx, true],
  ['aws:CurrentTime as text', { StringLike: { 'aws:CurrentTime': '2024-05-01T12:*Z' } }, ctx, true],
  ['aws:EpochTime as text', { StringEquals: { 'aws:EpochTime': String(EPOCH) } }, ctx, true],
  ['aws:PrincipalType', { StringEquals: { 'aws:PrincipalType': 'User' } }, ctx, true],
  ['aws:userid', { StringEquals: { 'aws:userid': 'AIDAEXAMPLEALICE' } }, ctx, true],
  ['sts:ExternalId', { StringEquals: { 'sts:ExternalId': 'ext-42' } }, ctx, true],
  ['sts:RoleSessionName', { StringLike: { 'sts:RoleSessionName': 'dep*' } }, ctx, true],
];

const arnCases: Case[] = [
  ['ArnLike per segment', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/team/*' } }, ctx, true],
  ['ArnLike: a * does not cross a colon', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:b' } }, { ...ctx, principalArn: 'arn:aws:iam::123456789012:user/a:b' }, false],
  ['StringLike: a * crosses colons', { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:b' } }, { ...ctx, principalArn: 'arn:aws:iam::123456789012:user/a:b' }, true],
  ['ArnLike: the resource part may hold colons', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:*' } }, ctx, true],
  ['ArnLike is case-sensitive', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/team/Alice' } }, ctx, false],
  ['ArnEquals takes wildcards too, as in IAM', { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/team/al?ce' } }, ctx, true],
  ['ArnNotLike', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::999999999999:*' } }, ctx, true],
  ['ArnNotEquals with a match', { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/team/alice' } }, ctx, false],
  ['ArnLike on a value that is not an ARN', { ArnLike: { 'aws:PrincipalArn': 'arn:*:*:*:*:*' } }, { ...ctx, principalArn: 'alice' }, false],
  ['ArnLike on an absent key', { ArnLike: { 'aws:PrincipalArn': 'arn:*:*:*:*:*' } }, bare, false],
  ['ArnNotLike on an absent key holds', { ArnNotLike: { 'aws:PrincipalArn': 'arn:*:*:*:*:*' } }, bare, true],
];

const boolCases: Case[] = [
  ['Bool true', { Bool: { 'aws:SecureTransport': 'true' } }, ctx, true],
  ['Bool as a JSON boolean', { Bool: { 'aws:SecureTransport': true } }, ctx, true],
  ['Bool false against true', { Bool: { 'aws:SecureTransport': 'false' } }, ctx, false],
  ['Bool false against false', { Bool: { 'aws:MultiFactorAuthPresent': false } }, { ...ctx, mfaPresent: false }, true],
  ['Bool on an absent key is false, even for "false"', { Bool: { 'aws:MultiFactorAuthPresent': 'false' } }, bare, false],
  ['BoolIfExists on an absent key holds', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, bare, true],
  ['BoolIfExists on a present key compares', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, ctx, false],
];

const ipCases: Case[] = [
  ['IpAddress in an IPv4 CIDR', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ctx, true],
  ['IpAddress outside an IPv4 CIDR', { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }, ctx, false],
  ['IpAddress: one address', { IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, ctx, true],
  ['IpAddress: host bits in the CIDR are ignored', { IpAddress: { 'aws:SourceIp': '203.0.113.99/24' } }, ctx, true],
  ['IpAddress: any of several ranges', { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '203.0.113.0/28'] } }, ctx, true],
  ['IpAddress: /0', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, ctx, true],
  ['IpAddress in an IPv6 CIDR', { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, v6, true],
  ['IpAddress outside an IPv6 CIDR', { IpAddress: { 'aws:SourceIp': '2001:db9::/32' } }, v6, false],
  ['IpAddress: an IPv6 source is not in IPv4 ranges', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, v6, false],
  ['IpAddress: ::/0 does not cover IPv4 sources', { IpAddress: { 'aws:SourceIp': '::/0' } }, ctx, false],
  ['IpAddress: an IPv4-mapped source is IPv4', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, mapped, true],
  ['NotIpAddress: an IPv4-mapped source outside', { NotIpAddress: { 'aws:SourceIp': '192.168.0.0/16' } }, mapped, true],
  ['NotIpAddress inside', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ctx, false],
  ['IpAddress on an absent key', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, bare, false],
  ['NotIpAddress on an absent key holds', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, bare, true],
  ['IpAddressIfExists on an absent key holds', { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, bare, true],
];

const dateCases: Case[] = [
  ['DateLessThan, ISO', { DateLessThan: { 'aws:CurrentTime': '2024-05-01T12:00:01Z' } }, ctx, true],
  ['DateLessThan at the same instant', { DateLessThan: { 'aws:CurrentTime': '2024-05-01T12:00:00Z' } }, ctx, false],
  ['DateLessThanEquals at the same instant', { DateLessThanEquals: { 'aws:CurrentTime': '2024-05-01T12:00:00Z' } }, ctx, true],
  ['DateGreaterThan, a date only', { DateGreaterThan: { 'aws:CurrentTime': '2024-05-01' } }, ctx, true],
  ['DateGreaterThanEquals, with an offset', { DateGreaterThanEquals: { 'aws:CurrentTime': '2024-05-01T14:00:00+02:00' } }, ctx, true],
  ['DateGreaterThan, with an offset', { DateGreaterThan: { 'aws:CurrentTime': '2024-05-01T14:00:00+02:00' } }, ctx, false],
  ['DateEquals, epoch seconds as a string', { DateEquals: { 'aws:CurrentTime': String(EPOCH) } }, ctx, true],
  ['DateEquals, epoch seconds as a number', { DateEquals: { 'aws:CurrentTime': EPOCH } }, ctx, true],
  ['DateNotEquals', { DateNotEquals: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, ctx, true],
  ['a time without offset is UTC', { DateEquals: { 'aws:CurrentTime': '2024-05-01T12:00:00' } }, ctx, true],
  ['fractional seconds', { DateLessThan: { 'aws:CurrentTime': '2024-05-01T12:00:00.001Z' } }, ctx, true],
  ['aws:EpochTime with a Date operator', { DateGreaterThan: { 'aws:EpochTime': '2024-01-01T00:00:00Z' } }, ctx, true],
  ['a date range (AND of two operators)', { DateGreaterThan: { 'aws:CurrentTime': '2024-01-01' }, DateLessThan: { 'aws:CurrentTime': '2024-06-01' } }, ctx, true],
  ['a date range the request is after', { DateGreaterThan: { 'aws:CurrentTime': '2024-01-01' }, DateLessThan: { 'aws:CurrentTime': '2024-03-01' } }, ctx, false],
  ['Date* without a context: the time is absent', { DateLessThan: { 'aws:CurrentTime': '2999-01-01' } }, undefined, false],
];

const numericCases: Case[] = [
  ['NumericLessThan', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, ctx, true],
  ['NumericLessThan as a JSON number', { NumericLessThan: { 'aws:MultiFactorAuthAge': 100 } }, ctx, false],
  ['NumericLessThanEquals at the bound', { NumericLessThanEquals: { 'aws:MultiFactorAuthAge': 120 } }, ctx, true],
  ['NumericGreaterThan', { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '119.5' } }, ctx, true],
  ['NumericGreaterThanEquals', { NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': '121' } }, ctx, false],
  ['NumericEquals', { NumericEquals: { 'aws:MultiFactorAuthAge': ['1', '120'] } }, ctx, true],
  ['NumericNotEquals', { NumericNotEquals: { 'aws:MultiFactorAuthAge': '120' } }, ctx, false],
  ['NumericLessThan on an absent key', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, bare, false],
  ['NumericLessThanIfExists on an absent key holds', { NumericLessThanIfExists: { 'aws:MultiFactorAuthAge': '3600' } }, bare, true],
  ['aws:EpochTime with a Numeric operator', { NumericGreaterThan: { 'aws:EpochTime': EPOCH - 1 } }, ctx, true],
];

const nullCases: Case[] = [
  ['Null true on an absent key', { Null: { 'aws:MultiFactorAuthAge': 'true' } }, bare, true],
  ['Null true on a present key', { Null: { 'aws:MultiFactorAuthAge': 'true' } }, ctx, false],
  ['Null false on a present key', { Null: { 'aws:MultiFactorAuthAge': false } }, ctx, true],
  ['Null false on an absent key', { Null: { 'aws:MultiFactorAuthAge': 'false' } }, bare, false],
  ['Null true without a context', { Null: { 'aws:SourceIp': 'true' } }, undefined, true],
];

const setCases: Case[] = [
  ['ForAnyValue on a present key', { 'ForAnyValue:StringEquals': { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } }, ctx, true],
  ['ForAnyValue on an absent key is false', { 'ForAnyValue:StringEquals': { 'aws:RequestedRegion': 'eu-west-1' } }, bare, false],
  ['ForAnyValue IfExists on an absent key holds', { 'ForAnyValue:StringEqualsIfExists': { 'aws:RequestedRegion': 'x' } }, bare, true],
  ['ForAllValues on a present key', { 'ForAllValues:StringLike': { 'aws:RequestedRegion': 'eu-*' } }, ctx, true],
  ['ForAllValues with a value outside', { 'ForAllValues:StringLike': { 'aws:RequestedRegion': 'us-*' } }, ctx, false],
  ['ForAllValues on an absent key is true', { 'ForAllValues:StringEquals': { 'aws:RequestedRegion': 'us-east-1' } }, bare, true],
  ['ForAnyValue:StringNotEquals with the value listed', { 'ForAnyValue:StringNotEquals': { 'aws:RequestedRegion': 'eu-west-1' } }, ctx, false],
  ['ForAllValues:StringNotEquals with the value not listed', { 'ForAllValues:StringNotEquals': { 'aws:RequestedRegion': 'us-east-1' } }, ctx, true],
  ['ForAnyValue:StringNotEquals on an absent key is false', { 'ForAnyValue:StringNotEquals': { 'aws:RequestedRegion': 'x' } }, bare, false],
];

const ifExistsCases: Case[] = [
  ['StringEqualsIfExists on an absent key holds', { StringEqualsIfExists: { 'aws:username': 'bob' } }, bare, true],
  ['StringEqualsIfExists on a present key compares', { StringEqualsIfExists: { 'aws:username': 'bob' } }, ctx, false],
  ['StringNotLikeIfExists on a present key compares', { StringNotLikeIfExists: { 'aws:username': 'a*' } }, ctx, false],
  ['ArnLikeIfExists on an absent key holds', { ArnLikeIfExists: { 'aws:PrincipalArn': 'arn:*:*:*:*:x' } }, bare, true],
  ['DateLessThanIfExists without a context holds', { DateLessThanIfExists: { 'aws:CurrentTime': '2000-01-01' } }, undefined, true],
];

const logicCases: Case[] = [
  ['an empty block holds', {}, ctx, true],
  ['every key of an operator must hold (AND)', { StringEquals: { 'aws:username': 'alice', 'aws:RequestedRegion': 'us-east-1' } }, ctx, false],
  ['every operator must hold (AND)', { StringEquals: { 'aws:username': 'alice' }, Bool: { 'aws:SecureTransport': 'false' } }, ctx, false],
  ['all of several operators holding', { StringEquals: { 'aws:username': 'alice' }, Bool: { 'aws:SecureTransport': 'true' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, ctx, true],
  ['the same key in two letter cases is ANDed', { StringEquals: { 'aws:username': 'alice', 'AWS:USERNAME': 'bob' } }, ctx, false],
];

const variableCases: Case[] = [
  ['${aws:username} in a value', { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*/${aws:username}' } }, ctx, true],
  ['${aws:PrincipalAccount} in an ARN value', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:user/*' } }, ctx, true],
  ['${aws:userid} compared with equality', { StringEquals: { 'aws:userid': '${aws:userid}' } }, ctx, true],
  ['a variable whose key is absent matches nothing', { StringEquals: { 'sts:ExternalId': '${aws:username}' } }, { ...ctx, userName: undefined }, false],
  ['... and so a negated operator holds', { StringNotEquals: { 'sts:ExternalId': '${aws:username}' } }, { ...ctx, userName: undefined }, true],
  ['a substituted value is literal, not a pattern', { StringLike: { 'aws:username': '${sts:ExternalId}' } }, { ...ctx, externalId: 'a*' }, false],
  ['${*} is a literal star', { StringLike: { 'sts:ExternalId': 'a${*}' } }, { ...ctx, externalId: 'a*' }, true],
  ['${*} does not match other text', { StringLike: { 'sts:ExternalId': 'a${*}' } }, { ...ctx, externalId: 'ab' }, false],
  ['${?} and ${$}', { StringEquals: { 'sts:ExternalId': '${?}${$}' } }, { ...ctx, externalId: '?$' }, true],
  ['variable names are case-insensitive', { StringEquals: { 'aws:username': '${AWS:UserName}' } }, ctx, true],
];

describe('condition evaluation', () => {
  describe.each([
    ['String', stringCases],
    ['Arn', arnCases],
    ['Bool', boolCases],
    ['IpAddress', ipCases],
    ['Date', dateCases],
    ['Numeric', numericCases],
    ['Null', nullCases],
    ['ForAnyValue / ForAllValues', setCases],
    ['IfExists', ifExistsCases],
    ['AND / OR', logicCases],
    ['policy variables', variableCases],
  ])('%s', (_family, cases) => {
    it.each(cases)('%s', (_name, block, context, expected) => {
      expect(holds(block, context)).toBe(expected);
    });
  });

  it('counts the time keys as absent for a clock that is not a usable time, instead of throwing', () => {
    for (const currentTimeMs of [Number.NaN, Number.POSITIVE_INFINITY, 1e20]) {
      expect(holds({ DateLessThan: { 'aws:CurrentTime': '2999-01-01' } }, { currentTimeMs })).toBe(false);
      expect(holds({ StringLike: { 'aws:CurrentTime': '*' } }, { currentTimeMs })).toBe(false);
      expect(holds({ Null: { 'aws:EpochTime': 'true' } }, { currentTimeMs })).toBe(true);
    }
  });

  it('treats "${" as text in documents without policy variables', () => {
    expect(holds({ StringEquals: { 'sts:ExternalId': '${aws:username}' } }, { ...ctx, externalId: '${aws:username}' }, false)).toBe(true);
    expect(holds({ StringEquals: { 'sts:ExternalId': '${aws:username}' } }, { ...ctx, externalId: '${aws:username}' }, true)).toBe(false);
  });
});
