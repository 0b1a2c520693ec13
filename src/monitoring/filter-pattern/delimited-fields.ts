/**
 * How a message splits into the fields of a space-delimited pattern: runs of spaces separate
 * fields, and a field opened by `"` runs to the next `"`, one opened by `[` to its `]` (an Apache
 * log's `[10/Oct/2000:13:55:36 -0700]` is one field), their delimiters not part of the value.
 * An opening `"` or `[` never closed is an ordinary character.
 */
export function splitFields(message: string): string[] {
  const fields: string[] = [];
  const n = message.length;
  let i = 0;
  for (;;) {
    while (i < n && (message[i] === ' ' || message[i] === '\t')) i++;
    if (i >= n) return fields;
    const open = message[i];
    const close = open === '"' ? '"' : open === '[' ? ']' : undefined;
    if (close !== undefined) {
      const end = message.indexOf(close, i + 1);
      if (end >= 0) {
        fields.push(message.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let end = i;
    while (end < n && message[end] !== ' ' && message[end] !== '\t') end++;
    fields.push(message.slice(i, end));
    i = end;
  }
}
