/**
 * Text for XML 1.0 element content. `&`, `<`, `>` are escaped, and so are `"` and `'` (harmless
 * in content, and it keeps the output safe to move into an attribute). Carriage returns become
 * `&#xD;` because an XML parser turns a literal CR into LF. Characters XML 1.0 cannot carry at
 * all, even as references (control characters other than tab, LF and CR, lone surrogates,
 * U+FFFE and U+FFFF), become U+FFFD: the response stays well-formed whatever a value holds.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SPECIAL = /[&<>"'\r]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
};

export function xmlText(text: string): string {
  return text.replace(SPECIAL, (c) => ESCAPES[c] ?? '\uFFFD');
}

/** An element name: model member names are already safe; anything else is a bug. */
export function xmlName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`not an XML element name: ${JSON.stringify(name)}`);
  return name;
}
