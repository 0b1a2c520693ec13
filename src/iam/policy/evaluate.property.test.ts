import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import type { AuthorizationRequest, Decision, PolicyDocument, PolicyStatement } from './types.js';

// Small pools so that random statements and requests actually match each other often.
const actionPattern = fc.constantFrom(
  '*',
  'cloudtrail:*',
  'cloudtrail:Get*',
  'CLOUDTRAIL:lookup?vents',
  'cloudtrail:*Trail*',
  'cloudtrail:?escribe*',
  'cloudtrail-data:*',
  'cloudtrail-data:PutAuditEvents',
);
const resourcePattern = fc.constantFrom(
  '*',
  'arn:aws:cloudtrail:us-east-1:123456789012:trail/*',
  'arn:aws:cloudtrail:*:*:channel/*',
  'arn:aws:cloudtrail:us-east-1:123456789012:channel/abc',
  'arn:aws:cloudtrail:??-east-1:*',
);
const request: fc.Arbitrary<AuthorizationRequest> = fc.record({
  action: fc.constantFrom(
    'cloudtrail:LookupEvents',
    'cloudtrail:CreateTrail',
    'cloudtrail:GetTrail',
    'cloudtrail:DescribeTrails',
    'cloudtrail:StartLogging',
    'cloudtrail-data:PutAuditEvents',
  ),
  resource: fc.constantFrom(
    '*',
    'arn:aws:cloudtrail:us-east-1:123456789012:trail/main',
    'arn:aws:cloudtrail:eu-west-1:123456789012:channel/abc',
    'arn:aws:cloudtrail:us-east-1:123456789012:channel/abc',
  ),
});

const list = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 }));

const statementWith = (effect: fc.Arbitrary<'Allow' | 'Deny'>): fc.Arbitrary<PolicyStatement> =>
  fc
    .record({ Effect: effect, notAction: fc.boolean(), notResource: fc.boolean(), actions: list(actionPattern), resources: list(resourcePattern) })
    .map(({ Effect, notAction, notResource, actions, resources }) => ({
      Effect,
      [notAction ? 'NotAction' : 'Action']: actions,
      [notResource ? 'NotResource' : 'Resource']: resources,
    }));
const statement = statementWith(fc.constantFrom('Allow', 'Deny'));
const denyStatement = statementWith(fc.constant('Deny'));
const policy: fc.Arbitrary<PolicyDocument> = fc.array(statement, { minLength: 1, maxLength: 4 }).map((Statement) => ({ Version: '2012-10-17', Statement }));
const policies = fc.array(policy, { maxLength: 4 });

/** The same policies with both the policy list and each policy's statements reordered. */
const permutationOf = (documents: PolicyDocument[]): fc.Arbitrary<PolicyDocument[]> =>
  fc
    .shuffledSubarray(documents, { minLength: documents.length, maxLength: documents.length })
    .chain((shuffled) =>
      fc.tuple(
        ...shuffled.map((document) =>
          fc
            .shuffledSubarray(document.Statement, { minLength: document.Statement.length, maxLength: document.Statement.length })
            .map((Statement): PolicyDocument => ({ ...document, Statement })),
        ),
      ),
    );

const denies = (decision: Decision): boolean => decision !== 'Allow';

describe('evaluate properties', () => {
  it('does not depend on the order of policies or of statements', () => {
    fc.assert(
      fc.property(
        request,
        policies.chain((original) => fc.tuple(fc.constant(original), permutationOf(original))),
        (req, [original, reordered]) => {
          expect(evaluate(req, reordered)).toBe(evaluate(req, original));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('does not depend on how statements are split between policies', () => {
    fc.assert(
      fc.property(request, policies, (req, documents) => {
        const merged: PolicyDocument = { Statement: documents.flatMap((document) => document.Statement) };
        expect(evaluate(req, [merged])).toBe(evaluate(req, documents));
      }),
      { numRuns: 1000 },
    );
  });

  it('never turns a denial into an Allow when a Deny statement is added, wherever it goes', () => {
    fc.assert(
      fc.property(request, policies, denyStatement, fc.nat(), fc.boolean(), (req, documents, added, where, ownPolicy) => {
        const before = evaluate(req, documents);
        let after: Decision;
        if (ownPolicy || documents.length === 0) {
          after = evaluate(req, [...documents, { Statement: [added] }]);
        } else {
          const target = where % documents.length;
          const changed = documents.map((document, index) =>
            index === target ? { ...document, Statement: [...document.Statement, added] } : document,
          );
          after = evaluate(req, changed);
        }
        if (denies(before)) expect(denies(after)).toBe(true);
        // An explicit deny stays explicit: the added statement cannot cancel one.
        if (before === 'ExplicitDeny') expect(after).toBe('ExplicitDeny');
      }),
      { numRuns: 2000 },
    );
  });

  it('gives exactly one of NotAction / Action effect for the same patterns', () => {
    fc.assert(
      fc.property(request, list(actionPattern), (req, actions) => {
        const withAction = evaluate(req, [{ Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }]);
        const withNotAction = evaluate(req, [{ Statement: [{ Effect: 'Allow', NotAction: actions, Resource: '*' }] }]);
        expect([withAction, withNotAction].sort()).toEqual(['Allow', 'ImplicitDeny']);
      }),
      { numRuns: 500 },
    );
  });

  it('gives exactly one of NotResource / Resource effect for the same patterns', () => {
    fc.assert(
      fc.property(request, list(resourcePattern), (req, resources) => {
        const withResource = evaluate(req, [{ Statement: [{ Effect: 'Deny', Action: '*', Resource: resources }] }]);
        const withNotResource = evaluate(req, [{ Statement: [{ Effect: 'Deny', Action: '*', NotResource: resources }] }]);
        expect([withResource, withNotResource].sort()).toEqual(['ExplicitDeny', 'ImplicitDeny']);
      }),
      { numRuns: 500 },
    );
  });
});
