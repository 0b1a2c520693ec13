/** IAM's pure rules: names and paths, paging, policy sizes, URL-encoded documents, policy ARNs. */
import { describe, expect, it } from 'vitest';
import { parsePolicyArn, roleArnOf, userArnOf } from './arns.js';
import { checkInlinePolicy, checkManagedPolicy, checkTrustPolicy, policySize, urlEncodeDocument } from './documents.js';
import { checkName, checkPath, checkPathPrefix } from './names.js';
import { page } from './paging.js';

function codeOf(action: () => void): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as { code: string }).code;
  }
}

const allow = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('names and paths', () => {
  it('user names are 1-64 of letters, digits and +=,.@_-', () => {
    expect(codeOf(() => checkName('bob.smith+ops@example=1,2_-', 'userName', 64))).toBeUndefined();
    expect(codeOf(() => checkName('a'.repeat(64), 'userName', 64))).toBeUndefined();
    expect(codeOf(() => checkName('a'.repeat(65), 'userName', 64))).toBe('ValidationError');
    expect(codeOf(() => checkName('', 'userName', 64))).toBe('ValidationError');
    expect(codeOf(() => checkName('bad name', 'userName', 64))).toBe('ValidationError');
    expect(codeOf(() => checkName('slash/no', 'userName', 64))).toBe('ValidationError');
  });

  it('paths are / or /.../ of printable ASCII, at most 512 characters', () => {
    for (const ok of ['/', '/team/', '/a/b/c/', `/${'x'.repeat(510)}/`]) expect(codeOf(() => checkPath(ok))).toBeUndefined();
    for (const bad of ['', 'team/', '/team', '/te am/', `/${'x'.repeat(511)}/`]) expect(codeOf(() => checkPath(bad))).toBe('ValidationError');
    expect(codeOf(() => checkPathPrefix('/te'))).toBeUndefined();
    expect(codeOf(() => checkPathPrefix('te'))).toBe('ValidationError');
  });

  it('ARNs carry the path between the kind and the name', () => {
    expect(userArnOf('111122223333', '/', 'bob')).toBe('arn:aws:iam::111122223333:user/bob');
    expect(roleArnOf('111122223333', '/service/', 'r')).toBe('arn:aws:iam::111122223333:role/service/r');
    expect(parsePolicyArn('arn:aws:iam::aws:policy/AdministratorAccess')).toEqual({ accountId: 'aws', path: '/', policyName: 'AdministratorAccess' });
    expect(parsePolicyArn('arn:aws:iam::111122223333:policy/team/p')).toEqual({ accountId: '111122223333', path: '/team/', policyName: 'p' });
    expect(parsePolicyArn('arn:aws:iam::111122223333:user/p')).toBeUndefined();
  });
});

describe('paging', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  const key = (s: string) => s;

  it('cuts pages of MaxItems and carries on after the marker, until IsTruncated is false', () => {
    const first = page(items, key, { MaxItems: 2 });
    expect(first).toMatchObject({ items: ['a', 'b'], IsTruncated: true });
    const second = page(items, key, { MaxItems: 2, Marker: first.Marker! });
    expect(second).toMatchObject({ items: ['c', 'd'], IsTruncated: true });
    const last = page(items, key, { MaxItems: 2, Marker: second.Marker! });
    expect(last).toEqual({ items: ['e'], IsTruncated: false });
  });

  it('a marker names the last item answered: items deleted or added meanwhile neither repeat nor hide others', () => {
    const first = page(items, key, { MaxItems: 2 });
    expect(page(['a', 'c', 'd', 'e'], key, { MaxItems: 2, Marker: first.Marker! }).items).toEqual(['c', 'd']);
    expect(page(['a', 'aa', 'b', 'bb', 'c'], key, { MaxItems: 2, Marker: first.Marker! }).items).toEqual(['bb', 'c']);
  });

  it('defaults to 100 items; a marker that is not ours is InvalidInput', () => {
    expect(page(Array.from({ length: 150 }, (_, i) => String(i).padStart(3, '0')), key, {}).items).toHaveLength(100);
    expect(codeOf(() => page(items, key, { Marker: 'garbage' }))).toBe('InvalidInputException');
    expect(codeOf(() => page(items, key, { Marker: 'otm1.!!' }))).toBe('InvalidInputException');
  });
});

describe('policy documents', () => {
  it('size quotas count characters without whitespace: user 2048, role 10240, group 5120, managed 6144', () => {
    const padded = `{${' '.repeat(3000)}${allow('cloudtrail:LookupEvents').slice(1)}`;
    expect(padded.length).toBeGreaterThan(2048);
    expect(policySize(padded)).toBeLessThan(2048);
    expect(codeOf(() => checkInlinePolicy('user', padded))).toBeUndefined();
    const big = (n: number) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: Array.from({ length: n }, (_, i) => `arn:aws:cloudtrail:us-east-1:111122223333:trail/t${i}`) }] });
    const doc2500 = big(45);
    expect(policySize(doc2500)).toBeGreaterThan(2048);
    expect(policySize(doc2500)).toBeLessThan(5120);
    expect(codeOf(() => checkInlinePolicy('user', doc2500))).toBe('LimitExceededException');
    expect(codeOf(() => checkInlinePolicy('group', doc2500))).toBeUndefined();
    const doc7000 = big(125);
    expect(policySize(doc7000)).toBeGreaterThan(6144);
    expect(codeOf(() => checkManagedPolicy(doc7000))).toBe('LimitExceededException');
    expect(codeOf(() => checkInlinePolicy('group', doc7000))).toBe('LimitExceededException');
  });

  it('a document that does not parse is MalformedPolicyDocument', () => {
    expect(codeOf(() => checkManagedPolicy('{not json'))).toBe('MalformedPolicyDocumentException');
    expect(codeOf(() => checkManagedPolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] })))).toBe(
      'MalformedPolicyDocumentException',
    );
    expect(codeOf(() => checkInlinePolicy('user', allow('iam:*')))).toBeUndefined();
  });

  it('trust policies need a Principal and STS actions', () => {
    const trust = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
    expect(codeOf(() => checkTrustPolicy(trust({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' })))).toBeUndefined();
    expect(codeOf(() => checkTrustPolicy(trust({ Effect: 'Allow', Action: 'sts:AssumeRole' })))).toBe('MalformedPolicyDocumentException');
    expect(codeOf(() => checkTrustPolicy(trust({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' })))).toBe('MalformedPolicyDocumentException');
  });

  it('answers are URL-encoded as RFC 3986 says (what IAM answers and the CLI decodes)', () => {
    const text = '{\n  "Version": "2012-10-17", "Sid": "it\'s (all) *ok*!~._-"\n}';
    const encoded = urlEncodeDocument(text);
    expect(encoded).toMatch(/^[A-Za-z0-9\-._~%]+$/);
    expect(encoded.startsWith('%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22')).toBe(true);
    expect(encoded).toContain('%27s%20%28all%29%20%2Aok%2A%21~._-');
    expect(decodeURIComponent(encoded)).toBe(text);
  });
});
