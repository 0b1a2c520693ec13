/**
 * Policy variables: `${aws:username}` and the like in Resource elements and in the values of
 * String and Arn conditions, replaced by the request's value of that condition key. `${*}`, `${?}`
 * and `${$}` stand for a literal `*`, `?` and `$`. They exist from policy version 2012-10-17 on;
 * in older documents "${" is ordinary text.
 *
 * A variable naming an unknown key is refused at parse time: left as literal text it would match
 * nothing, and a Deny on `.../${aws:usrname}` would quietly stop protecting anything. A variable
 * whose key is absent from the request makes that one pattern match nothing (as a missing key
 * matches no value), so it never widens a positive element.
 */
import { conditionKeyNamed } from './condition-keys.js';
import type { ConditionKey } from './condition-keys.js';
import { compileGlob, literalGlob } from './glob.js';
import type { GlobOptions } from './glob.js';
import { PolicyError } from './parse-support.js';
import type { RequestContext } from './types.js';

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly key: ConditionKey }
  | { readonly kind: 'literal'; readonly text: string };

/** A string split into its text and its variables. */
export type Template = readonly TemplatePart[];

const LITERALS: readonly string[] = ['*', '?', '$'];

/** Splits `text` into text and variables; throws PolicyError for a variable OpenTrail cannot resolve. */
export function parseTemplate(text: string, variablesActive: boolean): Template {
  if (!variablesActive) return [{ kind: 'text', text }];
  const parts: TemplatePart[] = [];
  let position = 0;
  for (;;) {
    const start = text.indexOf('${', position);
    if (start === -1) break;
    if (start > position) parts.push({ kind: 'text', text: text.slice(position, start) });
    const end = text.indexOf('}', start + 2);
    if (end === -1) throw new PolicyError(`"${text}" opens a policy variable with "\${" but never closes it with "}"`);
    const name = text.slice(start + 2, end);
    parts.push(variablePart(name));
    position = end + 1;
  }
  if (position < text.length || parts.length === 0) parts.push({ kind: 'text', text: text.slice(position) });
  return parts;
}

function variablePart(name: string): TemplatePart {
  if (LITERALS.includes(name)) return { kind: 'literal', text: name };
  if (name.includes(',')) throw new PolicyError(`policy variable "\${${name}}": default values are not supported`);
  const key = conditionKeyNamed(name);
  if (key === undefined) throw new PolicyError(`unknown policy variable "\${${name}}"`);
  return { kind: 'variable', key };
}

/** Whether the template has any variable, i.e. depends on the request. */
export function hasVariables(template: Template): boolean {
  return template.some((part) => part.kind === 'variable');
}

/** The template as plain text for this request; undefined when one of its variables is absent. */
export function resolveText(template: Template, context: RequestContext | undefined): string | undefined {
  let out = '';
  for (const part of template) {
    if (part.kind === 'variable') {
      const value = context === undefined ? undefined : part.key.text(context);
      if (value === undefined) return undefined;
      out += value;
    } else {
      out += part.text;
    }
  }
  return out;
}

/**
 * The template as a wildcard pattern for this request: `*` and `?` in its text are wildcards,
 * while literals and substituted values match only themselves. Undefined when a variable is absent.
 */
export function resolveGlob(template: Template, context: RequestContext | undefined, options: GlobOptions = {}): number[] | undefined {
  const out: number[] = [];
  for (const part of template) {
    if (part.kind === 'text') {
      out.push(...compileGlob(part.text, options));
    } else if (part.kind === 'literal') {
      out.push(...literalGlob(part.text, options));
    } else {
      const value = context === undefined ? undefined : part.key.text(context);
      if (value === undefined) return undefined;
      out.push(...literalGlob(value, options));
    }
  }
  return out;
}
