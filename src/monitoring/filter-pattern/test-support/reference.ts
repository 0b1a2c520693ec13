/**
 * A deliberately naive evaluator of JSON pattern ASTs, written apart from ../compile.ts (no
 * closures, wildcards through a RegExp, paths walked by recursion), to check it against.
 */
import type { JsonExpr, ValueTest } from '../ast.js';

const ABSENT = Symbol('absent');

function lookup(value: unknown, path: readonly (string | number)[]): unknown {
  if (path.length === 0) return value;
  const [step, ...rest] = path;
  if (typeof step === 'number') return Array.isArray(value) && step < value.length ? lookup(value[step], rest) : ABSENT;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && step !== undefined && step in value) return lookup((value as Record<string, unknown>)[step], rest);
  return ABSENT;
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function wildcardRegex(test: Extract<ValueTest, { kind: 'string' }>): RegExp {
  const escaped = test.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${test.leadingWildcard ? '.*' : ''}${escaped}${test.trailingWildcard ? '.*' : ''}$`, 's');
}

function holds(test: ValueTest, value: unknown): boolean {
  if (value === ABSENT || !isScalar(value)) return false;
  switch (test.kind) {
    case 'present':
      return test.op === '=' && value !== null;
    case 'string': {
      if (typeof value !== 'string') return false;
      const equal = wildcardRegex(test).test(value);
      return test.op === '=' ? equal : !equal;
    }
    case 'regex': {
      if (typeof value !== 'string') return false;
      const found = new RegExp(test.source).test(value);
      return test.op === '=' ? found : !found;
    }
    case 'number': {
      if (typeof value !== 'number') return false;
      const n = test.value;
      return { '=': value === n, '!=': value !== n, '<': value < n, '>': value > n, '<=': value <= n, '>=': value >= n }[test.op];
    }
  }
}

export function referenceEval(expr: JsonExpr, root: unknown): boolean {
  switch (expr.type) {
    case 'and':
      return referenceEval(expr.left, root) && referenceEval(expr.right, root);
    case 'or':
      return referenceEval(expr.left, root) || referenceEval(expr.right, root);
    case 'compare':
      return holds(expr.test, lookup(root, expr.selector.path));
    case 'is': {
      const value = lookup(root, expr.selector.path);
      if (expr.what === 'notExists') return value === ABSENT;
      return value === { null: null, true: true, false: false }[expr.what];
    }
  }
}
