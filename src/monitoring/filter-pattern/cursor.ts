/**
 * A read position in a pattern's source, shared by the three parsers so that every error
 * names the offset in the text the user wrote (not in a trimmed or sliced copy).
 */
import { FilterPatternError } from './error.js';

export class Cursor {
  pos: number;

  constructor(
    readonly source: string,
    start = 0,
  ) {
    this.pos = start;
  }

  get atEnd(): boolean {
    return this.pos >= this.source.length;
  }

  /** The character at pos + offset, '' past the end. */
  peek(offset = 0): string {
    return this.source.charAt(this.pos + offset);
  }

  skipSpaces(): void {
    while (this.pos < this.source.length && isSpace(this.source.charCodeAt(this.pos))) this.pos++;
  }

  eat(text: string): boolean {
    if (!this.source.startsWith(text, this.pos)) return false;
    this.pos += text.length;
    return true;
  }

  /** Consumes characters while `accept` holds; returns them. */
  takeWhile(accept: (char: string) => boolean): string {
    const start = this.pos;
    while (this.pos < this.source.length && accept(this.source.charAt(this.pos))) this.pos++;
    return this.source.slice(start, this.pos);
  }

  fail(message: string, at = this.pos): never {
    throw new FilterPatternError(`${message} (at position ${at})`, at);
  }
}

export function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** What to show of the character at the cursor in an error. */
export function describeChar(char: string): string {
  return char === '' ? 'the end of the pattern' : `'${char}'`;
}
