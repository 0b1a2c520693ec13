import { describe, expect, it } from 'vitest';
import { parsePolicy } from './parse.js';

const withCondition = (condition: unknown, version = '2012-10-17'): string =>
  JSON.stringify({ Version: version, Statement: { Effect: 'Deny', Action: '*', Resource: '*', Condition: condition } });

function failure(condition: unknown): string {
  const result = parsePolicy(withCondition(condition));
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.policy)}`);
  return result.message;
}

describe('Condition parsing refuses', () => {
  const cases: [string, unknown, string][] = [
    ['a Condition that is not an object', 'aws:SecureTransport', 'Statement[0]: Condition must be an object of operators, e.g. {"Bool": {"aws:SecureTransport": "true"}}'],
    ['a Condition that is an array', [{ Bool: {} }], 'Statement[0]: Condition must be an object of operators, e.g. {"Bool": {"aws:SecureTransport": "true"}}'],
    ['an unknown operator', { StringEqual: { 'aws:username': 'a' } }, 'Statement[0]: unknown Condition operator "StringEqual"'],
    ['a wrongly cased operator, with a hint', { stringEquals: { 'aws:username': 'a' } }, 'Statement[0]: unknown Condition operator "stringEquals" (did you mean "StringEquals"?)'],
    ['an operator OpenTrail does not evaluate', { BinaryEquals: { 'aws:username': 'YQ==' } }, 'Statement[0]: unknown Condition operator "BinaryEquals"'],
    ['an unknown set prefix', { 'ForSomeValues:StringEquals': { 'aws:username': 'a' } }, 'Statement[0]: unknown Condition operator "ForSomeValues:StringEquals"'],
    ['two set prefixes', { 'ForAnyValue:ForAllValues:StringEquals': { 'aws:username': 'a' } }, 'Statement[0]: unknown Condition operator "ForAnyValue:ForAllValues:StringEquals"'],
    ['NullIfExists', { NullIfExists: { 'aws:username': 'true' } }, 'Statement[0]: Condition operator "NullIfExists": Null takes neither IfExists nor ForAnyValue/ForAllValues'],
    ['ForAnyValue:Null', { 'ForAnyValue:Null': { 'aws:username': 'true' } }, 'Statement[0]: Condition operator "ForAnyValue:Null": Null takes neither IfExists nor ForAnyValue/ForAllValues'],
    ['an operator without keys', { StringEquals: {} }, 'Statement[0]: Condition operator "StringEquals" must map one or more condition keys to values'],
    ['an operator mapped to a string', { StringEquals: 'aws:username' }, 'Statement[0]: Condition operator "StringEquals" must map one or more condition keys to values'],
    ['an unknown key', { StringEquals: { 'aws:PrincipalTag/team': 'a' } }, 'Statement[0]: unknown Condition key "aws:PrincipalTag/team"'],
    ['a service key OpenTrail does not set', { StringEquals: { 'cloudtrail:TrailName': 'a' } }, 'Statement[0]: unknown Condition key "cloudtrail:TrailName"'],
    ['IpAddress on a string key', { IpAddress: { 'aws:username': '10.0.0.0/8' } }, 'Statement[0]: Condition operator "IpAddress" cannot test aws:username; it applies to aws:SourceIp'],
    ['Bool on a string key', { Bool: { 'aws:username': 'true' } }, 'Statement[0]: Condition operator "Bool" cannot test aws:username; it applies to aws:MultiFactorAuthPresent, aws:SecureTransport'],
    ['a Date operator on the source address', { DateLessThan: { 'aws:SourceIp': '2024-01-01' } }, 'Statement[0]: Condition operator "DateLessThan" cannot test aws:SourceIp; it applies to aws:CurrentTime, aws:EpochTime'],
    ['an Arn operator on a string key', { ArnLike: { 'aws:username': 'arn:*:*:*:*:*' } }, 'Statement[0]: Condition operator "ArnLike" cannot test aws:username; it applies to aws:PrincipalArn'],
    ['an empty value list', { StringEquals: { 'aws:username': [] } }, 'Statement[0]: Condition StringEquals on aws:username must be a string, number or boolean, or a non-empty array of them'],
    ['a null value', { StringEquals: { 'aws:username': null } }, 'Statement[0]: Condition StringEquals on aws:username must be a string, number or boolean, or a non-empty array of them'],
    ['a nested object value', { StringEquals: { 'aws:username': { a: 1 } } }, 'Statement[0]: Condition StringEquals on aws:username must be a string, number or boolean, or a non-empty array of them'],
    ['a nested array value', { StringEquals: { 'aws:username': [['a']] } }, 'Statement[0]: Condition StringEquals on aws:username must be a string, number or boolean, or a non-empty array of them'],
    ['a bad CIDR prefix', { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } }, 'Statement[0]: Condition IpAddress on aws:SourceIp: "10.0.0.0/33" is not an IP address or CIDR'],
    ['a bad IPv6 prefix', { NotIpAddress: { 'aws:SourceIp': '2001:db8::/129' } }, 'Statement[0]: Condition NotIpAddress on aws:SourceIp: "2001:db8::/129" is not an IP address or CIDR'],
    ['a host name for an address', { IpAddress: { 'aws:SourceIp': 'example.com' } }, 'Statement[0]: Condition IpAddress on aws:SourceIp: "example.com" is not an IP address or CIDR'],
    ['an IPv4 address out of range', { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '10.0.0.256'] } }, 'Statement[0]: Condition IpAddress on aws:SourceIp: "10.0.0.256" is not an IP address or CIDR'],
    ['a number for an address', { IpAddress: { 'aws:SourceIp': 10 } }, 'Statement[0]: Condition IpAddress on aws:SourceIp: 10 is not an IP address or CIDR'],
    ['a date in words', { DateLessThan: { 'aws:CurrentTime': 'May 1 2024' } }, 'Statement[0]: Condition DateLessThan on aws:CurrentTime: "May 1 2024" is not a date (ISO 8601, or epoch seconds)'],
    ['a date that does not exist', { DateGreaterThan: { 'aws:CurrentTime': '2023-02-29T00:00:00Z' } }, 'Statement[0]: Condition DateGreaterThan on aws:CurrentTime: "2023-02-29T00:00:00Z" is not a date (ISO 8601, or epoch seconds)'],
    ['an hour out of range', { DateGreaterThan: { 'aws:CurrentTime': '2024-01-01T25:00:00Z' } }, 'Statement[0]: Condition DateGreaterThan on aws:CurrentTime: "2024-01-01T25:00:00Z" is not a date (ISO 8601, or epoch seconds)'],
    ['a boolean date', { DateEqualsIfExists: { 'aws:CurrentTime': true } }, 'Statement[0]: Condition DateEqualsIfExists on aws:CurrentTime: true is not a date (ISO 8601, or epoch seconds)'],
    ['a negative epoch', { DateLessThan: { 'aws:EpochTime': -5 } }, 'Statement[0]: Condition DateLessThan on aws:EpochTime: -5 is not a date (ISO 8601, or epoch seconds)'],
    ['a Bool that is not a boolean', { Bool: { 'aws:SecureTransport': 'yes' } }, 'Statement[0]: Condition Bool on aws:SecureTransport: "yes" is not "true" or "false"'],
    ['a Bool in capitals', { Bool: { 'aws:SecureTransport': 'TRUE' } }, 'Statement[0]: Condition Bool on aws:SecureTransport: "TRUE" is not "true" or "false"'],
    ['a numeric Bool', { Bool: { 'aws:SecureTransport': 1 } }, 'Statement[0]: Condition Bool on aws:SecureTransport: 1 is not "true" or "false"'],
    ['a Null that is not a boolean', { Null: { 'aws:SourceIp': 'absent' } }, 'Statement[0]: Condition Null on aws:SourceIp: "absent" is not "true" or "false"'],
    ['a non-number', { NumericLessThan: { 'aws:MultiFactorAuthAge': 'an hour' } }, 'Statement[0]: Condition NumericLessThan on aws:MultiFactorAuthAge: "an hour" is not a number'],
    ['a number with a unit', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600s' } }, 'Statement[0]: Condition NumericLessThan on aws:MultiFactorAuthAge: "3600s" is not a number'],
    ['an ARN value that is not an ARN', { ArnLike: { 'aws:PrincipalArn': 'role/admin' } }, 'Statement[0]: Condition ArnLike on aws:PrincipalArn: "role/admin" is not an ARN (arn:partition:service:region:account:resource)'],
    ['an unknown policy variable in a value', { StringEquals: { 'aws:username': '${aws:user}' } }, 'Statement[0]: Condition StringEquals on aws:username: unknown policy variable "${aws:user}"'],
    ['a policy variable with a default', { StringEquals: { 'aws:username': "${aws:username, 'none'}" } }, `Statement[0]: Condition StringEquals on aws:username: policy variable "\${aws:username, 'none'}": default values are not supported`],
    ['an unclosed policy variable', { StringLike: { 'aws:username': 'a${aws:username' } }, 'Statement[0]: Condition StringLike on aws:username: "a${aws:username" opens a policy variable with "${" but never closes it with "}"'],
  ];

  it.each(cases)('%s', (_name, condition, message) => {
    expect(failure(condition)).toBe(message);
  });

  it('names the statement the condition is in', () => {
    const text = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'maybe' } } },
      ],
    });
    expect(parsePolicy(text)).toEqual({ ok: false, message: 'Statement[1]: Condition Bool on aws:SecureTransport: "maybe" is not "true" or "false"' });
  });
});

describe('Condition parsing accepts', () => {
  const accepted: [string, unknown][] = [
    ['every base operator with IfExists and set prefixes', { 'ForAllValues:StringNotLikeIfExists': { 'aws:RequestedRegion': 'us-*' }, 'ForAnyValue:ArnEquals': { 'aws:PrincipalArn': 'arn:aws:iam::*:role/x' } }],
    ['IPv6 and single addresses', { IpAddress: { 'aws:SourceIp': ['2001:db8::/32', '::1', '192.0.2.1', '0.0.0.0/0'] } }],
    ['dates in every form', { DateGreaterThan: { 'aws:CurrentTime': ['2024-01-01', '2024-01-01T00:00Z', '2024-01-01T00:00:00.123456Z', '2024-01-01T00:00:00-05:00', '1704067200', 1704067200] } }],
    ['numbers in every form', { NumericLessThan: { 'aws:MultiFactorAuthAge': ['3600', 3600, '-1', '1.5', 2.5] } }],
    ['an ARN value that is a variable', { ArnEquals: { 'aws:PrincipalArn': '${aws:PrincipalArn}' } }],
    ['keys in any letter case', { StringEquals: { 'AWS:USERNAME': 'a', 'STS:EXTERNALID': 'b' } }],
  ];

  it.each(accepted)('%s', (_name, condition) => {
    const result = parsePolicy(withCondition(condition));
    expect(result).toEqual({ ok: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: condition }] } });
  });

  it('"${" as text in values of documents without policy variables', () => {
    expect(parsePolicy(withCondition({ StringEquals: { 'aws:username': '${whatever' } }, '2008-10-17')).ok).toBe(true);
  });
});
