/**
 * A small, bounded XML reader for the few upstream answers the record form reads (S3 and Query
 * errors, EC2 responses, CreateMultipartUpload's result). Not a general parser, on purpose:
 *
 * - no DTDs: a document with `<!DOCTYPE` is refused, so there is no entity expansion;
 * - only the five predefined entities and numeric character references are decoded;
 * - attributes are skipped, namespace prefixes dropped (`s3:Code` is `Code`);
 * - bounded: the input is cut to `maxBytes` (a document cut short is refused), and depth and
 *   element count are capped. Anything malformed or over a bound reads as undefined.
 */

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** The element's own text (concatenated), entity-decoded, not trimmed. */
  text: string;
}

export interface XmlLimits {
  maxBytes: number;
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxBytes: 256 * 1024, maxDepth: 32, maxElements: 10_000 };

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The document's root element, or undefined when the input is not a small, plain XML document. */
export function parseXml(input: Buffer | string | undefined, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement | undefined {
  if (input === undefined) return undefined;
  const length = typeof input === 'string' ? input.length : input.length;
  if (length === 0 || length > limits.maxBytes) return undefined;
  const xml = typeof input === 'string' ? input : input.toString('utf8');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > i) {
      const text = xml.slice(i, textEnd);
      const top = stack.at(-1);
      if (top !== undefined) top.text += decodeText(text);
      else if (text.trim() !== '') return undefined;
    }
    if (lt === -1) break;
    if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) return undefined;
      i = end + 2;
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end === -1) return undefined;
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      const top = stack.at(-1);
      if (end === -1 || top === undefined) return undefined;
      top.text += xml.slice(lt + 9, end);
      i = end + 3;
    } else if (xml.startsWith('<!', lt)) {
      return undefined; // DOCTYPE and other declarations: refused
    } else if (xml.startsWith('</', lt)) {
      const end = xml.indexOf('>', lt + 2);
      if (end === -1) return undefined;
      const name = localName(xml.slice(lt + 2, end).trim());
      const open = stack.pop();
      if (open === undefined || open.name !== name) return undefined;
      if (stack.length === 0) root = open;
      i = end + 1;
    } else {
      const end = tagEnd(xml, lt + 1);
      if (end === -1) return undefined;
      const selfClosing = xml[end - 1] === '/';
      const inner = xml.slice(lt + 1, selfClosing ? end - 1 : end);
      const match = /^[^\s/>]+/.exec(inner);
      if (match === null) return undefined;
      if (++count > limits.maxElements || stack.length >= limits.maxDepth) return undefined;
      if (root !== undefined) return undefined; // a second root element
      const element: XmlElement = { name: localName(match[0]), children: [], text: '' };
      stack.at(-1)?.children.push(element);
      if (selfClosing) {
        if (stack.length === 0) root = element;
      } else {
        stack.push(element);
      }
      i = end + 1;
    }
  }
  return stack.length === 0 ? root : undefined;
}

/** Index of the `>` closing a start tag, skipping quoted attribute values; -1 when unterminated. */
function tagEnd(xml: string, from: number): number {
  let quote: string | undefined;
  for (let j = from; j < xml.length; j++) {
    const c = xml[j];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return j;
    } else if (c === '<') {
      return -1;
    }
  }
  return -1;
}

export function childOf(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((child) => child.name === name);
}

/** The trimmed text of the first element at `path` below `element` (`childText(root, 'Error', 'Code')`). */
export function childText(element: XmlElement | undefined, ...path: string[]): string | undefined {
  let at = element;
  for (const name of path) at = childOf(at, name);
  return at === undefined ? undefined : at.text.trim();
}
